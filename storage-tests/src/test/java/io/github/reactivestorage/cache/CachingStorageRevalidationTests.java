package io.github.reactivestorage.cache;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.conformance.LeakTrackingDataBufferFactory;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.support.ForwardingReactiveStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link CachingStorage} revalidates its entries against the origin's etag: a write or delete
 * made through the origin mount directly (not through the cache) is seen on the next read without a
 * ttl, and after the ttl with one; an unchanged object is served from the cache after one
 * {@code info} of the origin; an unreachable origin fails the read instead of serving a stale entry.
 */
class CachingStorageRevalidationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final LeakTrackingDataBufferFactory bufferFactory = new LeakTrackingDataBufferFactory();

	private final MemoryStorage originStore = new MemoryStorage("origin", this.bufferFactory, -1);

	private final CountingStorage origin = new CountingStorage(this.originStore);

	private final MemoryStorage cache = new MemoryStorage("cache", this.bufferFactory, -1);

	private final ManualClock clock = new ManualClock();

	private CachingStorage storage = new CachingStorage("cached", this.origin, this.cache, -1, null, this.clock);

	@AfterEach
	void noLeaks() {
		this.bufferFactory.checkForLeaks(Duration.ofSeconds(5));
	}

	@Test
	void withoutATtlAWriteThroughTheOriginMountIsSeenOnTheNextRead() {
		putOrigin("a.txt", "one");
		expectText("a.txt", "one");
		expectText("a.txt", "one");
		assertThat(this.origin.gets).as("unchanged: served from the cache").hasValue(1);
		StoredObject two = putOrigin("a.txt", "two");
		expectText("a.txt", "two");
		assertThat(this.origin.gets).hasValue(2);
		StepVerifier.create(this.storage.info("a.txt"))
			.assertNext((info) -> assertThat(info.etag()).isEqualTo(two.etag()))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.cache.getBytes("a.txt").block(TIMEOUT)).isEqualTo(bytes("two"));
		expectText("a.txt", "two");
		assertThat(this.origin.gets).hasValue(2);
	}

	@Test
	void withoutATtlEveryHitAsksTheOriginForItsEtagOnly() {
		putOrigin("a.txt", "one");
		expectText("a.txt", "one");
		int infos = this.origin.infos.get();
		expectText("a.txt", "one");
		StepVerifier.create(this.storage.exists("a.txt")).expectNext(true).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.storage.info("a.txt")).expectNextCount(1).expectComplete().verify(TIMEOUT);
		assertThat(this.origin.infos).hasValue(infos + 3);
		assertThat(this.origin.gets).hasValue(1);
	}

	@Test
	void aDeleteThroughTheOriginMountDropsTheEntry() {
		putOrigin("a.txt", "one");
		expectText("a.txt", "one");
		StepVerifier.create(this.originStore.delete("a.txt")).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.storage.getBytes("a.txt")).expectError(ObjectNotFoundException.class).verify(TIMEOUT);
		assertThat(this.storage.cachedCount()).isZero();
		StepVerifier.create(this.cache.exists("a.txt")).expectNext(false).expectComplete().verify(TIMEOUT);
		putOrigin("b.txt", "bee");
		expectText("b.txt", "bee");
		StepVerifier.create(this.originStore.delete("b.txt")).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.storage.exists("b.txt")).expectNext(false).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.storage.info("b.txt")).expectError(ObjectNotFoundException.class).verify(TIMEOUT);
	}

	@Test
	void withATtlAnEntryIsServedUnaskedUntilItExpiresThenConfirmedOrRefilled() {
		this.storage = new CachingStorage("cached", this.origin, this.cache, -1, Duration.ofMinutes(5), this.clock);
		putOrigin("a.txt", "one");
		expectText("a.txt", "one");
		int infos = this.origin.infos.get();
		this.clock.advance(Duration.ofMinutes(4));
		expectText("a.txt", "one");
		assertThat(this.origin.infos).as("fresh: no question asked").hasValue(infos);
		this.clock.advance(Duration.ofMinutes(2));
		expectText("a.txt", "one");
		assertThat(this.origin.infos).as("expired: revalidated").hasValue(infos + 1);
		assertThat(this.origin.gets).as("unchanged: not fetched again").hasValue(1);
		this.clock.advance(Duration.ofMinutes(4));
		expectText("a.txt", "one");
		assertThat(this.origin.infos).as("confirmed for another ttl").hasValue(infos + 1);
		putOrigin("a.txt", "two");
		this.clock.advance(Duration.ofMinutes(2));
		expectText("a.txt", "two");
		assertThat(this.origin.gets).hasValue(2);
	}

	@Test
	void anUnreachableOriginFailsTheReadInsteadOfServingAStaleEntry() {
		boolean[] down = { false };
		ForwardingReactiveStorage flaky = new ForwardingReactiveStorage(this.originStore) {
			@Override
			public Mono<StoredObject> info(String key) {
				return down[0] ? Mono.error(new StorageConnectionException("origin down")) : super.info(key);
			}
		};
		this.storage = new CachingStorage("cached", flaky, this.cache, -1, null, this.clock);
		putOrigin("a.txt", "one");
		expectText("a.txt", "one");
		down[0] = true;
		StepVerifier.create(this.storage.getBytes("a.txt")).expectError(StorageConnectionException.class).verify(TIMEOUT);
		down[0] = false;
		expectText("a.txt", "one");
	}

	private void expectText(String key, String expected) {
		StepVerifier.create(this.storage.getBytes(key))
			.assertNext((content) -> assertThat(new String(content, StandardCharsets.UTF_8)).isEqualTo(expected))
			.expectComplete()
			.verify(TIMEOUT);
	}

	private StoredObject putOrigin(String key, String content) {
		return this.originStore.put(key, bytes(content)).block(TIMEOUT);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** A clock the test moves by hand. */
	private static final class ManualClock extends Clock {

		private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
