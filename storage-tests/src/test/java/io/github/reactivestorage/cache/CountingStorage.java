package io.github.reactivestorage.cache;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.support.ForwardingReactiveStorage;

/**
 * An origin that counts the reads it serves and the buffers it emits, and lets a test hold back or
 * break its bodies.
 */
class CountingStorage extends ForwardingReactiveStorage {

	final AtomicInteger gets = new AtomicInteger();

	final AtomicInteger rangeGets = new AtomicInteger();

	final AtomicInteger infos = new AtomicInteger();

	final AtomicInteger buffersEmitted = new AtomicInteger();

	private volatile Mono<Void> gate = Mono.empty();

	private volatile UnaryOperator<Flux<DataBuffer>> bodies = UnaryOperator.identity();

	CountingStorage(ReactiveStorage delegate) {
		super(delegate);
	}

	/** Whole-object reads and infos start only when the gate completes. */
	void holdBodiesUntil(Mono<Void> gate) {
		this.gate = gate;
	}

	/** Bodies pass through the function (to cut them short with an error, say). */
	void transformBodies(UnaryOperator<Flux<DataBuffer>> bodies) {
		this.bodies = bodies;
	}

	@Override
	public Flux<DataBuffer> get(String key) {
		return Flux.defer(() -> {
			this.gets.incrementAndGet();
			return this.bodies.apply(super.get(key)).doOnNext((buffer) -> this.buffersEmitted.incrementAndGet());
		}).delaySubscription(this.gate);
	}

	@Override
	public Flux<DataBuffer> get(String key, ByteRange range) {
		return Flux.defer(() -> {
			this.rangeGets.incrementAndGet();
			return super.get(key, range);
		});
	}

	@Override
	public Mono<StoredObject> info(String key) {
		return Mono.defer(() -> {
			this.infos.incrementAndGet();
			return super.info(key);
		}).delaySubscription(this.gate);
	}

}
