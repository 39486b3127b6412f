package io.github.reactivestorage.autoconfigure.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.BodyInserters;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.support.ReadOnlyStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every row of the endpoints' contract against one backend.
 */
abstract class AbstractStorageEndpointsTests {

	protected ReactiveStorage storage;

	protected WebTestClient client;

	protected abstract ReactiveStorage createStorage(String name) throws Exception;

	@BeforeEach
	void setUp() throws Exception {
		this.storage = createStorage("files");
		Map<String, ReactiveStorage> mounts = new LinkedHashMap<>();
		mounts.put("files", this.storage);
		mounts.put("ro", new ReadOnlyStorage(createStorage("ro")));
		mounts.put("hidden", createStorage("hidden"));
		StorageWebProperties properties = new StorageWebProperties();
		properties.setMounts(List.of("files", "ro"));
		properties.setMaxUploadSize(DataSize.ofKilobytes(64));
		StorageHandler handler = new StorageHandler(new StorageMounts(mounts, "files"), properties);
		this.client = WebTestClient.bindToRouterFunction(StorageRoutes.routes("/storage", handler))
			.configureClient()
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	private void seed(String key, String content, String contentType) {
		this.storage.put(key, content.getBytes(StandardCharsets.UTF_8), PutOptions.builder().contentType(contentType).build())
			.block();
	}

	// ---- PUT ----

	@Test
	void rawPutStoresTheBodyAndAnswersCreatedWithJson() {
		this.client.put()
			.uri("/storage/files/docs/readme.txt")
			.contentType(MediaType.TEXT_MARKDOWN)
			.bodyValue("# hello")
			.exchange()
			.expectStatus().isCreated()
			.expectHeader().location("/storage/files/docs/readme.txt")
			.expectBody()
			.jsonPath("$.key").isEqualTo("docs/readme.txt")
			.jsonPath("$.size").isEqualTo(7)
			.jsonPath("$.contentType").isEqualTo("text/markdown");
		assertThat(this.storage.getBytes("docs/readme.txt").block()).asString().isEqualTo("# hello");
		assertThat(this.storage.info("docs/readme.txt").block().contentType()).isEqualTo("text/markdown");
	}

	@Test
	void rawPutWithIfNoneMatchStarIsCreateOnly() {
		seed("taken.txt", "first", "text/plain");
		this.client.put()
			.uri("/storage/files/taken.txt")
			.header(HttpHeaders.IF_NONE_MATCH, "*")
			.bodyValue("second")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.PRECONDITION_FAILED)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(this.storage.getBytes("taken.txt").block()).asString().isEqualTo("first");
	}

	@Test
	void rawPutOverTheLimitIs413AndStoresNothing() {
		byte[] big = new byte[70 * 1024];
		this.client.put()
			.uri("/storage/files/big.bin")
			.bodyValue(big)
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectBody().jsonPath("$.status").isEqualTo(413)
			.jsonPath("$.mount").isEqualTo("files")
			.jsonPath("$.key").isEqualTo("big.bin");
		assertThat(this.storage.exists("big.bin").block()).isFalse();
	}

	@Test
	void rawPutOverTheLimitWithoutContentLengthIs413WhileStreaming() {
		org.springframework.core.io.buffer.DefaultDataBufferFactory factory = org.springframework.core.io.buffer.DefaultDataBufferFactory.sharedInstance;
		reactor.core.publisher.Flux<org.springframework.core.io.buffer.DataBuffer> chunks = reactor.core.publisher.Flux
			.range(0, 10)
			.map(i -> factory.wrap(new byte[10 * 1024]));
		this.client.put()
			.uri("/storage/files/streamed.bin")
			.body(BodyInserters.fromDataBuffers(chunks))
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
		assertThat(this.storage.exists("streamed.bin").block()).isFalse();
	}

	@Test
	void putOnAReadOnlyMountIs403() {
		this.client.put().uri("/storage/ro/x.txt").bodyValue("x").exchange()
			.expectStatus().isForbidden()
			.expectBody().jsonPath("$.mount").isEqualTo("ro");
	}

	// ---- multipart POST ----

