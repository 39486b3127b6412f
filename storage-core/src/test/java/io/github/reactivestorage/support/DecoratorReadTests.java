package io.github.reactivestorage.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.observation.ByteCounter;
import io.github.reactivestorage.observation.ObservedStorage;
import io.github.reactivestorage.resilience.ResilienceSettings;
import io.github.reactivestorage.resilience.ResilientStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every library decorator forwards {@code read} as one delegate {@code read} (no {@code info} or
 * {@code get}), with its own behaviour: prefixes stripped, retries of a transient lookup, bytes
 * counted also when sent from the file; a user's decorator that overrides only {@code get} is not
 * bypassed by the interface's default.
 */
class DecoratorReadTests {

	private final MemoryStorage memory = new MemoryStorage("m");

	private final Counting counting = new Counting(this.memory);

	private static String text(StoredContent content) {
		return DataBufferUtils.join(content.content()).map(buffer -> {
			String text = buffer.toString(StandardCharsets.UTF_8);
			DataBufferUtils.release(buffer);
			return text;
		}).defaultIfEmpty("").block();
	}

	@Test
	void prefixedReadIsOneDelegateReadWithTheKeyStripped() {
		this.memory.put("tenant/a.txt", "abc".getBytes(StandardCharsets.UTF_8), PutOptions.defaults()).block();
		PrefixedStorage prefixed = new PrefixedStorage(this.counting, "tenant/");
		StoredContent content = prefixed.read("a.txt", ByteRange.of(1, 2)).block();
		assertThat(content.object().key()).isEqualTo("a.txt");
		assertThat(text(content)).isEqualTo("bc");
		StepVerifier.create(prefixed.read("missing.txt", null))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(ObjectNotFoundException.class)
				.extracting(e -> ((ObjectNotFoundException) e).getKey()).isEqualTo("missing.txt"))
			.verify(Duration.ofSeconds(5));
		assertThat(this.counting.reads).hasValue(2);
		assertThat(this.counting.others).hasValue(0);
	}

	@Test
	void readOnlyReadIsOneDelegateRead() {
		this.memory.put("a.txt", "abc".getBytes(StandardCharsets.UTF_8), PutOptions.defaults()).block();
		assertThat(text(new ReadOnlyStorage(this.counting).read("a.txt", null).block())).isEqualTo("abc");
		assertThat(this.counting.reads).hasValue(1);
		assertThat(this.counting.others).hasValue(0);
	}

	@Test
	void resilientReadRetriesATransientLookup() {
		this.memory.put("a.txt", "abc".getBytes(StandardCharsets.UTF_8), PutOptions.defaults()).block();
		this.counting.failures.set(2);
		ResilientStorage resilient = new ResilientStorage(this.counting,
				new ResilienceSettings(Duration.ofSeconds(5), 3, Duration.ofMillis(1), Duration.ofMillis(5), 0));
		assertThat(text(resilient.read("a.txt", null).block())).isEqualTo("abc");
		assertThat(this.counting.reads).hasValue(3);
		assertThat(this.counting.others).hasValue(0);
	}

	@Test
	void observedReadCountsContentBytesAndBytesReportedSent() {
		this.memory.put("a.txt", "abcdef".getBytes(StandardCharsets.UTF_8), PutOptions.defaults()).block();
		AtomicLong read = new AtomicLong();
		ByteCounter counter = new ByteCounter() {

			@Override
			public void read(long bytes) {
				read.addAndGet(bytes);
			}

			@Override
			public void written(long bytes) {
			}

		};
		ObservedStorage observed = new ObservedStorage(this.counting, ObservationRegistry.create(), "memory", counter);
		assertThat(text(observed.read("a.txt", null).block())).isEqualTo("abcdef");
		assertThat(read).hasValue(6);
		// a discarded read sends nothing and counts nothing
		observed.read("a.txt", null).flatMap(StoredContent::discard).block();
		assertThat(read).hasValue(6);
		assertThat(this.counting.others).hasValue(0);
	}

	@Test
	void theInterfaceDefaultReadGoesThroughADecoratorsOwnGet() {
		this.memory.put("a.txt", "abc".getBytes(StandardCharsets.UTF_8), PutOptions.defaults()).block();
		ForwardingReactiveStorage upperCase = new ForwardingReactiveStorage(this.memory) {

			@Override
			public Flux<DataBuffer> get(String key) {
				return super.get(key).map(buffer -> {
					String text = buffer.toString(StandardCharsets.UTF_8).toUpperCase();
					DataBufferUtils.release(buffer);
					return this.bufferFactory().wrap(text.getBytes(StandardCharsets.UTF_8));
				});
			}

		};
		assertThat(text(upperCase.read("a.txt", null).block())).isEqualTo("ABC");
	}

	/** Counts reads and other lookups; fails the first {@code failures} reads with a transient error. */
	static final class Counting extends ForwardingReactiveStorage {

		final AtomicInteger reads = new AtomicInteger();

		final AtomicInteger others = new AtomicInteger();

		final AtomicInteger failures = new AtomicInteger();

		Counting(ReactiveStorage delegate) {
			super(delegate);
		}

		@Override
		public Mono<StoredContent> read(String key, @Nullable ByteRange range) {
			return Mono.defer(() -> {
				this.reads.incrementAndGet();
				if (this.failures.getAndDecrement() > 0) {
					return Mono.error(new StorageConnectionException("flaky", key, null));
				}
				return getDelegate().read(key, range);
			});
		}

		@Override
		public Flux<DataBuffer> get(String key) {
			this.others.incrementAndGet();
			return super.get(key);
		}

		@Override
		public Flux<DataBuffer> get(String key, ByteRange range) {
			this.others.incrementAndGet();
			return super.get(key, range);
		}

		@Override
		public Mono<StoredObject> info(String key) {
			this.others.incrementAndGet();
			return super.info(key);
		}

	}

}
