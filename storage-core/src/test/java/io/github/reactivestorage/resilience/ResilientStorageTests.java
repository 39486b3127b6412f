package io.github.reactivestorage.resilience;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.support.ForwardingReactiveStorage;

import static org.assertj.core.api.Assertions.assertThat;

class ResilientStorageTests {

	private static final ResilienceSettings RETRY_THREE = ResilienceSettings.NONE.withMaxAttempts(3)
		.withBackoff(Duration.ofMillis(1), Duration.ofMillis(5));

	private final MemoryStorage memory = new MemoryStorage("m");

	@Test
	void infoIsRetriedOnConnectionErrors() {
		memory.put("a.txt", bytes("hello")).block();
		Flaky flaky = new Flaky(memory, 2);
		ReactiveStorage storage = new ResilientStorage(flaky, RETRY_THREE);
		StepVerifier.create(storage.info("a.txt")).assertNext(o -> assertThat(o.size()).isEqualTo(5)).verifyComplete();
		assertThat(flaky.calls.get()).isEqualTo(3);
	}

	@Test
	void retriesStopAtMaxAttemptsWithTheLastError() {
		Flaky flaky = new Flaky(memory, 10);
		ReactiveStorage storage = new ResilientStorage(flaky, RETRY_THREE);
		StepVerifier.create(storage.exists("a.txt")).expectError(StorageConnectionException.class).verify();
		assertThat(flaky.calls.get()).isEqualTo(3);
	}

	@Test
	void otherErrorsAreNotRetried() {
		Flaky flaky = new Flaky(memory, 0);
		ReactiveStorage storage = new ResilientStorage(flaky, RETRY_THREE);
		StepVerifier.create(storage.info("missing.txt")).expectError(ObjectNotFoundException.class).verify();
		assertThat(flaky.calls.get()).isEqualTo(1);
	}

	@Test
	void getIsRetriedBeforeTheFirstBuffer() {
		memory.put("a.txt", bytes("hello")).block();
		Flaky flaky = new Flaky(memory, 1);
		ReactiveStorage storage = new ResilientStorage(flaky, RETRY_THREE);
		StepVerifier.create(storage.getBytes("a.txt"))
			.assertNext(content -> assertThat(new String(content, StandardCharsets.UTF_8)).isEqualTo("hello"))
			.verifyComplete();
		assertThat(flaky.calls.get()).isEqualTo(2);
	}

	@Test
	void getIsNotRetriedAfterBytesWereEmitted() {
		memory.put("a.txt", bytes("hello")).block();
		AtomicInteger calls = new AtomicInteger();
		ReactiveStorage failingMidStream = new ForwardingReactiveStorage(memory) {
			@Override
			public Flux<DataBuffer> get(String key) {
				return Flux.defer(() -> {
					calls.incrementAndGet();
					return super.get(key).concatWith(Flux.error(new StorageConnectionException("reset")));
				});
			}
		};
		ReactiveStorage storage = new ResilientStorage(failingMidStream, RETRY_THREE);
		StepVerifier.create(storage.get("a.txt").doOnNext(DataBufferUtils::release))
			.expectNextCount(1)
			.expectError(StorageConnectionException.class)
			.verify();
		assertThat(calls.get()).isEqualTo(1);
	}

