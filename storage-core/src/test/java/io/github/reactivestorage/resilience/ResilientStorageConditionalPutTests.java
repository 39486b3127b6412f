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

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.support.ForwardingReactiveStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A conditional put is never retried by {@link ResilientStorage}: after a lost answer the first
 * attempt may have stored the object, and a retry would fail its own precondition.
 */
class ResilientStorageConditionalPutTests {

	private static final ResilienceSettings RETRY_THREE = ResilienceSettings.NONE.withMaxAttempts(3)
		.withBackoff(Duration.ofMillis(1), Duration.ofMillis(5));

	private final MemoryStorage memory = new MemoryStorage("m");

	@Test
	void aCreateOnlyPutWhoseAnswerWasLostReportsTheTransientErrorNotA412() {
		LostAnswers lost = new LostAnswers(this.memory, true);
		ReactiveStorage storage = new ResilientStorage(lost, RETRY_THREE);
		StepVerifier.create(storage.put("a.txt", bytes("mine"), PutOptions.builder().ifNoneMatch().build()))
			.expectError(StorageConnectionException.class)
			.verify(Duration.ofSeconds(10));
		assertThat(lost.calls).hasValue(1);
		assertThat(this.memory.getBytes("a.txt").block()).isEqualTo(bytes("mine"));
	}

	@Test
	void anIfMatchPutIsNotRetried() {
		LostAnswers lost = new LostAnswers(this.memory, false);
		ReactiveStorage storage = new ResilientStorage(lost, RETRY_THREE);
		StepVerifier.create(storage.put("a.txt", bytes("next"), PutOptions.builder().ifMatch("etag-1").build()))
			.expectError(StorageConnectionException.class)
			.verify(Duration.ofSeconds(10));
		assertThat(lost.calls).hasValue(1);
	}

	@Test
	void anUnconditionalPutOfBytesIsStillRetried() {
		LostAnswers lost = new LostAnswers(this.memory, true);
		ReactiveStorage storage = new ResilientStorage(lost, RETRY_THREE);
		StepVerifier.create(storage.put("a.txt", bytes("mine"), PutOptions.defaults()))
			.expectError(StorageConnectionException.class)
			.verify(Duration.ofSeconds(10));
		assertThat(lost.calls).hasValue(3);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Every put answers with a connection error, after storing the object if asked to (a put of bytes
	 * reaches it as a put of a one-buffer body).
	 */
	private static final class LostAnswers extends ForwardingReactiveStorage {

		final AtomicInteger calls = new AtomicInteger();

		private final boolean store;

		LostAnswers(ReactiveStorage delegate, boolean store) {
			super(delegate);
			this.store = store;
		}

		@Override
		public Mono<StoredObject> put(String key, Publisher<DataBuffer> body, PutOptions options) {
			return Mono.defer(() -> {
				this.calls.incrementAndGet();
				Mono<?> stored = this.store ? super.put(key, body, options)
						: Flux.from(body).doOnNext(DataBufferUtils::release).then();
				return stored.then(Mono.error(new StorageConnectionException("connection reset")));
			});
		}

	}

}
