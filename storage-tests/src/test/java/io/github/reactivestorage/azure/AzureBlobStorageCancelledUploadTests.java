package io.github.reactivestorage.azure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.conformance.LeakTrackingDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a cancelled Azure upload leaves, on Azurite. Azure has no call that deletes uncommitted
 * blocks: they expire after seven days, or go when the blob is next written. A cancelled upload
 * never commits, so no blob appears where none was and an existing blob keeps its version; its
 * staged blocks stay uncommitted until the next successful put of the key discards them (shown
 * here) or Azure expires them. Also: SAS URLs are capped at seven days.
 */
@ExtendWith(AzuriteExtension.class)
class AzureBlobStorageCancelledUploadTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final int BLOCK_SIZE = 1024 * 1024;

	private final LeakTrackingDataBufferFactory bufferFactory = new LeakTrackingDataBufferFactory();

	private BlobContainerAsyncClient container;

	private AzureBlobStorage storage;

	@BeforeEach
	void createContainer() {
		String name = "c" + Long.toHexString(new Random().nextLong() & Long.MAX_VALUE);
		AzureBlobSettings settings = AzureBlobSettings
			.ofConnectionString(AzuriteExtension.server().connectionString(), name)
			.withUploads(BLOCK_SIZE, 3)
			.withCreateContainer(true);
		this.container = AzureBlobClients.containerClient(settings);
		this.storage = new AzureBlobStorage("azure", this.container, this.bufferFactory, settings.blockSize(),
				settings.maxConcurrency(), settings.createContainer());
	}

	@AfterEach
	void checkLeaks() {
		this.bufferFactory.checkForLeaks(Duration.ofSeconds(5));
	}

	@Test
	void aCancelledUploadOfANewKeyLeavesNoBlobAndTheNextPutDiscardsItsBlocks() throws InterruptedException {
		cancelAfterBlocksAreStaged("new.bin");
		StepVerifier.create(this.storage.exists("new.bin")).expectNext(false).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.storage.list("").collectList())
			.assertNext((objects) -> assertThat(objects).isEmpty())
			.expectComplete()
			.verify(TIMEOUT);
		// a put of several blocks ends with Put Block List, which discards every block not in its list
		byte[] next = new byte[BLOCK_SIZE * 3 / 2];
		new Random(7).nextBytes(next);
		this.storage.put("new.bin", next).block(TIMEOUT);
		assertThat(uncommitted("new.bin")).as("uncommitted blocks after the next put").isZero();
		assertThat(this.storage.getBytes("new.bin").block(TIMEOUT)).isEqualTo(next);
	}

	@Test
	void aCancelledOverwriteKeepsTheOldVersion() throws InterruptedException {
		StoredObject old = this.storage.put("kept.txt", bytes("old version")).block(TIMEOUT);
		cancelAfterBlocksAreStaged("kept.txt");
		StepVerifier.create(this.storage.info("kept.txt"))
			.assertNext((info) -> assertThat(info.etag()).isEqualTo(old.etag()))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.storage.getBytes("kept.txt").block(TIMEOUT)).isEqualTo(bytes("old version"));
	}

	@Test
	void sasUrlsLiveAtMostSevenDays() {
		StepVerifier.create(this.storage.url("a.txt", UrlOptions.get(Duration.ofDays(7))))
			.expectNextCount(1)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.storage.url("a.txt", UrlOptions.get(Duration.ofDays(7).plusSeconds(1))))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("PT168H"))
			.verify(TIMEOUT);
	}

	/** Stream 3.5 blocks, then stall; cancel once Azure holds some of them uncommitted. */
	private void cancelAfterBlocksAreStaged(String key) throws InterruptedException {
		Flux<DataBuffer> body = Flux.range(0, 14)
			.map((i) -> this.bufferFactory.wrap(new byte[BLOCK_SIZE / 4]))
			.concatWith(Flux.never());
		Disposable put = this.storage.put(key, body, PutOptions.defaults()).subscribe();
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (uncommitted(key) == 0 && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(uncommitted(key)).as("blocks staged before the cancel").isPositive();
		put.dispose();
	}

	/** How many uncommitted blocks Azure holds for the key (0 when it knows no blob by that name). */
	private int uncommitted(String key) {
		BlockList blocks = this.container.getBlobAsyncClient(key)
			.getBlockBlobAsyncClient()
			.listBlocks(BlockListType.UNCOMMITTED)
			.onErrorReturn(new BlockList())
			.block(TIMEOUT);
		return (blocks.getUncommittedBlocks() != null) ? blocks.getUncommittedBlocks().size() : 0;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