	@Test
	void multipartPostStoresEveryFileUnderThePrefix() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("file", new NamedResource("a.txt", "alpha")).contentType(MediaType.TEXT_PLAIN);
		body.part("file", new NamedResource("b.json", "{\"b\":1}")).contentType(MediaType.APPLICATION_JSON);
		body.part("comment", "not a file");
		this.client.post()
			.uri("/storage/files?prefix=uploads")
			.body(BodyInserters.fromMultipartData(body.build()))
			.exchange()
			.expectStatus().isCreated()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(2)
			.jsonPath("$[0].key").isEqualTo("uploads/a.txt")
			.jsonPath("$[1].key").isEqualTo("uploads/b.json");
		assertThat(this.storage.getBytes("uploads/a.txt").block()).asString().isEqualTo("alpha");
		assertThat(this.storage.info("uploads/b.json").block().contentType()).isEqualTo("application/json");
	}

	@Test
	void multipartPrefixWithTrailingSlashIsTheSame() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("file", new NamedResource("c.txt", "c"));
		this.client.post().uri("/storage/files?prefix=p/").body(BodyInserters.fromMultipartData(body.build()))
			.exchange().expectStatus().isCreated().expectBody().jsonPath("$[0].key").isEqualTo("p/c.txt");
	}

	@Test
	void multipartWithoutPrefixUsesTheFilename() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("file", new NamedResource("top.txt", "t"));
		this.client.post().uri("/storage/files").body(BodyInserters.fromMultipartData(body.build()))
			.exchange().expectStatus().isCreated().expectBody().jsonPath("$[0].key").isEqualTo("top.txt");
	}

	@Test
	void multipartFilenameBreakingTheKeyRulesIs400() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("file", new NamedResource("../escape.txt", "x"));
		this.client.post().uri("/storage/files?prefix=p").body(BodyInserters.fromMultipartData(body.build()))
			.exchange().expectStatus().isBadRequest();
		assertThat(this.storage.exists("escape.txt").block()).isFalse();
	}

	@Test
	void multipartOverTheLimitIs413AndStoresNothing() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("file", new NamedResource("first.bin", new byte[40 * 1024]));
		body.part("file", new NamedResource("second.bin", new byte[40 * 1024]));
		this.client.post().uri("/storage/files").body(BodyInserters.fromMultipartData(body.build()))
			.exchange().expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
		assertThat(this.storage.exists("first.bin").block()).isFalse();
		assertThat(this.storage.exists("second.bin").block()).isFalse();
	}

	// ---- GET and HEAD ----

	@Test
	void getStreamsWithHeaders() {
		seed("page.html", "<h1>hi</h1>", "text/html");
		String etag = "\"" + this.storage.info("page.html").block().etag() + "\"";
		this.client.get().uri("/storage/files/page.html").exchange()
			.expectStatus().isOk()
			.expectHeader().contentType(MediaType.TEXT_HTML)
			.expectHeader().contentLength(11)
			.expectHeader().valueEquals(HttpHeaders.ETAG, etag)
			.expectHeader().exists(HttpHeaders.LAST_MODIFIED)
			.expectHeader().valueEquals(HttpHeaders.ACCEPT_RANGES, "bytes")
			.expectBody(String.class).isEqualTo("<h1>hi</h1>");
	}

	@Test
	void headGivesTheHeadersWithoutABody() {
		seed("page.html", "<h1>hi</h1>", "text/html");
		this.client.head().uri("/storage/files/page.html").exchange()
			.expectStatus().isOk()
			.expectHeader().contentLength(11)
			.expectHeader().exists(HttpHeaders.ETAG)
			.expectBody().isEmpty();
	}

	@Test
	void rangeIsPartialContent() {
		seed("digits.txt", "0123456789", "text/plain");
		this.client.get().uri("/storage/files/digits.txt").header(HttpHeaders.RANGE, "bytes=2-5").exchange()
			.expectStatus().isEqualTo(HttpStatus.PARTIAL_CONTENT)
			.expectHeader().valueEquals(HttpHeaders.CONTENT_RANGE, "bytes 2-5/10")
			.expectHeader().contentLength(4)
			.expectBody(String.class).isEqualTo("2345");
	}

	@Test
	void suffixRange() {
		seed("digits.txt", "0123456789", "text/plain");
		this.client.get().uri("/storage/files/digits.txt").header(HttpHeaders.RANGE, "bytes=-3").exchange()
			.expectStatus().isEqualTo(HttpStatus.PARTIAL_CONTENT)
			.expectHeader().valueEquals(HttpHeaders.CONTENT_RANGE, "bytes 7-9/10")
			.expectBody(String.class).isEqualTo("789");
	}

	@Test
	void unsatisfiableRangeIs416() {
		seed("digits.txt", "0123456789", "text/plain");
		this.client.get().uri("/storage/files/digits.txt").header(HttpHeaders.RANGE, "bytes=20-30").exchange()
			.expectStatus().isEqualTo(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
			.expectHeader().valueEquals(HttpHeaders.CONTENT_RANGE, "bytes */10")
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void severalRangesServeTheWholeObject() {
		seed("digits.txt", "0123456789", "text/plain");
		this.client.get().uri("/storage/files/digits.txt").header(HttpHeaders.RANGE, "bytes=0-1,5-6").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).isEqualTo("0123456789");
	}

	@Test
	void ifNoneMatchIsNotModified() {
		seed("cached.txt", "x", "text/plain");
		String etag = "\"" + this.storage.info("cached.txt").block().etag() + "\"";
		this.client.get().uri("/storage/files/cached.txt").header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
			.expectStatus().isNotModified()
			.expectHeader().valueEquals(HttpHeaders.ETAG, etag)
			.expectBody().isEmpty();
		this.client.get().uri("/storage/files/cached.txt").header(HttpHeaders.IF_NONE_MATCH, "\"other\"").exchange()
			.expectStatus().isOk();
	}

	@Test
	void ifModifiedSinceIsNotModified() {
		seed("dated.txt", "x", "text/plain");
		String future = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusHours(1));
		String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusDays(1));
		this.client.get().uri("/storage/files/dated.txt").header(HttpHeaders.IF_MODIFIED_SINCE, future).exchange()
			.expectStatus().isNotModified();
		this.client.get().uri("/storage/files/dated.txt").header(HttpHeaders.IF_MODIFIED_SINCE, past).exchange()
			.expectStatus().isOk();
	}

	@Test
	void downloadAddsASafeContentDisposition() {
		seed("reports/résumé \"final\".pdf", "pdf", "application/pdf");
		this.client.get().uri(java.net.URI.create("/storage/files/reports/r%C3%A9sum%C3%A9%20%22final%22.pdf?download")).exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals(HttpHeaders.CONTENT_DISPOSITION,
					"attachment; filename=\"resume \\\"final\\\".pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf");
	}

	@Test
	void missingObjectIs404ProblemDetail() {
		this.client.get().uri("/storage/files/nope.txt").exchange()
			.expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(404)
			.jsonPath("$.key").isEqualTo("nope.txt")
			.jsonPath("$.mount").isEqualTo("files")
			.jsonPath("$.trace").doesNotExist();
	}

	@Test
	void unknownAndUnexposedMountsAre404() {
		this.client.get().uri("/storage/nowhere/x.txt").exchange().expectStatus().isNotFound();
		this.client.get().uri("/storage/hidden/x.txt").exchange().expectStatus().isNotFound();
		this.client.get().uri("/storage/hidden").exchange().expectStatus().isNotFound();
	}

	@Test
	void percentDecodingHappensOnce() {
		seed("a%2Fb.txt", "literal percent", "text/plain");
		seed("a/b.txt", "nested", "text/plain");
		this.client.get().uri(java.net.URI.create("/storage/files/a%252Fb.txt")).exchange().expectBody(String.class).isEqualTo("literal percent");
		this.client.get().uri(java.net.URI.create("/storage/files/a%2Fb.txt")).exchange().expectBody(String.class).isEqualTo("nested");
	}

	@Test
	void dotDotInAnyEncodingIsRejected() {
		seed("secret.txt", "s", "text/plain");
		for (String path : List.of("/storage/files/x/%2e%2e/secret.txt", "/storage/files/x/%2E%2E/secret.txt",
				"/storage/files/x/..%2fsecret.txt", "/storage/files/%2e%2e%2fsecret.txt")) {
			this.client.get().uri(java.net.URI.create(path)).exchange().expectStatus().isBadRequest();
		}
	}

	@Test
	void invalidKeyIs400() {
		this.client.put().uri(java.net.URI.create("/storage/files/a%00b")).bodyValue("x").exchange()
			.expectStatus().isBadRequest();
	}

	// ---- DELETE ----

	@Test
	void deleteIs204ThenGone() {
		seed("doomed.txt", "x", "text/plain");
		this.client.delete().uri("/storage/files/doomed.txt").exchange().expectStatus().isNoContent();
		assertThat(this.storage.exists("doomed.txt").block()).isFalse();
		this.client.delete().uri("/storage/files/doomed.txt").exchange().expectStatus().isNotFound();
	}

	@Test
	void deleteOnAReadOnlyMountIs403() {
		this.client.delete().uri("/storage/ro/x.txt").exchange().expectStatus().isForbidden();
	}

	// ---- listing ----

	@Test
	void listingIsAJsonPage() {
		for (String key : List.of("p/a.txt", "p/b.txt", "p/sub/c.txt", "q.txt")) {
			seed(key, key, "text/plain");
		}
		this.client.get().uri("/storage/files?prefix=p/&delimiter=/").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.prefix").isEqualTo("p/")
			.jsonPath("$.items.length()").isEqualTo(3)
			.jsonPath("$.items[0].key").isEqualTo("p/a.txt")
			.jsonPath("$.items[2].key").isEqualTo("p/sub/")
			.jsonPath("$.items[2].prefix").isEqualTo(true)
			.jsonPath("$.next").doesNotExist();
	}

	@Test
	void listingPagesWithLimitAndAfter() {
		for (String key : List.of("1", "2", "3", "4", "5")) {
			seed(key, key, "text/plain");
		}
		this.client.get().uri("/storage/files?limit=2&after=2").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.items[0].key").isEqualTo("3")
			.jsonPath("$.items[1].key").isEqualTo("4")
			.jsonPath("$.next").isEqualTo("4");
	}

	@Test
	void listingWithABadLimitIs400() {
		this.client.get().uri("/storage/files?limit=0").exchange().expectStatus().isBadRequest();
		this.client.get().uri("/storage/files?limit=abc").exchange().expectStatus().isBadRequest();
	}

	/** A byte array resource with a filename, as a browser sends a file part. */
	static final class NamedResource extends ByteArrayResource {

		private final String filename;

		NamedResource(String filename, String content) {
			this(filename, content.getBytes(StandardCharsets.UTF_8));
		}

		NamedResource(String filename, byte[] content) {
			super(content);
			this.filename = filename;
		}

		@Override
		public String getFilename() {
			return this.filename;
		}

	}

}