	@Test
	void putOfAStreamIsNeverRetried() {
		Flaky flaky = new Flaky(memory, 1);
		ReactiveStorage storage = new ResilientStorage(flaky, RETRY_THREE);
		Flux<DataBuffer> oneShot = Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(bytes("x"))));
		StepVerifier.create(storage.put("a.txt", oneShot, PutOptions.defaults()))
			.expectError(StorageConnectionException.class)
			.verify();
		assertThat(flaky.calls.get()).isEqualTo(1);
	}

	@Test
	void putOfBytesIsRetried() {
		Flaky flaky = new Flaky(memory, 1);
		ReactiveStorage storage = new ResilientStorage(flaky, RETRY_THREE);
		StepVerifier.create(storage.put("a.txt", bytes("again"))).expectNextCount(1).verifyComplete();
		assertThat(flaky.calls.get()).isEqualTo(2);
		assertThat(memory.getBytes("a.txt").block()).isEqualTo(bytes("again"));
	}

	@Test
	void deleteIsNotRetried() {
		memory.put("a.txt", bytes("hello")).block();
		Flaky flaky = new Flaky(memory, 1);
		ReactiveStorage storage = new ResilientStorage(flaky, RETRY_THREE);
		StepVerifier.create(storage.delete("a.txt")).expectError(StorageConnectionException.class).verify();
		assertThat(flaky.calls.get()).isEqualTo(1);
	}

	@Test
	void conditionalPutOfBytesIsNotRetriedAfterALostAnswer() {
		String etag = memory.put("a.txt", bytes("v1")).block().etag();
		LosingAnswers losing = new LosingAnswers(memory);
		ReactiveStorage storage = new ResilientStorage(losing, RETRY_THREE);
		// a retry would fail its precondition against the write that succeeded: the caller gets the
		// connection error (outcome unknown), never a PreconditionFailedException for its own success
		StepVerifier.create(storage.put("a.txt", bytes("v2"), PutOptions.builder().ifMatch(etag).build()))
			.expectError(StorageConnectionException.class)
			.verify();
		assertThat(losing.calls.get()).isEqualTo(1);
		assertThat(memory.getBytes("a.txt").block()).isEqualTo(bytes("v2"));
	}

	@Test
	void createOnlyPutOfBytesIsNotRetriedAfterALostAnswer() {
		LosingAnswers losing = new LosingAnswers(memory);
		ReactiveStorage storage = new ResilientStorage(losing, RETRY_THREE);
		StepVerifier.create(storage.put("new.txt", bytes("v1"), PutOptions.builder().ifNoneMatch().build()))
			.expectError(StorageConnectionException.class)
			.verify();
		assertThat(losing.calls.get()).isEqualTo(1);
	}

	@Test
	void conditionalDeleteIsNotRetriedAndReachesTheDelegate() {
		String etag = memory.put("a.txt", bytes("v1")).block().etag();
		LosingAnswers losing = new LosingAnswers(memory);
		ReactiveStorage storage = new ResilientStorage(losing, RETRY_THREE);
		StepVerifier.create(storage.delete("a.txt", DeleteOptions.ifMatch(etag)))
			.expectError(StorageConnectionException.class)
			.verify();
		assertThat(losing.calls.get()).isEqualTo(1);
		assertThat(memory.exists("a.txt").block()).isFalse();
	}

	@Test
	void timeoutIsAConnectionErrorNamingTheMount() {
		ReactiveStorage slow = new ForwardingReactiveStorage(memory) {
			@Override
			public Mono<StoredObject> info(String key) {
				return Mono.never();
			}
		};
		ReactiveStorage storage = new ResilientStorage(slow, ResilienceSettings.NONE.withTimeout(Duration.ofMillis(50)));
		StepVerifier.create(storage.info("a.txt"))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(StorageConnectionException.class)
				.hasMessageContaining("timed out")
				.hasMessageContaining("mount 'm'"))
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void timeoutOfGetBoundsOnlyTheFirstBuffer() {
		memory.put("a.txt", bytes("hello")).block();
		ReactiveStorage storage = new ResilientStorage(memory, ResilienceSettings.NONE.withTimeout(Duration.ofMillis(200)));
		StepVerifier.create(storage.get("a.txt").delayElements(Duration.ofMillis(300)).doOnNext(DataBufferUtils::release))
			.expectNextCount(1)
			.verifyComplete();
	}

	@Test
	void invalidSettingsAreRejected() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> ResilienceSettings.NONE.withMaxAttempts(0));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> ResilienceSettings.NONE.withTimeout(Duration.ZERO));
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/** Does every write, then loses its answer: a connection error instead of the result. */
	static final class LosingAnswers extends ForwardingReactiveStorage {

		final AtomicInteger calls = new AtomicInteger();

		LosingAnswers(ReactiveStorage delegate) {
			super(delegate);
		}

		@Override
		public Mono<StoredObject> put(String key, Publisher<DataBuffer> body, PutOptions options) {
			return Mono.defer(() -> {
				this.calls.incrementAndGet();
				return super.put(key, body, options).then(Mono.error(new StorageConnectionException("reset")));
			});
		}

		@Override
		public Mono<Void> delete(String key, DeleteOptions options) {
			return Mono.defer(() -> {
				this.calls.incrementAndGet();
				return super.delete(key, options).then(Mono.error(new StorageConnectionException("reset")));
			});
		}

	}

	/** Fails the first {@code failures} calls of each operation with a connection error. */
	static final class Flaky extends ForwardingReactiveStorage {

		final AtomicInteger calls = new AtomicInteger();

		private final int failures;

		Flaky(ReactiveStorage delegate, int failures) {
			super(delegate);
			this.failures = failures;
		}

		private boolean fail() {
			return this.calls.incrementAndGet() <= this.failures;
		}

		@Override
		public Mono<StoredObject> info(String key) {
			return Mono.defer(() -> fail() ? Mono.error(new StorageConnectionException("refused")) : super.info(key));
		}

		@Override
		public Mono<Boolean> exists(String key) {
			return Mono.defer(() -> fail() ? Mono.error(new StorageConnectionException("refused")) : super.exists(key));
		}

		@Override
		public Flux<DataBuffer> get(String key) {
			return Flux.defer(() -> fail() ? Flux.error(new StorageConnectionException("refused")) : super.get(key));
		}

		@Override
		public Mono<StoredObject> put(String key, Publisher<DataBuffer> body, PutOptions options) {
			return Mono.defer(() -> {
				if (fail()) {
					return Flux.from(body).doOnNext(DataBufferUtils::release)
						.then(Mono.error(new StorageConnectionException("reset")));
				}
				return super.put(key, body, options);
			});
		}

		@Override
		public Mono<Void> delete(String key) {
			return Mono.defer(() -> fail() ? Mono.error(new StorageConnectionException("refused")) : super.delete(key));
		}

	}

}
