package io.github.reactivestorage.filesystem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.support.ContentHash;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code read}: one version found by one lookup, its information describing exactly its bytes even
 * while writers replace it, and its open file offered for zero-copy sending.
 */
class FilesystemReadTests {

	@TempDir
	Path directory;

	@Test
	void aLargeReadOffersItsOpenFileWhichDiscardCloses() throws IOException {
		FilesystemStorage storage = new FilesystemStorage("fs", this.directory.resolve("root"));
		byte[] content = new byte[300_000];
		Arrays.fill(content, (byte) 'x');
		content[200_000] = 'y';
		storage.put("big", content).block();
		StoredContent read = storage.read("big", ByteRange.of(200_000, 299_999)).block();
		FileChannel file = read.file();
		assertThat(file).isNotNull();
		assertThat(read.length()).isEqualTo(100_000);
		ByteBuffer sent = ByteBuffer.allocate(10);
		file.read(sent, read.start());
		assertThat(new String(sent.array(), StandardCharsets.US_ASCII)).isEqualTo("yxxxxxxxxx");
		read.discard().block();
		assertThat(file.isOpen()).isFalse();
	}

	@Test
	void aLargeReadsContentClosesTheFileWhenDone() {
		FilesystemStorage storage = new FilesystemStorage("fs", this.directory.resolve("root"));
		byte[] content = new byte[200_000];
		content[199_999] = 7;
		storage.put("big", content).block();
		StoredContent read = storage.read("big", null).block();
		byte[] bytes = DataBufferUtils.join(read.content()).map(FilesystemReadTests::drain).block();
		assertThat(bytes).isEqualTo(content);
		assertThat(read.file().isOpen()).isFalse();
	}

	@Test
	void aSmallReadIsReadWithItsLookupAndOffersNoFile() {
		FilesystemStorage storage = new FilesystemStorage("fs", this.directory.resolve("root"));
		storage.put("small", "hello".getBytes(StandardCharsets.UTF_8)).block();
		StoredContent read = storage.read("small", ByteRange.of(1, 3)).block();
		assertThat(read.file()).isNull();
		assertThat(read.isPartial()).isTrue();
		assertThat(new String(DataBufferUtils.join(read.content()).map(FilesystemReadTests::drain).block(),
				StandardCharsets.UTF_8)).isEqualTo("ell");
	}

	@Test
	void aReadIsOneTaskOnTheSchedulerWhenSmallOrSentFromItsFile() {
		AtomicInteger tasks = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			Scheduler counting = Schedulers.fromExecutor(task -> {
				tasks.incrementAndGet();
				pool.execute(task);
			});
			FilesystemStorage storage = new FilesystemStorage("fs", this.directory.resolve("root"), null,
					DefaultDataBufferFactory.sharedInstance, counting);
			storage.put("small", new byte[1000]).block();
			storage.put("large", new byte[500_000]).block();
			tasks.set(0);
			StoredContent small = storage.read("small", null).block();
			assertThat(DataBufferUtils.join(small.content()).map(FilesystemReadTests::drain).block()).hasSize(1000);
			assertThat(tasks.get()).as("tasks for a small read").isEqualTo(1);
			tasks.set(0);
			StoredContent large = storage.read("large", null).block();
			assertThat(large.file()).isNotNull();
			large.discard().block();
			assertThat(tasks.get()).as("tasks for a large read sent from its file").isEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void informationAlwaysDescribesTheBytesReadUnderConcurrentOverwrites() throws Exception {
		FilesystemStorage storage = new FilesystemStorage("fs", this.directory.resolve("root"), null,
				DefaultDataBufferFactory.sharedInstance, Schedulers.boundedElastic(), FilesystemStorage.Durability.NONE);
		storage.put("k", version(0)).block();
		AtomicBoolean done = new AtomicBoolean();
		Thread writer = new Thread(() -> {
			for (int i = 1; i <= 400; i++) {
				storage.put("k", version(i), PutOptions.builder().metadata("v", Integer.toString(i)).build()).block();
			}
			done.set(true);
		});
		writer.start();
		int reads = 0;
		while (!done.get() || reads < 50) {
			StoredContent read = storage.read("k", null).block();
			byte[] bytes = DataBufferUtils.join(read.content()).map(FilesystemReadTests::drain).block();
			assertThat(bytes).hasSize((int) read.object().size());
			assertThat(read.object().etag()).isEqualTo(ContentHash.hex(bytes));
			String v = read.object().metadata().get("v");
			assertThat((v == null) ? 0 : Integer.parseInt(v) % 256).isEqualTo(bytes[0] & 0xff);
			reads++;
		}
		writer.join();
	}

	/** Version i: a length and a first byte of its own, so that a mix of two versions shows. */
	private static byte[] version(int i) {
		byte[] bytes = new byte[1000 + (i % 7) * 13 + ((i % 2 == 0) ? 70_000 : 0)];
		Arrays.fill(bytes, (byte) i);
		return bytes;
	}

	private static byte[] drain(DataBuffer buffer) {
		byte[] bytes = new byte[buffer.readableByteCount()];
		buffer.read(bytes);
		DataBufferUtils.release(buffer);
		return bytes;
	}


}
