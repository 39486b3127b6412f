package io.github.reactivestorage.memory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageQuotaExceededException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code max-size} across concurrent puts: the bytes of puts in flight are reserved as they arrive,
 * so stored plus in-flight bytes never pass the limit, and a put that fails or is cancelled gives
 * its reservation back.
 */
class MemoryStorageQuotaTests {

	private static final int MAX = 100_000;

	private static final int CHUNK = 1_000;

	private static final int CHUNKS = 10;

	private final MemoryStorage memory = new MemoryStorage("quota", DefaultDataBufferFactory.sharedInstance, MAX);

	@Test
	void concurrentPutsNeverHoldMoreThanMaxSizeTogether() {
		int puts = 60;
		AtomicLong peak = new AtomicLong();
		ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
		List<Boolean> outcomes = Flux.range(0, puts)
			.flatMap((i) -> this.memory.put("k" + i, body(peak), PutOptions.defaults())
				.thenReturn(true)
				.onErrorResume((ex) -> {
					failures.add(ex);
					return Mono.just(false);
				}), puts)
			.collectList()
			.block(Duration.ofSeconds(30));
		long stored = outcomes.stream().filter(Boolean::booleanValue).count();
		assertThat(peak.get()).as("stored + reserved at any time").isLessThanOrEqualTo(MAX);
		assertThat(stored).isBetween(1L, (long) (MAX / (CHUNK * CHUNKS)));
		assertThat(failures).hasSize(puts - (int) stored).allMatch(StorageQuotaExceededException.class::isInstance);
		assertThat(this.memory.reservedBytes()).isZero();
		assertThat(this.memory.usedBytes()).isEqualTo(stored * CHUNK * CHUNKS);
		// what the failed puts had reserved is free again: the rest of the limit can be filled
		int free = (int) (MAX - this.memory.usedBytes());
		StepVerifier.create(this.memory.put("one-too-many", new byte[free + 1]))
			.expectError(StorageQuotaExceededException.class)
			.verify();
		StepVerifier.create(this.memory.put("rest", new byte[free])).expectNextCount(1).verifyComplete();
		assertThat(this.memory.usedBytes()).isEqualTo(MAX);
	}

	@Test
	void aCancelledPutGivesItsReservationBack() {
		Flux<DataBuffer> stalled = Flux.<DataBuffer>just(DefaultDataBufferFactory.sharedInstance.wrap(new byte[60_000]))
			.concatWith(Flux.never());
		StepVerifier.create(this.memory.put("stalled", stalled, PutOptions.defaults()))
			.expectSubscription()
			.then(() -> assertThat(this.memory.reservedBytes()).isEqualTo(60_000))
			.thenCancel()
			.verify();
		assertThat(this.memory.reservedBytes()).isZero();
		StepVerifier.create(this.memory.put("full", new byte[MAX])).expectNextCount(1).verifyComplete();
	}

	@Test
	void anOverwriteInFlightCountsTheObjectItReplacesOnce() {
		this.memory.put("a", new byte[80_000]).block();
		Flux<DataBuffer> stalled = Flux.<DataBuffer>just(DefaultDataBufferFactory.sharedInstance.wrap(new byte[80_000]))
			.concatWith(Flux.never());
		StepVerifier.create(this.memory.put("a", stalled, PutOptions.defaults()))
			.expectSubscription()
			.then(() -> {
				// the first overwrite in flight may replace the 80 kB; a second may not count them too
				StepVerifier.create(this.memory.put("a", new byte[80_000]))
					.expectError(StorageQuotaExceededException.class)
					.verify();
				StepVerifier.create(this.memory.put("b", new byte[20_000])).expectNextCount(1).verifyComplete();
			})
			.thenCancel()
			.verify();
		assertThat(this.memory.reservedBytes()).isZero();
		StepVerifier.create(this.memory.put("a", new byte[80_000])).expectNextCount(1).verifyComplete();
		assertThat(this.memory.usedBytes()).isEqualTo(100_000);
	}

	/** Ten chunks arriving on a timer thread, sampling stored + reserved bytes before each. */
	private Flux<DataBuffer> body(AtomicLong peak) {
		return Flux.range(0, CHUNKS)
			.delayElements(Duration.ofMillis(1), Schedulers.parallel())
			.map((i) -> {
				long used = this.memory.usedBytes();
				long held = used + this.memory.reservedBytes();
				peak.accumulateAndGet(held, Math::max);
				return (DataBuffer) DefaultDataBufferFactory.sharedInstance.wrap(new byte[CHUNK]);
			});
	}

}
