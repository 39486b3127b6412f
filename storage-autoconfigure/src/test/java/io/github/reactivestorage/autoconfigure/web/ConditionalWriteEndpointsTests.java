package io.github.reactivestorage.autoconfigure.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.support.ForwardingReactiveStorage;
import io.github.reactivestorage.support.ReadOnlyStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code If-Match} and {@code If-Unmodified-Since} on {@code PUT} and {@code DELETE}: on a mount with
 * compare-and-swap ({@code cas}), on one without ({@code plain}: checked, then written), and with a
 * writer that replaces the object between the check and the write ({@code racy}: the write must fail).
 */
class ConditionalWriteEndpointsTests {

	private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

	private final MemoryStorage cas = new MemoryStorage("cas");

	private final MemoryStorage plainStore = new MemoryStorage("plain");

	private final MemoryStorage racyStore = new MemoryStorage("racy");

	private final AtomicBoolean interfere = new AtomicBoolean();

	private WebTestClient client;

	@BeforeEach
	void setUp() {
		Map<String, ReactiveStorage> mounts = new LinkedHashMap<>();
		mounts.put("cas", this.cas);
		mounts.put("plain", new WithoutCompareAndSwap(this.plainStore));
		mounts.put("racy", new OverwrittenAfterInfo(this.racyStore, this.interfere));
		mounts.put("ro", new ReadOnlyStorage(new MemoryStorage("ro")));
		StorageWebProperties properties = new StorageWebProperties();
		properties.setMounts(List.of("cas", "plain", "racy", "ro"));
		StorageHandler handler = new StorageHandler(new StorageMounts(mounts, "cas"), properties);
		this.client = WebTestClient.bindToRouterFunction(StorageRoutes.routes("/storage", handler))
			.configureClient()
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	private ReactiveStorage store(String mount) {
		return switch (mount) {
			case "cas" -> this.cas;
			case "plain" -> this.plainStore;
			default -> this.racyStore;
		};
	}

	private StoredObject seed(String mount, String key, String content) {
		return store(mount).put(key, content.getBytes(StandardCharsets.UTF_8)).block();
	}

	private String content(String mount, String key) {
		return new String(store(mount).getBytes(key).block(), StandardCharsets.UTF_8);
	}

	private WebTestClient.ResponseSpec put(String mount, String key, String header, String value, String body) {
		return this.client.put().uri("/storage/" + mount + "/" + key).header(header, value).bodyValue(body).exchange();
	}

	private WebTestClient.ResponseSpec delete(String mount, String key, String header, String value) {
		return this.client.delete().uri("/storage/" + mount + "/" + key).header(header, value).exchange();
	}

	private static String quoted(String etag) {
		return "\"" + etag + "\"";
	}

	private static String date(Instant instant) {
		return HTTP_DATE.format(ZonedDateTime.ofInstant(instant, ZoneOffset.UTC));
	}

	private static void expect412(WebTestClient.ResponseSpec response) {
		response.expectStatus()
			.isEqualTo(HttpStatus.PRECONDITION_FAILED)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(412);
	}

	// ---- If-Match ----

	@ParameterizedTest
	@ValueSource(strings = { "cas", "plain" })
	void putWithTheCurrentEtagReplaces(String mount) {
		StoredObject stored = seed(mount, "a.txt", "one");
		put(mount, "a.txt", HttpHeaders.IF_MATCH, quoted(stored.etag()), "two").expectStatus().isCreated();
		assertThat(content(mount, "a.txt")).isEqualTo("two");
	}

	@ParameterizedTest
	@ValueSource(strings = { "cas", "plain" })
	void putWithAStaleEtagIs412AndKeepsTheObject(String mount) {
		StoredObject first = seed(mount, "a.txt", "one");
		seed(mount, "a.txt", "newer");
		expect412(put(mount, "a.txt", HttpHeaders.IF_MATCH, quoted(first.etag()), "lost update"));
		assertThat(content(mount, "a.txt")).isEqualTo("newer");
	}

	@ParameterizedTest
	@ValueSource(strings = { "cas", "plain" })
	void putWithIfMatchOnAMissingKeyIs412AndStoresNothing(String mount) {
		expect412(put(mount, "absent.txt", HttpHeaders.IF_MATCH, "\"0123\"", "x"));
		expect412(put(mount, "absent.txt", HttpHeaders.IF_MATCH, "*", "x"));
		assertThat(store(mount).exists("absent.txt").block()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "cas", "plain" })
	void ifMatchStarMeansTheObjectMustExist(String mount) {
		seed(mount, "a.txt", "one");
		put(mount, "a.txt", HttpHeaders.IF_MATCH, "*", "two").expectStatus().isCreated();
		assertThat(content(mount, "a.txt")).isEqualTo("two");
	}

	@ParameterizedTest
	@ValueSource(strings = { "cas", "plain" })
	void anyTagOfAListMatches(String mount) {
		StoredObject stored = seed(mount, "a.txt", "one");
		put(mount, "a.txt", HttpHeaders.IF_MATCH, "\"other\", " + quoted(stored.etag()), "two").expectStatus()
			.isCreated();
		assertThat(content(mount, "a.txt")).isEqualTo("two");
	}

	@ParameterizedTest
	@ValueSource(strings = { "cas", "plain" })
	void weakEmptyAndMalformedTagsMatchNothing(String mount) {
		StoredObject stored = seed(mount, "a.txt", "one");
		// If-Match compares strongly; an empty tag must never become an unconditional put
		for (String value : List.of("W/" + quoted(stored.etag()), "\"\"", stored.etag() + "\r", "\"x\"\u0000")) {
			expect412(put(mount, "a.txt", HttpHeaders.IF_MATCH, value, "intruder"));
		}
		assertThat(content(mount, "a.txt")).isEqualTo("one");
	}

	@Test
	void ifMatchTogetherWithIfNoneMatchStarCanNeverHold() {
		StoredObject stored = seed("cas", "a.txt", "one");
		expect412(this.client.put()
			.uri("/storage/cas/a.txt")
			.header(HttpHeaders.IF_MATCH, quoted(stored.etag()))
			.header(HttpHeaders.IF_NONE_MATCH, "*")
			.bodyValue("two")
			.exchange());
		assertThat(content("cas", "a.txt")).isEqualTo("one");
	}

	@ParameterizedTest
	@ValueSource(strings = { "cas", "plain" })
	void deleteWithIfMatch(String mount) {
		StoredObject first = seed(mount, "a.txt", "one");
		StoredObject second = seed(mount, "a.txt", "two");
		expect412(delete(mount, "a.txt", HttpHeaders.IF_MATCH, quoted(first.etag())));
		assertThat(content(mount, "a.txt")).isEqualTo("two");
		delete(mount, "a.txt", HttpHeaders.IF_MATCH, quoted(second.etag())).expectStatus().isNoContent();
		assertThat(store(mount).exists("a.txt").block()).isFalse();
		expect412(delete(mount, "a.txt", HttpHeaders.IF_MATCH, quoted(second.etag())));
		expect412(delete(mount, "a.txt", HttpHeaders.IF_MATCH, "*"));
	}

	@Test
	void readOnlyMountsRefuseConditionalWritesBeforeAnyLookup() {
		put("ro", "a.txt", HttpHeaders.IF_MATCH, "*", "x").expectStatus().isForbidden();
		delete("ro", "a.txt", HttpHeaders.IF_MATCH, "\"x\"").expectStatus().isForbidden();
	}

	// ---- If-Unmodified-Since ----

	@ParameterizedTest
	@ValueSource(strings = { "cas", "plain" })
	void putIfUnmodifiedSince(String mount) {
		seed(mount, "a.txt", "one");
		expect412(put(mount, "a.txt", HttpHeaders.IF_UNMODIFIED_SINCE, date(Instant.now().minusSeconds(3600)), "two"));
		assertThat(content(mount, "a.txt")).isEqualTo("one");
		put(mount, "a.txt", HttpHeaders.IF_UNMODIFIED_SINCE, date(Instant.now().plusSeconds(3600)), "two")
			.expectStatus()
			.isCreated();
		assertThat(content(mount, "a.txt")).isEqualTo("two");
		// a malformed date is ignored (RFC 9110 §13.1.4)
		put(mount, "a.txt", HttpHeaders.IF_UNMODIFIED_SINCE, "yesterday", "three").expectStatus().isCreated();
		assertThat(content(mount, "a.txt")).isEqualTo("three");
	}

	@ParameterizedTest
	@ValueSource(strings = { "cas", "plain" })
	void ifUnmodifiedSinceOfAMissingObjectIsIgnored(String mount) {
		put(mount, "new.txt", HttpHeaders.IF_UNMODIFIED_SINCE, date(Instant.now().minusSeconds(3600)), "fresh")
			.expectStatus()
			.isCreated();
		assertThat(content(mount, "new.txt")).isEqualTo("fresh");
		delete(mount, "never.txt", HttpHeaders.IF_UNMODIFIED_SINCE, date(Instant.now())).expectStatus().isNotFound();
	}

	@ParameterizedTest
	@ValueSource(strings = { "cas", "plain" })
	void deleteIfUnmodifiedSince(String mount) {
		seed(mount, "a.txt", "one");
		expect412(delete(mount, "a.txt", HttpHeaders.IF_UNMODIFIED_SINCE, date(Instant.now().minusSeconds(3600))));
		assertThat(content(mount, "a.txt")).isEqualTo("one");
		delete(mount, "a.txt", HttpHeaders.IF_UNMODIFIED_SINCE, date(Instant.now().plusSeconds(3600))).expectStatus()
			.isNoContent();
		assertThat(store(mount).exists("a.txt").block()).isFalse();
	}

	// ---- the check and the write are one step where the mount can compare and swap ----

	@ParameterizedTest
	@ValueSource(strings = { HttpHeaders.IF_UNMODIFIED_SINCE, HttpHeaders.IF_MATCH })
	void anObjectReplacedBetweenTheCheckAndTheWriteIsNotOverwritten(String header) {
		StoredObject stored = seed("racy", "a.txt", "one");
		String value = header.equals(HttpHeaders.IF_MATCH) ? "\"other\", " + quoted(stored.etag())
				: date(Instant.now().plusSeconds(3600));
		this.interfere.set(true);
		expect412(put("racy", "a.txt", header, value, "lost update"));
		assertThat(content("racy", "a.txt")).isEqualTo("concurrent writer 1");
		this.interfere.set(true);
		expect412(delete("racy", "a.txt", header, header.equals(HttpHeaders.IF_MATCH) ? "*" : value));
		assertThat(content("racy", "a.txt")).isEqualTo("concurrent writer 2");
	}

	@Test
	void anObjectCreatedBetweenTheCheckAndTheWriteIsNotOverwritten() {
		this.interfere.set(true);
		expect412(put("racy", "b.txt", HttpHeaders.IF_UNMODIFIED_SINCE, date(Instant.now()), "lost update"));
		assertThat(content("racy", "b.txt")).isEqualTo("concurrent writer 1");
	}

	/** A memory mount that cannot compare and swap. */
	private static final class WithoutCompareAndSwap extends ForwardingReactiveStorage {

		WithoutCompareAndSwap(ReactiveStorage delegate) {
			super(delegate);
		}

		@Override
		public Set<StorageCapability> capabilities() {
			Set<StorageCapability> capabilities = EnumSet.copyOf(getDelegate().capabilities());
			capabilities.remove(StorageCapability.CONDITIONAL_WRITE);
			return capabilities;
		}

	}

	/** Another writer replaces (or creates) the object, each time with new content, right after each armed {@code info}. */
	private static final class OverwrittenAfterInfo extends ForwardingReactiveStorage {

		private final AtomicBoolean armed;

		private final AtomicInteger writes = new AtomicInteger();

		OverwrittenAfterInfo(ReactiveStorage delegate, AtomicBoolean armed) {
			super(delegate);
			this.armed = armed;
		}

		@Override
		public Mono<StoredObject> info(String key) {
			return super.info(key).materialize().flatMap(signal -> {
				Mono<?> write = this.armed.getAndSet(false)
						? getDelegate().put(key, ("concurrent writer " + this.writes.incrementAndGet()).getBytes(StandardCharsets.UTF_8))
						: Mono.empty();
				return write.then(Mono.just(signal));
			}).dematerialize();
		}

	}

}
