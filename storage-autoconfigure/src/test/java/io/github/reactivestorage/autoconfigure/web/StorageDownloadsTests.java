package io.github.reactivestorage.autoconfigure.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.support.ForwardingReactiveStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Downloads: one {@code read} per {@code GET} (counted), the conditional requests of RFC 9110 §13
 * ({@code If-Match}, {@code If-Unmodified-Since}, {@code If-None-Match: *}, {@code If-Range}), the
 * empty object's suffix range, and that every read the handler does not send is discarded.
 */
class StorageDownloadsTests {

	private final MemoryStorage memory = new MemoryStorage("files");

	private final CountingStorage storage = new CountingStorage(this.memory);

	private WebTestClient client;

	private String etag;

	private String lastModified;

	@BeforeEach
	void setUp() {
		StorageWebProperties properties = new StorageWebProperties();
		// only named mounts are served
		properties.setMounts(java.util.List.of("files"));
		StorageHandler handler = new StorageHandler(new StorageMounts(Map.of("files", this.storage), "files"),
				properties);
		this.client = WebTestClient.bindToRouterFunction(StorageRoutes.routes("/storage", handler))
			.configureClient()
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		this.memory.put("digits.txt", "0123456789".getBytes(StandardCharsets.UTF_8), PutOptions.defaults()).block();
		this.memory.put("empty.txt", new byte[0], PutOptions.defaults()).block();
		StoredObject info = this.memory.info("digits.txt").block();
		this.etag = "\"" + info.etag() + "\"";
		this.lastModified = date(info.lastModified());
	}

