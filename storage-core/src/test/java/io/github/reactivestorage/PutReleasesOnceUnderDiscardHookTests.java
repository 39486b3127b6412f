package io.github.reactivestorage;

import java.nio.file.Path;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

import io.github.reactivestorage.filesystem.FilesystemStorage;
import io.github.reactivestorage.memory.MemoryStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A put releases each body buffer exactly once, even when the subscriber's context carries a
 * {@code doOnDiscard(DataBuffer.class, release)} hook, as Spring WebFlux adds when it encodes the
 * {@code Mono} an annotated controller returns. The body is made of slices sharing their parent's
 * reference count, as Reactor Netty's request chunks do: one release too many takes a count from
 * the parent (and, on a server, frees sibling chunks still queued), which DataBufferUtils.release
 * on a single buffer would hide.
 */
class PutReleasesOnceUnderDiscardHookTests {

	private static final int CHUNK = 8 * 1024;

	private static final int CHUNKS = 16;

	@TempDir
	Path directory;

	@Test
	void filesystemPut() {
		assertReleasedOnce(new FilesystemStorage("files", this.directory), true);
	}

	@Test
	void smallFilesystemPut() {
		// a declared length of at most 64 KiB takes the collect-then-write path
		assertReleasedOnce(new FilesystemStorage("files", this.directory), true, 4);
	}

	@Test
	void smallFilesystemPutWhoseBodyFailsReleasesOnceAndStoresNothing() {
		ByteBuf parent = Unpooled.wrappedBuffer(new byte[CHUNK * 4]);
		NettyDataBufferFactory factory = new NettyDataBufferFactory(parent.alloc());
		Flux<DataBuffer> body = Flux.concat(Flux.range(0, 2).map(i -> factory.wrap(parent.retainedSlice(i * CHUNK, CHUNK))),
				Flux.error(new IllegalStateException("client went away")));
		FilesystemStorage storage = new FilesystemStorage("files", this.directory);
		StepVerifier
			.create(storage.put("failed.bin", body, PutOptions.builder().contentLength(CHUNK * 4).build())
				.doOnDiscard(DataBuffer.class, DataBufferUtils::release))
			.verifyError(IllegalStateException.class);
		assertThat(parent.refCnt()).isEqualTo(1);
		parent.release();
		StepVerifier.create(storage.exists("failed.bin")).expectNext(false).verifyComplete();
	}

	@Test
	void smallFilesystemPutWithAWrongDeclaredLengthFailsAndStoresNothing() {
		FilesystemStorage storage = new FilesystemStorage("files", this.directory);
		for (long declared : new long[] { CHUNK * 3 - 1, CHUNK * 3 + 1 }) {
			ByteBuf parent = Unpooled.wrappedBuffer(new byte[CHUNK * 3]);
			NettyDataBufferFactory factory = new NettyDataBufferFactory(parent.alloc());
			Flux<DataBuffer> body = Flux.range(0, 3).map(i -> factory.wrap(parent.retainedSlice(i * CHUNK, CHUNK)));
			StepVerifier.create(storage.put("wrong.bin", body, PutOptions.builder().contentLength(declared).build()))
				.expectErrorSatisfies(error -> assertThat(error).isInstanceOf(StorageException.class)
					.hasMessageContaining("Body has " + (CHUNK * 3) + " bytes but the content length given was "
							+ declared))
				.verify();
			assertThat(parent.refCnt()).isEqualTo(1);
			parent.release();
			StepVerifier.create(storage.exists("wrong.bin")).expectNext(false).verifyComplete();
		}
	}

	@Test
	void memoryPut() {
		assertReleasedOnce(new MemoryStorage("scratch"), true);
	}

	@Test
	void memoryPutOverQuota() {
		assertReleasedOnce(new MemoryStorage("scratch", DefaultDataBufferFactory.sharedInstance, 3 * CHUNK), false);
	}

	@Test
	void filesystemPutWhoseBodyFailsReleasesQueuedBuffersOnce() {
		ByteBuf parent = Unpooled.wrappedBuffer(new byte[CHUNK * CHUNKS]);
		NettyDataBufferFactory factory = new NettyDataBufferFactory(parent.alloc());
		Flux<DataBuffer> body = Flux.concat(
				Flux.range(0, CHUNKS).map(i -> factory.wrap(parent.retainedSlice(i * CHUNK, CHUNK))),
				Flux.error(new IllegalStateException("client went away")));
		StepVerifier
			.create(new FilesystemStorage("files", this.directory).put("failed.bin", body, PutOptions.defaults())
				.doOnDiscard(DataBuffer.class, DataBufferUtils::release))
			.verifyError(IllegalStateException.class);
		awaitRefCnt(parent, 1);
		parent.release();
	}

	@Test
	void cancelledFilesystemPutReleasesQueuedBuffersOnce() {
		ByteBuf parent = Unpooled.wrappedBuffer(new byte[CHUNK * CHUNKS]);
		NettyDataBufferFactory factory = new NettyDataBufferFactory(parent.alloc());
		Flux<DataBuffer> body = Flux.concat(
				Flux.range(0, CHUNKS).map(i -> factory.wrap(parent.retainedSlice(i * CHUNK, CHUNK))), Flux.never());
		StepVerifier
			.create(new FilesystemStorage("files", this.directory).put("cancelled.bin", body, PutOptions.defaults())
				.doOnDiscard(DataBuffer.class, DataBufferUtils::release))
			.thenAwait(java.time.Duration.ofMillis(300))
			.thenCancel()
			.verify(java.time.Duration.ofSeconds(10));
		awaitRefCnt(parent, 1);
		parent.release();
	}

	/** Waits for asynchronous releases to finish; fails if the count goes below or never reaches it. */
	private static void awaitRefCnt(ByteBuf parent, int expected) {
		long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
		while (parent.refCnt() > expected && System.nanoTime() < deadline) {
			Thread.onSpinWait();
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		assertThat(parent.refCnt()).as("the parent's own reference, left after each slice was released once")
			.isEqualTo(expected);
	}

	private void assertReleasedOnce(ReactiveStorage storage, boolean succeeds) {
		assertReleasedOnce(storage, succeeds, CHUNKS);
	}

	private void assertReleasedOnce(ReactiveStorage storage, boolean succeeds, int chunks) {
		byte[] content = new byte[CHUNK * chunks];
		new Random(7).nextBytes(content);
		ByteBuf parent = Unpooled.wrappedBuffer(content);
		NettyDataBufferFactory factory = new NettyDataBufferFactory(parent.alloc());
		// slices made on demand, as a server's chunks arrive: each is the put's to release
		Flux<DataBuffer> body = Flux.range(0, chunks).map(i -> factory.wrap(parent.retainedSlice(i * CHUNK, CHUNK)));
		StepVerifier.Step<StoredObject> step = StepVerifier.create(storage
			.put("blob.bin", body, PutOptions.builder().contentLength(content.length).build())
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release));
		if (succeeds) {
			step.assertNext(stored -> assertThat(stored.size()).isEqualTo(content.length)).verifyComplete();
		}
		else {
			step.verifyError(StorageQuotaExceededException.class);
		}
		assertThat(parent.refCnt()).as("the parent's own reference, left after each slice was released once")
			.isEqualTo(1);
		if (succeeds) {
			StepVerifier.create(storage.getBytes("blob.bin")).assertNext(bytes -> assertThat(bytes).isEqualTo(content))
				.verifyComplete();
		}
		parent.release();
	}

}
