package io.github.reactivestorage.transfer;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import io.github.reactivestorage.InvalidKeyException;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageConfigurationException;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.conformance.LeakTrackingDataBufferFactory;
import io.github.reactivestorage.memory.MemoryStorage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of {@link StorageTransfer} and {@link MountKey} between memory mounts.
 */
class StorageTransferTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final LeakTrackingDataBufferFactory bufferFactory = new LeakTrackingDataBufferFactory();

	private final MemoryStorage a = new MemoryStorage("a", this.bufferFactory, -1);

	private final MemoryStorage b = new MemoryStorage("b", this.bufferFactory, -1);

	private final StorageTransfer transfer = new StorageTransfer(new StorageMounts(Map.of("a", this.a, "b", this.b), null));

	@AfterEach
	void noLeaks() {
		this.bufferFactory.checkForLeaks(Duration.ofSeconds(5));
	}

	@Test
	void mountKeysAreParsedStrictly() {
		assertThat(MountKey.parse("uploads:avatars/1.png")).isEqualTo(new MountKey("uploads", "avatars/1.png"));
		assertThat(MountKey.parse("m:a:b").key()).isEqualTo("a:b");
		assertThatIllegalArgumentException().isThrownBy(() -> MountKey.parse("no-colon"));
		assertThatIllegalArgumentException().isThrownBy(() -> MountKey.parse(":key"));
		assertThatIllegalArgumentException().isThrownBy(() -> MountKey.parse(" m:key"));
		assertThatExceptionOfType(InvalidKeyException.class).isThrownBy(() -> MountKey.parse("m:"));
	}

	@Test
	void copyKeepsContentTypeAndMetadata() {
		put(this.a, "doc.txt", "hello", PutOptions.builder().contentType("text/plain").metadata("owner", "ada").build());
		StepVerifier.create(this.transfer.copy("a:doc.txt", "b:copies/doc.txt"))
			.assertNext((result) -> {
				assertThat(result.status()).isEqualTo(TransferResult.Status.COPIED);
				assertThat(result.bytes()).isEqualTo(5);
			})
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.b.info("copies/doc.txt")).assertNext((info) -> {
			assertThat(info.contentType()).startsWith("text/plain");
			assertThat(info.metadata()).containsEntry("owner", "ada");
		}).expectComplete().verify(TIMEOUT);
	}

	@Test
	void moveDeletesTheSourceAfterTheCopy() {
		put(this.a, "doc.txt", "hello", PutOptions.defaults());
		StepVerifier.create(this.transfer.move("a:doc.txt", "b:doc.txt")).expectNextCount(1).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.a.exists("doc.txt")).expectNext(false).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.b.getBytes("doc.txt")).expectNextMatches((bytes) -> new String(bytes).equals("hello"))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void failedMoveKeepsTheSource() {
		StepVerifier.create(this.transfer.move("a:missing.txt", "b:x.txt"))
			.expectError(ObjectNotFoundException.class)
			.verify(TIMEOUT);
		put(this.a, "doc.txt", "hello", PutOptions.defaults());
		StepVerifier.create(this.transfer.move("a:doc.txt", "b:a/../x"))
			.expectError(InvalidKeyException.class)
			.verify(TIMEOUT);
		StepVerifier.create(this.a.exists("doc.txt")).expectNext(true).expectComplete().verify(TIMEOUT);
	}

	@Test
	void unknownMountIsAConfigurationError() {
		StepVerifier.create(this.transfer.copy("nope:doc.txt", "b:doc.txt"))
			.expectError(StorageConfigurationException.class)
			.verify(TIMEOUT);
	}

	@Test
	void skipRules() {
		put(this.a, "doc.txt", "hello", PutOptions.defaults());
		put(this.b, "doc.txt", "world", PutOptions.defaults());
		expectStatus(this.transfer.copy("a:doc.txt", "b:doc.txt", SkipRule.IF_EXISTS), TransferResult.Status.SKIPPED);
		expectStatus(this.transfer.copy("a:doc.txt", "b:doc.txt", SkipRule.IF_SAME_SIZE), TransferResult.Status.SKIPPED);
		expectStatus(this.transfer.copy("a:doc.txt", "b:doc.txt", SkipRule.IF_SAME_ETAG), TransferResult.Status.COPIED);
		expectStatus(this.transfer.copy("a:doc.txt", "b:doc.txt", SkipRule.IF_SAME_ETAG), TransferResult.Status.SKIPPED);
		expectStatus(this.transfer.copy("a:doc.txt", "b:new.txt", SkipRule.IF_EXISTS), TransferResult.Status.COPIED);
	}

	@Test
	void copyPrefixWithBoundedConcurrency() {
		for (int i = 0; i < 20; i++) {
			put(this.a, "in/" + i + ".txt", "content " + i, PutOptions.defaults());
		}
		put(this.a, "other.txt", "x", PutOptions.defaults());
		StepVerifier.create(this.transfer.copyPrefix("a:in/", "b:out/", SkipRule.NEVER, 4).collectList())
			.assertNext((results) -> {
				assertThat(results).hasSize(20).allMatch((r) -> r.status() == TransferResult.Status.COPIED);
				assertThat(results).extracting((r) -> r.destination().key()).contains("out/7.txt");
			})
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.b.list("").count()).expectNext(20L).expectComplete().verify(TIMEOUT);
	}

	@Test
	void largeCopyStreamsWithoutLeaks() {
		long size = 64L * 1024 * 1024;
		StepVerifier.create(this.a.put("big.bin", reactor.core.publisher.Flux.range(0, (int) (size / 65536))
			.map((i) -> this.bufferFactory.wrap(new byte[65536])), PutOptions.defaults()))
			.expectNextCount(1)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.transfer.copy("a:big.bin", "b:big.bin"))
			.assertNext((result) -> assertThat(result.bytes()).isEqualTo(size))
			.expectComplete()
			.verify(TIMEOUT);
	}

	private void expectStatus(reactor.core.publisher.Mono<TransferResult> result, TransferResult.Status status) {
		StepVerifier.create(result).assertNext((r) -> assertThat(r.status()).isEqualTo(status)).expectComplete().verify(TIMEOUT);
	}

	private void put(MemoryStorage storage, String key, String content, PutOptions options) {
		StepVerifier.create(storage.put(key, content.getBytes(), options)).expectNextCount(1).expectComplete().verify(TIMEOUT);
	}

}