	private static String date(Instant instant) {
		return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(instant, ZoneOffset.UTC));
	}

	private WebTestClient.ResponseSpec get(String key, String... headers) {
		return this.client.get().uri("/storage/files/" + key).headers(h -> {
			for (int i = 0; i < headers.length; i += 2) {
				h.add(headers[i], headers[i + 1]);
			}
		}).exchange();
	}

	@Test
	void getIsOneReadAndNoInfoOrGet() {
		get("digits.txt").expectStatus().isOk().expectBody(String.class).isEqualTo("0123456789");
		get("digits.txt", HttpHeaders.RANGE, "bytes=2-4").expectStatus().isEqualTo(HttpStatus.PARTIAL_CONTENT)
			.expectBody(String.class).isEqualTo("234");
		assertThat(this.storage.reads).hasValue(2);
		assertThat(this.storage.others).hasValue(0);
		assertThat(this.storage.open).hasValue(0);
	}

	@Test
	void ifMatchWithTheCurrentEtagServesAndAnotherIs412() {
		get("digits.txt", HttpHeaders.IF_MATCH, this.etag).expectStatus().isOk()
			.expectBody(String.class).isEqualTo("0123456789");
		get("digits.txt", HttpHeaders.IF_MATCH, "*").expectStatus().isOk()
			.expectBody(String.class).isEqualTo("0123456789");
		get("digits.txt", HttpHeaders.IF_MATCH, "\"stale\", " + this.etag).expectStatus().isOk()
			.expectBody(String.class).isEqualTo("0123456789");
		get("digits.txt", HttpHeaders.IF_MATCH, "\"stale\"").expectStatus().isEqualTo(HttpStatus.PRECONDITION_FAILED)
			.expectBody().jsonPath("$.status").isEqualTo(412);
		// If-Match compares strongly: the weak twin does not match
		get("digits.txt", HttpHeaders.IF_MATCH, "W/" + this.etag).expectStatus()
			.isEqualTo(HttpStatus.PRECONDITION_FAILED);
		assertThat(this.storage.open).hasValue(0);
	}

	@Test
	void ifMatchAppliesToHeadToo() {
		this.client.head().uri("/storage/files/digits.txt").header(HttpHeaders.IF_MATCH, "\"stale\"").exchange()
			.expectStatus().isEqualTo(HttpStatus.PRECONDITION_FAILED);
		this.client.head().uri("/storage/files/digits.txt").header(HttpHeaders.IF_MATCH, this.etag).exchange()
			.expectStatus().isOk().expectHeader().contentLength(10);
	}

	@Test
	void ifUnmodifiedSinceBeforeTheLastChangeIs412() {
		String past = date(Instant.now().minus(Duration.ofDays(1)));
		get("digits.txt", HttpHeaders.IF_UNMODIFIED_SINCE, past).expectStatus()
			.isEqualTo(HttpStatus.PRECONDITION_FAILED);
		get("digits.txt", HttpHeaders.IF_UNMODIFIED_SINCE, this.lastModified).expectStatus().isOk()
			.expectBody(String.class).isEqualTo("0123456789");
		// If-Match wins over If-Unmodified-Since (RFC 9110 §13.2.2)
		get("digits.txt", HttpHeaders.IF_MATCH, this.etag, HttpHeaders.IF_UNMODIFIED_SINCE, past).expectStatus()
			.isOk().expectBody(String.class).isEqualTo("0123456789");
		// a malformed date is ignored
		get("digits.txt", HttpHeaders.IF_UNMODIFIED_SINCE, "yesterday").expectStatus().isOk()
			.expectBody(String.class).isEqualTo("0123456789");
		assertThat(this.storage.open).hasValue(0);
	}

	@Test
	void ifNoneMatchStarIsNotModifiedForAnExistingObject() {
		get("digits.txt", HttpHeaders.IF_NONE_MATCH, "*").expectStatus().isNotModified()
			.expectHeader().valueEquals(HttpHeaders.ETAG, this.etag).expectBody().isEmpty();
		get("digits.txt", HttpHeaders.IF_NONE_MATCH, "W/" + this.etag).expectStatus().isNotModified();
		assertThat(this.storage.open).hasValue(0);
	}

	@Test
	void ifRangeWithTheCurrentValidatorGetsTheRange() {
		get("digits.txt", HttpHeaders.RANGE, "bytes=2-4", HttpHeaders.IF_RANGE, this.etag).expectStatus()
			.isEqualTo(HttpStatus.PARTIAL_CONTENT).expectBody(String.class).isEqualTo("234");
		get("digits.txt", HttpHeaders.RANGE, "bytes=2-4", HttpHeaders.IF_RANGE, this.lastModified).expectStatus()
			.isEqualTo(HttpStatus.PARTIAL_CONTENT);
	}

	@Test
	void ifRangeWithAStaleValidatorGetsTheWholeObject() {
		get("digits.txt", HttpHeaders.RANGE, "bytes=2-4", HttpHeaders.IF_RANGE, "\"stale\"").expectStatus().isOk()
			.expectHeader().doesNotExist(HttpHeaders.CONTENT_RANGE)
			.expectBody(String.class).isEqualTo("0123456789");
		// a weak validator never matches If-Range
		get("digits.txt", HttpHeaders.RANGE, "bytes=2-4", HttpHeaders.IF_RANGE, "W/" + this.etag).expectStatus()
			.isOk().expectBody(String.class).isEqualTo("0123456789");
		get("digits.txt", HttpHeaders.RANGE, "bytes=2-4", HttpHeaders.IF_RANGE, date(Instant.EPOCH)).expectStatus()
			.isOk().expectBody(String.class).isEqualTo("0123456789");
		get("digits.txt", HttpHeaders.RANGE, "bytes=2-4", HttpHeaders.IF_RANGE, "garbage").expectStatus().isOk()
			.expectBody(String.class).isEqualTo("0123456789");
		assertThat(this.storage.open).hasValue(0);
	}

	@Test
	void suffixRangeOfAnEmptyObjectIsTheEmptyRepresentation() {
		get("empty.txt", HttpHeaders.RANGE, "bytes=-5").expectStatus().isOk()
			.expectHeader().contentLength(0)
			.expectHeader().doesNotExist(HttpHeaders.CONTENT_RANGE)
			.expectBody().isEmpty();
		get("empty.txt", HttpHeaders.RANGE, "bytes=0-").expectStatus()
			.isEqualTo(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
			.expectHeader().valueEquals(HttpHeaders.CONTENT_RANGE, "bytes */0");
		this.client.head().uri("/storage/files/empty.txt").header(HttpHeaders.RANGE, "bytes=-5").exchange()
			.expectStatus().isOk().expectHeader().contentLength(0);
	}

	@Test
	void hostileRangeHeadersAreIgnored() {
		for (String header : new String[] { "bytes=5-1", "bytes=--1", "bytes=1-2-3", "bytes=" + "0-0,".repeat(200) + "1-1",
				"bytes=99999999999999999999-", "items=0-1", "bytes=-0x10" }) {
			get("digits.txt", HttpHeaders.RANGE, header).expectStatus().isOk()
				.expectBody(String.class).isEqualTo("0123456789");
		}
		assertThat(this.storage.open).hasValue(0);
	}

	@Test
	void zeroLengthSuffixIs416() {
		get("digits.txt", HttpHeaders.RANGE, "bytes=-0").expectStatus()
			.isEqualTo(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
	}

	@Test
	void headersDescribeTheBytesSentUnderConcurrentOverwrites() {
		byte[] small = new byte[100_000];
		byte[] large = new byte[150_000];
		java.util.Arrays.fill(small, (byte) 's');
		java.util.Arrays.fill(large, (byte) 'l');
		String smallTag = "\"" + this.memory.put("raced.bin", small, PutOptions.defaults()).block().etag() + "\"";
		String largeTag = "\"" + this.memory.put("raced.bin", large, PutOptions.defaults()).block().etag() + "\"";
		reactor.core.Disposable writer = Flux.interval(Duration.ofMillis(1))
			.concatMap(i -> this.memory.put("raced.bin", (i % 2 == 0) ? small : large, PutOptions.defaults()))
			.subscribe();
		try {
			for (int i = 0; i < 30; i++) {
				org.springframework.test.web.reactive.server.EntityExchangeResult<byte[]> result = get("raced.bin")
					.expectStatus().isOk().expectBody().returnResult();
				byte[] body = result.getResponseBody();
				String etag = result.getResponseHeaders().getETag();
				assertThat(result.getResponseHeaders().getContentLength()).isEqualTo(body.length);
				assertThat(etag).isEqualTo((body.length == small.length) ? smallTag : largeTag);
				assertThat(body).containsOnly((body.length == small.length) ? (byte) 's' : (byte) 'l');
			}
		}
		finally {
			writer.dispose();
		}
	}

	/** Counts reads and every other lookup; tracks reads neither subscribed nor discarded. */
	static final class CountingStorage extends ForwardingReactiveStorage {

		final AtomicInteger reads = new AtomicInteger();

		final AtomicInteger others = new AtomicInteger();

		final AtomicInteger open = new AtomicInteger();

		CountingStorage(ReactiveStorage delegate) {
			super(delegate);
		}

		@Override
		public Mono<StoredContent> read(String key, @Nullable ByteRange range) {
			this.reads.incrementAndGet();
			return getDelegate().read(key, range).map(content -> {
				this.open.incrementAndGet();
				Flux<DataBuffer> tracked = content.content().doFinally(signal -> this.open.decrementAndGet());
				return content.withContent(tracked)
					.withDiscard(content.discard().then(Mono.fromRunnable(this.open::decrementAndGet)));
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
