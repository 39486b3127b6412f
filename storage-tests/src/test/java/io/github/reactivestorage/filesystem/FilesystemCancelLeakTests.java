package io.github.reactivestorage.filesystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.conformance.LeakTrackingDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A put cancelled while buffers are in flight releases every buffer it was handed, closes its staging
 * channel and deletes its staging file: 300 runs with the cancel at a random point (before the
 * staging file is open, during writes, with buffers queued), on both write paths, 0 leaks.
 */
class FilesystemCancelLeakTests {

	private static final int RUNS = 300;

	@TempDir
	Path directory;

	@Test
	void cancelledPutsReleaseEveryBufferAndLeaveNoStagingFile() throws Exception {
		LeakTrackingDataBufferFactory factory = new LeakTrackingDataBufferFactory();
		Path root = this.directory.resolve("root");
		FilesystemStorage storage = new FilesystemStorage("fs", root, null, factory, Schedulers.boundedElastic());
		storage.put("k", new byte[] { 1 }).block();
		int allocated = 0;
		for (int run = 0; run < RUNS; run++) {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			Sinks.Many<DataBuffer> sink = Sinks.many().unicast().onBackpressureBuffer();
			boolean small = random.nextBoolean();
			PutOptions options = small ? PutOptions.builder().contentLength(64 * 1024).build() : PutOptions.defaults();
			Disposable put = storage.put("k", sink.asFlux(), options).subscribe(null, error -> {
			});
			int before = random.nextInt(0, 12);
			for (int i = 0; i < before; i++) {
				sink.tryEmitNext(factory.wrap(new byte[1024]));
			}
			if (random.nextBoolean()) {
				Thread.onSpinWait();
				TimeUnit.MICROSECONDS.sleep(random.nextInt(0, 2000));
			}
			Thread emitter = new Thread(() -> {
				for (int i = 0; i < 8; i++) {
					DataBuffer buffer = factory.wrap(new byte[1024]);
					if (sink.tryEmitNext(buffer).isFailure()) {
						// not handed to the put (it was cancelled): still the emitter's to release
						DataBufferUtils.release(buffer);
						return;
					}
				}
			});
			emitter.start();
			put.dispose();
			emitter.join();
			boolean subscribed = sink.currentSubscriberCount() > 0;
			// a put cancelled before it subscribed the body was never handed the queued buffers: the
			// body's owner releases them, as a server releases an unread request body
			sink.asFlux().subscribe(DataBufferUtils::release, error -> {
			});
			allocated += factory.allocationCount();
			try {
				factory.checkForLeaks(Duration.ofSeconds(10));
			}
			catch (AssertionError ex) {
				throw new AssertionError("run " + run + ", small=" + small + ", emitted before cancel " + before
						+ ", body subscribed " + subscribed + ": " + ex.getMessage(), ex);
			}
			factory.reset();
			if (!stagingFiles(root).isEmpty()) {
				Thread.sleep(200);
				assertThat(stagingFiles(root)).as("run " + run + ", small=" + small + ", emitted before cancel " + before).isEmpty();
			}
		}
		assertThat(allocated).as("buffers handed to the cancelled puts").isGreaterThan(RUNS);
		assertThat(storage.getBytes("k").block()).containsExactly(1);
		awaitNoStagingFiles(root);
	}

	private static void awaitNoStagingFiles(Path root) throws IOException, InterruptedException {
		// clean-up after a cancel runs on the scheduler: wait for it, then assert
		for (int i = 0; i < 500 && !stagingFiles(root).isEmpty(); i++) {
			Thread.sleep(10);
		}
		assertThat(stagingFiles(root)).isEmpty();
	}

	private static List<Path> stagingFiles(Path root) throws IOException {
		Path tmp = root.resolve(".storage/tmp");
		if (!Files.exists(tmp)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(tmp)) {
			return files.toList();
		}
	}

}
