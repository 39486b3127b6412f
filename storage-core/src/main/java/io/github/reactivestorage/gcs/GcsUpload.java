package io.github.reactivestorage.gcs;

import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;

import com.google.cloud.WriteChannel;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.StorageException;

/**
 * Feeds a body into a {@link WriteChannel}, one buffer at a time, on one worker of the storage's
 * scheduler: a buffer is written and released there, then the next one is requested, so no buffer
 * waits in a queue and none is lost on error or cancel. The channel is opened when the first byte
 * arrives (or at the end of an empty body) and closed — which makes GCS finalise the object — only
 * when the body completes with the expected length. On a body error, a write error or a cancel it
 * is abandoned unclosed, so that no object appears.
 */
final class GcsUpload extends BaseSubscriber<DataBuffer> {

	private final Callable<WriteChannel> opener;

	private final Scheduler.Worker worker;

	private final MonoSink<Long> sink;

	private final long expectedLength;

	private final @Nullable String key;

	// touched only on the worker
	private @Nullable WriteChannel channel;

	private long size;

	private boolean finished;

	// set by the subscriber's cancel, read by the worker
	private volatile boolean cancelled;

	private GcsUpload(Callable<WriteChannel> opener, Scheduler.Worker worker, MonoSink<Long> sink,
			long expectedLength, @Nullable String key) {
		this.opener = opener;
		this.worker = worker;
		this.sink = sink;
		this.expectedLength = expectedLength;
		this.key = key;
	}

	/**
	 * Writes the body through a channel from {@code opener}.
	 * @return the number of bytes written, once the channel is closed
	 */
	static Mono<Long> write(Publisher<DataBuffer> body, Callable<WriteChannel> opener, Scheduler scheduler,
			long expectedLength, @Nullable String key) {
		return Mono.create(sink -> {
			Scheduler.Worker worker = scheduler.createWorker();
			GcsUpload upload = new GcsUpload(opener, worker, sink, expectedLength, key);
			sink.onCancel(upload::abandon);
			body.subscribe(upload);
		});
	}

	@Override
	protected void hookOnSubscribe(Subscription subscription) {
		subscription.request(1);
	}

	@Override
	protected void hookOnNext(DataBuffer buffer) {
		if (!schedule(() -> writeAndRequest(buffer))) {
			DataBufferUtils.release(buffer);
		}
	}

	@Override
	protected void hookOnComplete() {
		schedule(this::finish);
	}

	@Override
	protected void hookOnError(Throwable error) {
		schedule(() -> fail(error));
	}

	private boolean schedule(Runnable task) {
		try {
			this.worker.schedule(task);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	private void writeAndRequest(DataBuffer buffer) {
		if (this.finished || this.cancelled) {
			DataBufferUtils.release(buffer);
			return;
		}
		try {
			this.size += buffer.readableByteCount();
			if (this.expectedLength >= 0 && this.size > this.expectedLength) {
				throw new StorageException(
						"The body has more bytes than the content length given, " + this.expectedLength, this.key,
						null);
			}
			WriteChannel writeChannel = channel();
			try (DataBuffer.ByteBufferIterator iterator = buffer.readableByteBuffers()) {
				while (iterator.hasNext()) {
					ByteBuffer bytes = iterator.next();
					while (bytes.hasRemaining()) {
						writeChannel.write(bytes);
					}
				}
			}
		}
		catch (Throwable ex) {
			DataBufferUtils.release(buffer);
			cancel();
			fail(ex);
			return;
		}
		DataBufferUtils.release(buffer);
		request(1);
	}

	private WriteChannel channel() throws Exception {
		WriteChannel writeChannel = this.channel;
		if (writeChannel == null) {
			writeChannel = this.opener.call();
			this.channel = writeChannel;
		}
		return writeChannel;
	}

	private void finish() {
		if (this.finished || this.cancelled) {
			return;
		}
		try {
			if (this.expectedLength >= 0 && this.size != this.expectedLength) {
				throw new StorageException("The body has " + this.size
						+ " bytes but the content length given was " + this.expectedLength, this.key, null);
			}
			channel().close();
			this.finished = true;
			this.worker.dispose();
			this.sink.success(this.size);
		}
		catch (Throwable ex) {
			fail(ex);
		}
	}

	private void fail(Throwable error) {
		if (this.finished) {
			return;
		}
		// the channel is abandoned unclosed: GCS finalises an upload only when it is closed
		this.finished = true;
		this.worker.dispose();
		this.sink.error(error);
	}

	private void abandon() {
		this.cancelled = true;
		cancel();
		// after the writes already scheduled, which release their buffers without writing
		schedule(this.worker::dispose);
	}

}
