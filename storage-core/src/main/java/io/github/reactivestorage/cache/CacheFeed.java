package io.github.reactivestorage.cache;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * The body of the cache's {@code put} during a fill: a one-slot hand-off between the origin stream
 * and the cache writer. {@link #offer} emits the caller's buffer once the writer has taken a copy (or
 * has gone away), so the origin is read no faster than the slower of the caller and the cache, and at
 * most one buffer (and its copy) waits here. Single subscriber.
 */
final class CacheFeed implements Publisher<DataBuffer> {

	private final Object lock = new Object();

	private @Nullable Subscriber<? super DataBuffer> subscriber;

	private long requested;

	private @Nullable DataBuffer pending;

	private @Nullable DataBuffer pendingOriginal;

	private @Nullable MonoSink<DataBuffer> pendingSink;

	private final DataBufferFactory bufferFactory;

	private boolean cancelled;

	private boolean terminated;

	/** The subscriber's onSubscribe has returned: it may be signalled. */
	private boolean ready;

	/** @param bufferFactory the cache's factory, for the copies handed to the writer */
	CacheFeed(DataBufferFactory bufferFactory) {
		this.bufferFactory = bufferFactory;
	}

	@Override
	public void subscribe(Subscriber<? super DataBuffer> s) {
		Objects.requireNonNull(s, "subscriber");
		boolean taken;
		synchronized (this.lock) {
			taken = this.subscriber != null;
			if (!taken) {
				this.subscriber = s;
			}
		}
		if (taken) {
			Operators.error(s, new IllegalStateException("A cache feed allows one subscriber"));
			return;
		}
		s.onSubscribe(new Subscription() {

			@Override
			public void request(long n) {
				CacheFeed.this.request(n);
			}

			@Override
			public void cancel() {
				CacheFeed.this.cancel();
			}

		});
		boolean completedEarly;
		synchronized (this.lock) {
			this.ready = true;
			completedEarly = this.terminated && !this.cancelled;
		}
		if (completedEarly) {
			// an empty origin body can end before the writer has subscribed
			s.onComplete();
		}
	}

	/**
	 * Hand a copy of the buffer to the cache writer, then emit the buffer itself for the caller. The
	 * copy comes from the cache's factory; while it waits for the writer's demand this feed holds both
	 * and releases both if the returned {@code Mono} is cancelled. When the writer is gone the buffer is
	 * emitted at once, uncopied. One offer at a time.
	 */
	Mono<DataBuffer> offer(DataBuffer buffer) {
		return Mono.create((sink) -> {
			Subscriber<? super DataBuffer> target = null;
			DataBuffer copy = null;
			synchronized (this.lock) {
				boolean handOver = !this.cancelled && !this.terminated && buffer.readableByteCount() > 0;
				if (handOver && this.requested > 0 && this.subscriber != null) {
					this.requested--;
					target = this.subscriber;
					copy = copy(buffer);
				}
				else if (handOver) {
					this.pending = copy(buffer);
					this.pendingOriginal = buffer;
					this.pendingSink = sink;
					sink.onCancel(this::dropPending);
					return;
				}
			}
			if (target != null) {
				target.onNext(copy);
			}
			sink.success(buffer);
		});
	}

	private DataBuffer copy(DataBuffer buffer) {
		DataBuffer copy = this.bufferFactory.allocateBuffer(buffer.readableByteCount());
		try (DataBuffer.ByteBufferIterator views = buffer.readableByteBuffers()) {
			while (views.hasNext()) {
				copy.write(views.next());
			}
		}
		return copy;
	}

	/** The origin stream ended: complete the writer's body. */
	void complete() {
		Subscriber<? super DataBuffer> target;
		synchronized (this.lock) {
			boolean signal = !this.cancelled && !this.terminated && this.ready;
			this.terminated = true;
			if (!signal) {
				// not subscribed yet (subscribe completes it), or nobody to tell
				return;
			}
			target = this.subscriber;
		}
		target.onComplete();
	}

	private void request(long n) {
		if (n <= 0) {
			return;
		}
		DataBuffer copy;
		DataBuffer original;
		MonoSink<DataBuffer> sink;
		Subscriber<? super DataBuffer> target;
		synchronized (this.lock) {
			if (this.cancelled) {
				return;
			}
			this.requested = (this.requested + n < 0) ? Long.MAX_VALUE : this.requested + n;
			if (this.pending == null || this.subscriber == null) {
				return;
			}
			copy = this.pending;
			original = this.pendingOriginal;
			sink = this.pendingSink;
			this.pending = null;
			this.pendingOriginal = null;
			this.pendingSink = null;
			this.requested--;
			target = this.subscriber;
		}
		target.onNext(copy);
		sink.success(original);
	}

	/**
	 * The writer is gone, or never came (its put failed before subscribing): stop handing over. The
	 * waiting copy is released and the caller's buffer emitted.
	 */
	void abandon() {
		cancel();
	}

	private void cancel() {
		Pending taken = takePending(true);
		if (taken.copy() != null) {
			DataBufferUtils.release(taken.copy());
		}
		if (taken.sink() != null) {
			// the writer is gone: the caller still gets its buffer
			taken.sink().success(taken.original());
		}
	}

	private void dropPending() {
		Pending taken = takePending(false);
		if (taken.copy() != null) {
			DataBufferUtils.release(taken.copy());
		}
		if (taken.original() != null) {
			DataBufferUtils.release(taken.original());
		}
	}

	/** Takes the chunk in flight (its copy, the original and the caller's sink) out, under the lock. */
	private Pending takePending(boolean cancel) {
		synchronized (this.lock) {
			if (cancel) {
				this.cancelled = true;
			}
			Pending taken = new Pending(this.pending, this.pendingOriginal, this.pendingSink);
			this.pending = null;
			this.pendingOriginal = null;
			this.pendingSink = null;
			return taken;
		}
	}

	private record Pending(@Nullable DataBuffer copy, @Nullable DataBuffer original,
			@Nullable MonoSink<DataBuffer> sink) {
	}

}
