package io.github.reactivestorage.transfer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.StorageQuotaExceededException;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.cache.CachingStorage;
import io.github.reactivestorage.conformance.LeakTrackingDataBufferFactory;
import io.github.reactivestorage.filesystem.FilesystemStorage;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.s3.S3ProxyServer;
import io.github.reactivestorage.s3.S3StorageOptions;
import io.github.reactivestorage.support.ForwardingReactiveStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StorageTransfer} between memory, filesystem, S3 (S3Proxy in-process) and a cache mount, in
 * every direction: content checked by SHA-256 (bodies generated lazily, 6 MiB so that S3 uploads are
 * multipart), content type and metadata kept, skip rules, and bounded prefix copies.
 */
class StorageTransferAcrossBackendsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final long SIZE = 6L * 1024 * 1024 + 123;

	@RegisterExtension
	static final S3ProxyServer server = new S3ProxyServer();

	private final LeakTrackingDataBufferFactory bufferFactory = new LeakTrackingDataBufferFactory();

	@TempDir
	Path directory;

	private StorageMounts mounts;

	private StorageTransfer transfer;

	@BeforeEach
	void createMounts() {
		String bucket = "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		S3StorageOptions options = S3ProxyServer.SMALL_PARTS;
		Map<String, ReactiveStorage> byName = new LinkedHashMap<>();
		byName.put("memory", new MemoryStorage("memory", this.bufferFactory, -1));
		byName.put("filesystem", new FilesystemStorage("filesystem", this.directory.resolve("fs"), null,
				this.bufferFactory, Schedulers.boundedElastic()));
		byName.put("s3", server.storage("s3", bucket, options, this.bufferFactory));
		byName.put("s3b", server.storage("s3b", bucket + "x", options, this.bufferFactory));
		byName.put("cached", new CachingStorage("cached", server.storage("origin", bucket + "o", options,
				this.bufferFactory), new MemoryStorage("cache", this.bufferFactory, -1), -1, null));
		this.mounts = new StorageMounts(byName, null);
		this.transfer = new StorageTransfer(this.mounts);
	}

	@AfterEach
	void noLeaks() {
		this.bufferFactory.checkForLeaks(Duration.ofSeconds(10));
	}

	static Stream<Arguments> pairs() {
		List<String> names = List.of("memory", "filesystem", "s3", "cached");
		return names.stream()
			.flatMap((from) -> names.stream().filter((to) -> !to.equals(from)).map((to) -> Arguments.of(from, to)));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("pairs")
	void copyStreamsContentTypeMetadataAndBytes(String from, String to) {
		put(from, "in/data.bin", SIZE, 1,
				PutOptions.builder().contentType("application/x-test").metadata("owner", "ada").build());
		StepVerifier.create(this.transfer.copy(from + ":in/data.bin", to + ":out/data.bin"))
			.assertNext((result) -> {
				assertThat(result.status()).isEqualTo(TransferResult.Status.COPIED);
				assertThat(result.bytes()).isEqualTo(SIZE);
			})
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(mount(to).info("out/data.bin")).assertNext((info) -> {
			assertThat(info.size()).isEqualTo(SIZE);
			assertThat(info.contentType()).isEqualTo("application/x-test");
			assertThat(info.metadata()).containsEntry("owner", "ada");
		}).expectComplete().verify(TIMEOUT);
		expectSha256(to, "out/data.bin", GeneratedBodies.sha256(SIZE, 1));
		expectExists(from, "in/data.bin", true);
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("pairs")
	void moveDeletesTheSourceOnceTheDestinationIsComplete(String from, String to) {
		put(from, "in/data.bin", SIZE, 2, PutOptions.defaults());
		StepVerifier.create(this.transfer.move(from + ":in/data.bin", to + ":moved.bin"))
			.assertNext((result) -> assertThat(result.status()).isEqualTo(TransferResult.Status.COPIED))
			.expectComplete()
			.verify(TIMEOUT);
		expectExists(from, "in/data.bin", false);
		expectSha256(to, "moved.bin", GeneratedBodies.sha256(SIZE, 2));
	}

	@Test
	void moveWhoseDestinationFailsKeepsTheSource() {
		put("s3", "doc.bin", 1000, 3, PutOptions.defaults());
		StorageMounts withBrokenDestination = new StorageMounts(
				Map.of("s3", mount("s3"), "broken", new MemoryStorage("broken", this.bufferFactory, 10)), null);
		StepVerifier.create(new StorageTransfer(withBrokenDestination).move("s3:doc.bin", "broken:doc.bin"))
			.expectError(StorageQuotaExceededException.class)
			.verify(TIMEOUT);
		expectSha256("s3", "doc.bin", GeneratedBodies.sha256(1000, 3));
	}

	@Test
	void skipIfExists() {
		put("memory", "a.bin", 100, 4, PutOptions.defaults());
		put("s3", "a.bin", 50, 5, PutOptions.defaults());
		expectStatus(this.transfer.copy("memory:a.bin", "s3:a.bin", SkipRule.IF_EXISTS), TransferResult.Status.SKIPPED);
		expectSha256("s3", "a.bin", GeneratedBodies.sha256(50, 5));
		expectStatus(this.transfer.copy("memory:a.bin", "s3:b.bin", SkipRule.IF_EXISTS), TransferResult.Status.COPIED);
	}

	@Test
	void skipIfSameSize() {
		put("filesystem", "a.bin", 100, 6, PutOptions.defaults());
		put("s3", "same.bin", 100, 7, PutOptions.defaults());
		put("s3", "other.bin", 99, 7, PutOptions.defaults());
		expectStatus(this.transfer.copy("filesystem:a.bin", "s3:same.bin", SkipRule.IF_SAME_SIZE),
				TransferResult.Status.SKIPPED);
		expectSha256("s3", "same.bin", GeneratedBodies.sha256(100, 7));
		expectStatus(this.transfer.copy("filesystem:a.bin", "s3:other.bin", SkipRule.IF_SAME_SIZE),
				TransferResult.Status.COPIED);
		expectSha256("s3", "other.bin", GeneratedBodies.sha256(100, 6));
	}

	@Test
	void skipIfSameEtagBetweenMountsOfOneBackend() {
		put("s3", "a.bin", 1000, 8, PutOptions.defaults());
		put("s3b", "a.bin", 1000, 9, PutOptions.defaults());
		// same size, different content: the ETags differ, so the object is copied
		expectStatus(this.transfer.copy("s3:a.bin", "s3b:a.bin", SkipRule.IF_SAME_ETAG), TransferResult.Status.COPIED);
		expectSha256("s3b", "a.bin", GeneratedBodies.sha256(1000, 8));
		// now both hold the same bytes: same ETag, skipped
		expectStatus(this.transfer.copy("s3:a.bin", "s3b:a.bin", SkipRule.IF_SAME_ETAG), TransferResult.Status.SKIPPED);
	}

	@Test
	void etagsOfDifferentBackendsAreNotComparedSoTheObjectIsCopied() {
		put("filesystem", "a.bin", 1000, 10, PutOptions.defaults());
		put("s3", "a.bin", 1000, 10, PutOptions.defaults());
		expectStatus(this.transfer.copy("filesystem:a.bin", "s3:a.bin", SkipRule.IF_SAME_ETAG),
				TransferResult.Status.COPIED);
	}

	@Test
	void copyPrefixCopiesEveryObjectWithBoundedConcurrency() {
		for (int i = 0; i < 24; i++) {
			put("s3", "in/" + i + ".bin", 20_000 + i, i, PutOptions.defaults());
		}
		put("s3", "elsewhere.bin", 10, 99, PutOptions.defaults());
		ConcurrencyProbe destination = new ConcurrencyProbe(mount("filesystem"));
		StorageTransfer probed = new StorageTransfer(
				new StorageMounts(Map.of("s3", mount("s3"), "filesystem", destination), null));
		StepVerifier.create(probed.copyPrefix("s3:in/", "filesystem:out/", SkipRule.NEVER, 3).collectList())
			.assertNext((results) -> {
				assertThat(results).hasSize(24).allMatch((r) -> r.status() == TransferResult.Status.COPIED);
				assertThat(results).extracting((r) -> r.destination().key()).contains("out/0.bin", "out/23.bin");
			})
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(destination.maxActive).hasValueBetween(1, 3);
		for (int i = 0; i < 24; i++) {
			expectSha256("filesystem", "out/" + i + ".bin", GeneratedBodies.sha256(20_000 + i, i));
		}
		expectExists("filesystem", "out/elsewhere.bin", false);
		// a second run with IF_SAME_SIZE copies nothing
		StepVerifier.create(probed.copyPrefix("s3:in/", "filesystem:out/", SkipRule.IF_SAME_SIZE, 3)
			.map(TransferResult::status)
			.distinct()
			.collectList()).expectNext(List.of(TransferResult.Status.SKIPPED)).expectComplete().verify(TIMEOUT);
	}

	private void put(String mount, String key, long size, long seed, PutOptions options) {
		StepVerifier.create(mount(mount).put(key, GeneratedBodies.body(size, seed, this.bufferFactory), options))
			.expectNextCount(1)
			.expectComplete()
			.verify(TIMEOUT);
	}

	private void expectSha256(String mount, String key, String sha256) {
		StepVerifier.create(GeneratedBodies.sha256(mount(mount).get(key)))
			.expectNext(sha256)
			.expectComplete()
			.verify(TIMEOUT);
	}

	private void expectExists(String mount, String key, boolean exists) {
		StepVerifier.create(mount(mount).exists(key)).expectNext(exists).expectComplete().verify(TIMEOUT);
	}

	private void expectStatus(Mono<TransferResult> result, TransferResult.Status status) {
		StepVerifier.create(result)
			.assertNext((r) -> assertThat(r.status()).isEqualTo(status))
			.expectComplete()
			.verify(TIMEOUT);
	}

	private ReactiveStorage mount(String name) {
		return this.mounts.get(name);
	}

	/** Counts puts in progress and remembers the most at once. */
	static final class ConcurrencyProbe extends ForwardingReactiveStorage {

		final AtomicInteger active = new AtomicInteger();

		final AtomicInteger maxActive = new AtomicInteger();

		ConcurrencyProbe(ReactiveStorage delegate) {
			super(delegate);
		}

		@Override
		public Mono<StoredObject> put(String key, Publisher<DataBuffer> body, PutOptions options) {
			return Mono.defer(() -> {
				this.maxActive.accumulateAndGet(this.active.incrementAndGet(), Math::max);
				return super.put(key, Flux.from(body), options);
			})
				// before the result travels on (doFinally would run after the next put started)
				.doOnTerminate(this.active::decrementAndGet)
				.doOnCancel(this.active::decrementAndGet);
		}

	}

}
