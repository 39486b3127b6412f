package io.github.reactivestorage.s3;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.conformance.LeakTrackingDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * S3-specific behaviour against S3Proxy in-process: presigned URLs fetched with a plain HTTP
 * client, multipart uploads of unknown-length bodies, aborts, paging, addressing styles and a
 * stopped server.
 */
class S3StorageTests {

	private static final int MIB = 1024 * 1024;

	private static final S3ProxyServer server = new S3ProxyServer();

	private final LeakTrackingDataBufferFactory bufferFactory = new LeakTrackingDataBufferFactory();

	private final HttpClient http = HttpClient.newHttpClient();

	private String bucket;

	private S3Storage storage;

	@BeforeAll
	static void startServer() throws Exception {
		server.start();
	}

	@AfterAll
	static void stopServer() {
		server.stop();
	}

	@BeforeEach
	void createStorage() {
		this.bucket = "s3-" + UUID.randomUUID().toString().substring(0, 13);
		this.storage = server.storage("s3", this.bucket, new S3StorageOptions(5L * MIB, 5 * MIB, 3),
				this.bufferFactory);
	}

	@AfterEach
	void checkLeaks() {
		this.bufferFactory.checkForLeaks(Duration.ofSeconds(5));
	}

	@Test
	void presignedGetUrlIsFetchedWithAPlainHttpClient() throws Exception {
		StepVerifier.create(this.storage.put("docs/a b.txt", "hello".getBytes(StandardCharsets.UTF_8)))
			.expectNextCount(1)
			.verifyComplete();
		URI url = this.storage.url("docs/a b.txt", UrlOptions.get(Duration.ofMinutes(5))).block();
		assertThat(url.getQuery()).contains("X-Amz-Signature=");
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(url).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("hello");
	}

	@Test
	void presignedPutUrlStoresTheBody() throws Exception {
		URI url = this.storage.url("upload.txt", UrlOptions.put(Duration.ofMinutes(5), "text/plain")).block();
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(url)
			.header("Content-Type", "text/plain")
			.PUT(HttpRequest.BodyPublishers.ofString("uploaded"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		StepVerifier.create(this.storage.getBytes("upload.txt"))
			.assertNext(bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("uploaded"))
			.verifyComplete();
	}

	@Test
	void expiredPresignedUrlIsRefused() throws Exception {
		StepVerifier.create(this.storage.put("k", new byte[] { 1 })).expectNextCount(1).verifyComplete();
		URI url = this.storage.url("k", UrlOptions.get(Duration.ofSeconds(1))).block();
		Thread.sleep(2100);
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(url).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(403);
	}

	@Test
	void urlExpiryOverSevenDaysIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.storage.url("k", UrlOptions.get(Duration.ofDays(8))).block());
	}

	@Test
	void unknownLengthBodyIsUploadedInParts() throws Exception {
		int chunk = 64 * 1024;
		int chunks = 40 * MIB / chunk + 3;
		MessageDigest expected = MessageDigest.getInstance("SHA-256");
		Random random = new Random(42);
		Flux<DataBuffer> body = Flux.range(0, chunks).map(i -> {
			byte[] bytes = new byte[chunk];
			random.nextBytes(bytes);
			expected.update(bytes);
			return this.bufferFactory.wrap(bytes);
		});
		StepVerifier.create(this.storage.put("big.bin", body, PutOptions.defaults()))
			.assertNext(object -> assertThat(object.size()).isEqualTo((long) chunks * chunk))
			.verifyComplete();
		String etag = server.client().headObject(request -> request.bucket(this.bucket).key("big.bin")).join().eTag();
		assertThat(etag).as("multipart ETag").endsWith("-9\"");
		MessageDigest actual = MessageDigest.getInstance("SHA-256");
		StepVerifier.create(this.storage.get("big.bin").doOnNext(buffer -> {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			actual.update(bytes);
			DataBufferUtils.release(buffer);
		})).thenConsumeWhile(buffer -> true).verifyComplete();
		assertThat(HexFormat.of().formatHex(actual.digest())).isEqualTo(HexFormat.of().formatHex(expected.digest()));
	}

	@Test
	void failedBodyAbortsTheMultipartUpload() {
		Flux<DataBuffer> body = Flux.range(0, 12)
			.map(i -> this.bufferFactory.wrap(new byte[MIB]))
			.concatWith(Flux.error(new IllegalStateException("client went away")));
		StepVerifier.create(this.storage.put("broken.bin", body, PutOptions.defaults()))
			.expectErrorMessage("client went away")
			.verify();
		assertNoObjectAndNoUploads("broken.bin");
	}

