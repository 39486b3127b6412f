package io.github.reactivestorage.cache;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.conformance.LeakTrackingDataBufferFactory;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.support.ReadOnlyStorage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How {@link CachingStorage} fills, serves, shares, abandons, expires, evicts and invalidates
 * entries, with leak-tracking buffers throughout.
 */
class CachingStorageTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final LeakTrackingDataBufferFactory bufferFactory = new LeakTrackingDataBufferFactory();

	private final MemoryStorage originStore = new MemoryStorage("origin", this.bufferFactory, -1);

	private final CountingStorage origin = new CountingStorage(this.originStore);

	private final MemoryStorage cache = new MemoryStorage("cache", this.bufferFactory, -1);

	private final MutableClock clock = new MutableClock();

	private CachingStorage storage = new CachingStorage("cached", this.origin, this.cache, -1, null, this.clock);

	@AfterEach
	void noLeaks() {
		this.bufferFactory.checkForLeaks(Duration.ofSeconds(5));
	}

	@Test
	void missStreamsFromTheOriginAndFillsTheCacheThenHitsServeFromTheCache() {
		byte[] content = bytes(300_000, 1);
		putOrigin("a.bin", content);
		expectContent("a.bin", content);
		assertThat(this.origin.gets).hasValue(1);
		assertThat(this.cache.getBytes("a.bin").block(TIMEOUT)).isEqualTo(content);
		expectContent("a.bin", content);
		expectContent("a.bin", content);
		assertThat(this.origin.gets).hasValue(1);
		assertThat(this.storage.cachedCount()).isEqualTo(1);
		assertThat(this.storage.cachedSize()).isEqualTo(content.length);
	}

	@Test
	void freshHitsOfInfoAndExistsAnswerWithTheOriginsObjectWithoutAskingIt() {
		this.storage = new CachingStorage("cached", this.origin, this.cache, -1, Duration.ofMinutes(5), this.clock);
		StoredObject stored = putOrigin("a.txt", "hello".getBytes(StandardCharsets.UTF_8),
				PutOptions.builder().contentType("text/plain").metadata("owner", "ada").build());
		expectContent("a.txt", "hello".getBytes(StandardCharsets.UTF_8));
		int infos = this.origin.infos.get();
		StepVerifier.create(this.storage.info("/a.txt")).assertNext((info) -> {
			assertThat(info.key()).isEqualTo("a.txt");
			assertThat(info.etag()).isEqualTo(stored.etag());
			assertThat(info.contentType()).startsWith("text/plain");
			assertThat(info.metadata()).containsEntry("owner", "ada");
		}).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.storage.exists("a.txt")).expectNext(true).expectComplete().verify(TIMEOUT);
		assertThat(this.origin.infos).hasValue(infos);
	}

	@Test
	void missesOfInfoAndExistsAskTheOriginAndFillNothing() {
		putOrigin("a.txt", "hello".getBytes(StandardCharsets.UTF_8));
		StepVerifier.create(this.storage.info("a.txt")).expectNextCount(1).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.storage.exists("a.txt")).expectNext(true).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.storage.exists("b.txt")).expectNext(false).expectComplete().verify(TIMEOUT);
		assertThat(this.storage.cachedCount()).isZero();
		StepVerifier.create(this.cache.exists("a.txt")).expectNext(false).expectComplete().verify(TIMEOUT);
	}

	@Test
	void concurrentMissesOfOneKeyFetchTheOriginOnce() {
		byte[] content = bytes(200_000, 2);
		putOrigin("shared.bin", content);
		Sinks.Empty<Void> gate = Sinks.empty();
		this.origin.holdBodiesUntil(gate.asMono());
		int subscribers = 16;
		Flux<byte[]> all = Flux.range(0, subscribers).flatMap((i) -> this.storage.getBytes("shared.bin"), subscribers);
		StepVerifier.create(all)
			.then(() -> {
				// every subscriber is waiting: the leader on the gated origin, the rest on the leader
				assertThat(this.origin.gets).hasValue(0);
				gate.tryEmitEmpty();
			})
			.thenConsumeWhile((bytes) -> Arrays.equals(bytes, content))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.origin.gets).hasValue(1);
		assertThat(this.origin.infos).hasValue(1);
	}

	@Test
	void concurrentMissesOfAMissingKeyShareTheOriginsAnswer() {
		Sinks.Empty<Void> gate = Sinks.empty();
		this.origin.holdBodiesUntil(gate.asMono());
		Flux<Object> all = Flux.range(0, 8)
			.flatMap((i) -> this.storage.getBytes("missing.bin")
				.map(Object.class::cast)
				.onErrorResume(ObjectNotFoundException.class, (ex) -> reactor.core.publisher.Mono.just(ex)), 8);
		StepVerifier.create(all.collectList())
			.then(() -> gate.tryEmitEmpty())
			.assertNext((answers) -> assertThat(answers).hasSize(8).allMatch(ObjectNotFoundException.class::isInstance))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.origin.infos).hasValue(1);
	}

	@Test
	void callerCancellingMidBodyAbandonsTheFill() {
		byte[] content = bytes(640 * 1024, 3);
		putOrigin("big.bin", content);
		StepVerifier.create(this.storage.get("big.bin"), 1)
			.consumeNextWith(DataBufferUtils::release)
			.thenCancel()
			.verify(TIMEOUT);
		assertThat(this.storage.cachedCount()).isZero();
		StepVerifier.create(this.cache.exists("big.bin")).expectNext(false).expectComplete().verify(TIMEOUT);
		expectContent("big.bin", content);
		assertThat(this.origin.gets).hasValue(2);
		assertThat(this.storage.cachedCount()).isEqualTo(1);
	}

	@Test
	void originFailingMidBodyReachesTheCallerAndCachesNothing() {
		putOrigin("broken.bin", bytes(640 * 1024, 4));
		StorageConnectionException failure = new StorageConnectionException("connection reset");
		this.origin.transformBodies((body) -> body.take(3).concatWith(Flux.error(failure)));
		StepVerifier.create(this.storage.get("broken.bin").doOnNext(DataBufferUtils::release))
			.thenConsumeWhile((buffer) -> true)
			.expectErrorSatisfies((ex) -> assertThat(ex).isSameAs(failure))
			.verify(TIMEOUT);
		assertThat(this.storage.cachedCount()).isZero();
		StepVerifier.create(this.cache.exists("broken.bin")).expectNext(false).expectComplete().verify(TIMEOUT);
	}

	@Test
	void theOriginIsReadNoFasterThanTheCallerConsumes() {
		putOrigin("big.bin", bytes(64 * 1024 * 40, 5));
		// a few buffers in flight between origin, cache and caller, whatever the object's size
		int inFlight = 4;
		StepVerifier.create(this.storage.get("big.bin"), 1)
			.consumeNextWith(DataBufferUtils::release)
			.then(() -> assertThat(this.origin.buffersEmitted.get()).isLessThanOrEqualTo(1 + inFlight))
			.thenRequest(1)
			.consumeNextWith(DataBufferUtils::release)
			.then(() -> assertThat(this.origin.buffersEmitted.get()).isLessThanOrEqualTo(2 + inFlight))
			.thenRequest(1)
			.consumeNextWith(DataBufferUtils::release)
			.then(() -> assertThat(this.origin.buffersEmitted.get()).isLessThanOrEqualTo(3 + inFlight))
			.thenCancel()
			.verify(TIMEOUT);
		assertThat(this.storage.cachedCount()).isZero();
	}

	@Test
	void entriesAreServedUnaskedWithinTheTtlAndRevalidatedAfter() {
		this.storage = new CachingStorage("cached", this.origin, this.cache, -1, Duration.ofMinutes(5), this.clock);
		putOrigin("a.txt", "one".getBytes(StandardCharsets.UTF_8));
		expectContent("a.txt", "one".getBytes(StandardCharsets.UTF_8));
		this.clock.advance(Duration.ofMinutes(4));
		expectContent("a.txt", "one".getBytes(StandardCharsets.UTF_8));
		assertThat(this.origin.gets).hasValue(1);
		// changed behind the cache's back: seen once the entry expires
		putOrigin("a.txt", "two".getBytes(StandardCharsets.UTF_8));
		expectContent("a.txt", "one".getBytes(StandardCharsets.UTF_8));
		this.clock.advance(Duration.ofMinutes(1));
		expectContent("a.txt", "two".getBytes(StandardCharsets.UTF_8));
		assertThat(this.origin.gets).hasValue(2);
	}

	@Test
	void leastRecentlyUsedEntriesAreEvictedBeyondMaxSize() {
		this.storage = new CachingStorage("cached", this.origin, this.cache, 250, null, this.clock);
		for (String key : List.of("a", "b", "c")) {
			putOrigin(key, bytes(100, key.charAt(0)));
		}
		expectContent("a", bytes(100, 'a'));
		expectContent("b", bytes(100, 'b'));
		expectContent("a", bytes(100, 'a'));
		expectContent("c", bytes(100, 'c'));
		assertThat(this.storage.cachedSize()).isEqualTo(200);
		StepVerifier.create(this.cache.exists("b")).expectNext(false).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.cache.exists("a")).expectNext(true).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.cache.exists("c")).expectNext(true).expectComplete().verify(TIMEOUT);
		int gets = this.origin.gets.get();
		expectContent("b", bytes(100, 'b'));
		assertThat(this.origin.gets).hasValue(gets + 1);
	}

	@Test
	void objectsLargerThanMaxSizeStreamWithoutFilling() {
		this.storage = new CachingStorage("cached", this.origin, this.cache, 100, null, this.clock);
		putOrigin("big", bytes(101, 6));
		expectContent("big", bytes(101, 6));
		assertThat(this.storage.cachedCount()).isZero();
		StepVerifier.create(this.cache.exists("big")).expectNext(false).expectComplete().verify(TIMEOUT);
	}

	@Test
	void aFailingCacheNeverFailsARead() {
		MemoryStorage tinyCache = new MemoryStorage("tiny", this.bufferFactory, 10);
		this.storage = new CachingStorage("cached", this.origin, tinyCache, -1, null, this.clock);
		byte[] content = bytes(200_000, 7);
		putOrigin("a.bin", content);
		expectContent("a.bin", content);
		assertThat(this.storage.cachedCount()).isZero();
	}

	@Test
	void aCacheThatRefusesThePutBeforeReadingTheBodyNeverStallsARead() {
		this.storage = new CachingStorage("cached", this.origin, new ReadOnlyStorage(this.cache), -1, null, this.clock);
		byte[] content = bytes(300_000, 9);
		putOrigin("a.bin", content);
		expectContent("a.bin", content);
		assertThat(this.storage.cachedCount()).isZero();
	}

	@Test
	void writesGoToTheOriginAndInvalidate() {
		putOrigin("a.txt", "one".getBytes(StandardCharsets.UTF_8));
		expectContent("a.txt", "one".getBytes(StandardCharsets.UTF_8));
		StepVerifier.create(this.storage.put("a.txt", "two".getBytes(StandardCharsets.UTF_8)))
			.expectNextCount(1).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.cache.exists("a.txt")).expectNext(false).expectComplete().verify(TIMEOUT);
		expectContent("a.txt", "two".getBytes(StandardCharsets.UTF_8));

		StepVerifier.create(this.storage.copy("a.txt", "b.txt")).expectNextCount(1).expectComplete().verify(TIMEOUT);
		expectContent("b.txt", "two".getBytes(StandardCharsets.UTF_8));
		StepVerifier.create(this.storage.put("a.txt", "three".getBytes(StandardCharsets.UTF_8)))
			.expectNextCount(1).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.storage.move("a.txt", "b.txt")).expectNextCount(1).expectComplete().verify(TIMEOUT);
		expectContent("b.txt", "three".getBytes(StandardCharsets.UTF_8));
		StepVerifier.create(this.storage.exists("a.txt")).expectNext(false).expectComplete().verify(TIMEOUT);

		StepVerifier.create(this.storage.delete("b.txt")).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.storage.exists("b.txt")).expectNext(false).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.storage.get("b.txt")).expectError(ObjectNotFoundException.class).verify(TIMEOUT);
		assertThat(this.storage.cachedCount()).isZero();
	}

	@Test
	void conditionalWritesCompareTheOriginsEtagAndInvalidate() {
		StoredObject one = putOrigin("c.txt", "one".getBytes(StandardCharsets.UTF_8));
		expectContent("c.txt", "one".getBytes(StandardCharsets.UTF_8));
		// the cached info is the origin's, so its etag is the one a compare-and-swap must name
		StoredObject cached = this.storage.info("c.txt").block(TIMEOUT);
		assertThat(cached.etag()).isEqualTo(one.etag());
		StoredObject two = this.storage.put("c.txt", "two".getBytes(StandardCharsets.UTF_8),
				PutOptions.builder().ifMatch(cached.etag()).build()).block(TIMEOUT);
		assertThat(this.storage.cachedCount()).isZero();
		expectContent("c.txt", "two".getBytes(StandardCharsets.UTF_8));
		StepVerifier.create(this.storage.delete("c.txt", DeleteOptions.ifMatch(one.etag())))
			.expectError(PreconditionFailedException.class)
			.verify(TIMEOUT);
		expectContent("c.txt", "two".getBytes(StandardCharsets.UTF_8));
		StepVerifier.create(this.storage.delete("c.txt", DeleteOptions.ifMatch(two.etag())))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.storage.cachedCount()).isZero();
		StepVerifier.create(this.cache.exists("c.txt")).expectNext(false).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.storage.get("c.txt")).expectError(ObjectNotFoundException.class).verify(TIMEOUT);
	}

	@Test
	void aWriteDuringAFillKeepsTheFilledContentOutOfTheCache() {
		putOrigin("a.txt", "one".getBytes(StandardCharsets.UTF_8));
		Sinks.Empty<Void> gate = Sinks.empty();
		this.origin.holdBodiesUntil(gate.asMono());
		StepVerifier.create(this.storage.getBytes("a.txt"))
			.then(() -> {
				putOrigin("a.txt", "two".getBytes(StandardCharsets.UTF_8));
				StepVerifier.create(this.storage.put("a.txt", "two".getBytes(StandardCharsets.UTF_8)))
					.expectNextCount(1).expectComplete().verify(TIMEOUT);
				gate.tryEmitEmpty();
			})
			.expectNextCount(1)
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.storage.cachedCount()).isZero();
		expectContent("a.txt", "two".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void rangeMissesComeFromTheOriginUncachedAndRangeHitsFromTheCache() {
		byte[] content = bytes(1000, 8);
		putOrigin("a.bin", content);
		expectRange("a.bin", ByteRange.of(10, 19), Arrays.copyOfRange(content, 10, 20));
		assertThat(this.origin.rangeGets).hasValue(1);
		assertThat(this.storage.cachedCount()).isZero();
		expectContent("a.bin", content);
		expectRange("a.bin", ByteRange.of(990, 2000), Arrays.copyOfRange(content, 990, 1000));
		assertThat(this.origin.rangeGets).hasValue(1);
	}

	@Test
	void anEntryGoneFromTheCacheIsFetchedAgain() {
		putOrigin("a.txt", "one".getBytes(StandardCharsets.UTF_8));
		expectContent("a.txt", "one".getBytes(StandardCharsets.UTF_8));
		StepVerifier.create(this.cache.delete("a.txt")).expectComplete().verify(TIMEOUT);
		expectContent("a.txt", "one".getBytes(StandardCharsets.UTF_8));
		assertThat(this.origin.gets).hasValue(2);
		StepVerifier.create(this.cache.exists("a.txt")).expectNext(true).expectComplete().verify(TIMEOUT);
	}

	@Test
	void invalidConfigurationIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CachingStorage("c", this.cache, this.cache, -1, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CachingStorage("c", this.origin, this.cache, -1, Duration.ZERO));
	}

	private void expectContent(String key, byte[] expected) {
		StepVerifier.create(this.storage.getBytes(key))
			.assertNext((bytes) -> assertThat(bytes).isEqualTo(expected))
			.expectComplete()
			.verify(TIMEOUT);
	}

	private void expectRange(String key, ByteRange range, byte[] expected) {
		StepVerifier.create(this.storage.get(key, range).map((buffer) -> {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			DataBufferUtils.release(buffer);
			return bytes;
		}).reduce(new byte[0], CachingStorageTests::concat))
			.assertNext((bytes) -> assertThat(bytes).isEqualTo(expected))
			.expectComplete()
			.verify(TIMEOUT);
	}

	private StoredObject putOrigin(String key, byte[] content) {
		return putOrigin(key, content, PutOptions.defaults());
	}

	private StoredObject putOrigin(String key, byte[] content, PutOptions options) {
		return this.originStore.put(key, content, options).block(TIMEOUT);
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] joined = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, joined, a.length, b.length);
		return joined;
	}

	private static byte[] bytes(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	/** A clock the test moves by hand. */
	private static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-01-01T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
