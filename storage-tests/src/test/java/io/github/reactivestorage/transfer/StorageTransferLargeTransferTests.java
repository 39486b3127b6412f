package io.github.reactivestorage.transfer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.cache.CachingStorage;
import io.github.reactivestorage.filesystem.FilesystemStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 256 MiB object, generated lazily, copied and moved between filesystem mounts and read through a
 * filesystem cache mount (miss, then hit), in a JVM with a 64 MiB heap (the {@code
 * large-transfer-tests} surefire execution): holding the object anywhere would fail. Content is
 * checked by SHA-256 while streaming.
 */
class StorageTransferLargeTransferTests {

	private static final Duration TIMEOUT = Duration.ofMinutes(5);

	private static final long SIZE = 256L * 1024 * 1024 + 17;

	@TempDir
	Path directory;

	@Test
	void largeObjectCopiedMovedAndCachedWithASmallHeap() {
		assertThat(Runtime.getRuntime().maxMemory()).as("run with -Xmx64m").isLessThan(SIZE);
		ReactiveStorage a = filesystem("a");
		ReactiveStorage b = filesystem("b");
		ReactiveStorage origin = filesystem("origin");
		// with a ttl a fresh hit does not ask the origin, so the origin's copy can go (below)
		CachingStorage cached = new CachingStorage("cached", origin, filesystem("cache"), -1, Duration.ofHours(1));
		StorageTransfer transfer = new StorageTransfer(
				new StorageMounts(Map.of("a", a, "b", b, "origin", origin, "cached", cached), null));
		String expected = GeneratedBodies.sha256(SIZE, 42);

		StepVerifier.create(a.put("big.bin", GeneratedBodies.body(SIZE, 42, DefaultDataBufferFactory.sharedInstance),
				PutOptions.defaults()))
			.expectNextCount(1)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(transfer.copy("a:big.bin", "b:big.bin"))
			.assertNext((result) -> assertThat(result.bytes()).isEqualTo(SIZE))
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(transfer.move("b:big.bin", "origin:big.bin"))
			.assertNext((result) -> assertThat(result.bytes()).isEqualTo(SIZE))
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(b.exists("big.bin")).expectNext(false).expectComplete().verify(TIMEOUT);

		// a miss streams from the origin while filling the cache
		StepVerifier.create(GeneratedBodies.sha256(cached.get("big.bin"))).expectNext(expected).expectComplete().verify(TIMEOUT);
		assertThat(cached.cachedSize()).isEqualTo(SIZE);
		// then a fresh hit streams from the cache: the origin's copy is no longer needed
		StepVerifier.create(origin.delete("big.bin")).expectComplete().verify(TIMEOUT);
		StepVerifier.create(GeneratedBodies.sha256(cached.get("big.bin"))).expectNext(expected).expectComplete().verify(TIMEOUT);
	}

	private ReactiveStorage filesystem(String name) {
		return new FilesystemStorage(name, this.directory.resolve(name), null, DefaultDataBufferFactory.sharedInstance,
				Schedulers.boundedElastic());
	}

}