	@Test
	void cancelledPutAbortsTheMultipartUpload() throws Exception {
		Flux<DataBuffer> body = Flux.range(0, 12)
			.map(i -> this.bufferFactory.wrap(new byte[MIB]))
			.concatWith(Flux.never());
		StepVerifier.create(this.storage.put("cancelled.bin", body, PutOptions.defaults()))
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(2))
			.thenCancel()
			.verify();
		ListMultipartUploadsResponse uploads = null;
		for (int i = 0; i < 50; i++) {
			uploads = server.client().listMultipartUploads(request -> request.bucket(this.bucket)).join();
			if (uploads.uploads().isEmpty()) {
				break;
			}
			Thread.sleep(100);
		}
		assertNoObjectAndNoUploads("cancelled.bin");
	}

	private void assertNoObjectAndNoUploads(String key) {
		StepVerifier.create(this.storage.info(key)).expectError(ObjectNotFoundException.class).verify();
		ListMultipartUploadsResponse uploads = server.client()
			.listMultipartUploads(request -> request.bucket(this.bucket))
			.join();
		assertThat(uploads.uploads()).isEmpty();
	}

	@Test
	void fiveThousandKeysAreListedAcrossPages() {
		Flux.range(0, 5000)
			.flatMap(i -> this.storage.put("many/%05d".formatted(i), new byte[0]), 32)
			.blockLast();
		StepVerifier.create(this.storage.list("many/").map(StoredObject::key).collectList())
			.assertNext(keys -> {
				assertThat(keys).hasSize(5000);
				assertThat(keys).isSorted();
				assertThat(keys.get(4999)).isEqualTo("many/04999");
			})
			.verifyComplete();
		StepVerifier.create(this.storage.list(ListOptions.builder().prefix("many/").startAfter("many/02500").limit(3)
			.build()).map(StoredObject::key))
			.expectNext("many/02501", "many/02502", "many/02503")
			.verifyComplete();
	}

	@Test
	void nonAsciiMetadataRoundTrips() {
		PutOptions options = PutOptions.builder().metadata(Map.of("title", "Grüße — 東京", "plain", "ascii")).build();
		StepVerifier.create(this.storage.put("meta.txt", "x".getBytes(StandardCharsets.UTF_8), options))
			.expectNextCount(1)
			.verifyComplete();
		StepVerifier.create(this.storage.info("meta.txt"))
			.assertNext(object -> assertThat(object.metadata()).containsEntry("title", "Grüße — 東京")
				.containsEntry("plain", "ascii"))
			.verifyComplete();
	}

	@Test
	void pathStyleAndVirtualHostUrls() {
		S3ClientSettings pathStyle = server.settings();
		S3ClientSettings virtualHost = new S3ClientSettings("us-east-1", URI.create("http://storage.example.com"), false,
				"a", "b", null, null, false, Duration.ofSeconds(1), Duration.ofSeconds(1));
		try (S3Storage path = new S3Storage("p", server.client(), pathStyle.presigner(), "bkt", S3StorageOptions.DEFAULTS,
				this.bufferFactory, null);
				S3Storage host = new S3Storage("h", server.client(), virtualHost.presigner(), "bkt",
						S3StorageOptions.DEFAULTS, this.bufferFactory, null)) {
			URI pathUrl = path.url("x/y", UrlOptions.get()).block();
			assertThat(pathUrl.getPath()).isEqualTo("/bkt/x/y");
			URI hostUrl = host.url("x/y", UrlOptions.get()).block();
			assertThat(hostUrl.getHost()).isEqualTo("bkt.storage.example.com");
			assertThat(hostUrl.getPath()).isEqualTo("/x/y");
		}
	}

	@Test
	void stoppedServerIsAConnectionError() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		S3ClientSettings settings = new S3ClientSettings("us-east-1", URI.create("http://127.0.0.1:" + port), true,
				"a", "b", null, null, false, Duration.ofSeconds(2), Duration.ofSeconds(2));
		try (S3Storage dead = new S3Storage("dead", settings.clientBuilder()
			.overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)))
			.build(), settings.presigner(), "bkt", S3StorageOptions.DEFAULTS, this.bufferFactory, null)) {
			StepVerifier.create(dead.info("k")).expectError(StorageConnectionException.class).verify();
			StepVerifier.create(dead.get("k")).expectError(StorageConnectionException.class).verify();
			StepVerifier.create(dead.put("k", new byte[] { 1 })).expectError(StorageConnectionException.class).verify();
			StepVerifier.create(dead.list("")).expectError(StorageConnectionException.class).verify();
		}
	}

	@Test
	void missingBucketIsNotFoundAndSaysSo() {
		try (S3Storage missing = new S3Storage("m", server.client(), null, "no-such-bucket-" + UUID.randomUUID(),
				S3StorageOptions.DEFAULTS, this.bufferFactory, null)) {
			StepVerifier.create(missing.list(""))
				.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(ObjectNotFoundException.class)
					.hasMessageContaining("bucket"))
				.verify();
		}
	}

	@Test
	void copyRangesCoverTheObject() {
		List<long[]> ranges = S3Storage.copyRanges(10, 4);
		assertThat(ranges).extracting(r -> r[0] + "-" + r[1]).containsExactly("0-3", "4-7", "8-9");
		long sixGib = 6L * 1024 * 1024 * 1024;
		List<long[]> big = S3Storage.copyRanges(sixGib, S3Storage.COPY_PART_SIZE);
		assertThat(big).hasSize(12);
		assertThat(big.get(11)[1]).isEqualTo(sixGib - 1);
		assertThat(S3Storage.copyRanges(0, 4)).isEmpty();
	}

}
