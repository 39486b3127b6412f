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
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.InvalidMetadataException;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.UrlOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S3-specific behaviour against S3Proxy: presigned URLs fetched over plain HTTP, abort of a failed
 * multipart upload, a 5,000-key listing across pages, metadata on the wire, and error mapping with no
 * server. Part sizes, cancelled uploads and addressing styles are in {@link S3StorageTests}.
 */
class S3StorageIntegrationTests {

	@RegisterExtension
	static final S3ProxyServer server = new S3ProxyServer();

	private static final S3StorageOptions SMALL_PARTS = new S3StorageOptions(5L * 1024 * 1024, 5 * 1024 * 1024, 3);

	private final HttpClient http = HttpClient.newHttpClient();

	private S3Storage storage;

	private String bucket;

	private static final AtomicInteger counter = new AtomicInteger();

	@BeforeEach
	void createStorage() {
		this.bucket = "it" + counter.incrementAndGet() + "x" + System.nanoTime();
		this.storage = server.storage("media", this.bucket, SMALL_PARTS, DefaultDataBufferFactory.sharedInstance);
	}

	@Test
	void cancelledGetsGiveTheirConnectionsBack() {
		// two connections, a long read timeout and a short wait for a free connection: a connection
		// kept by a cancelled download would make the calls after it fail
		software.amazon.awssdk.services.s3.S3AsyncClient client = server.settings()
			.clientBuilder()
			.httpClientBuilder(software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient.builder()
				.maxConcurrency(2)
				.readTimeout(Duration.ofSeconds(60))
				.connectionAcquisitionTimeout(Duration.ofSeconds(3)))
			.build();
		try (S3Storage small = new S3Storage("media", client, null, this.bucket, SMALL_PARTS,
				DefaultDataBufferFactory.sharedInstance, null)) {
			this.storage.put("large.bin", new byte[8 * 1024 * 1024]).block(Duration.ofSeconds(60));
			for (int i = 0; i < 6; i++) {
				StepVerifier.create(small.get("large.bin").take(1).doOnNext(DataBufferUtils::release))
					.expectNextCount(1)
					.expectComplete()
					.verify(Duration.ofSeconds(20));
			}
			StepVerifier.create(small.info("large.bin"))
				.assertNext(object -> assertThat(object.size()).isEqualTo(8 * 1024 * 1024))
				.expectComplete()
				.verify(Duration.ofSeconds(20));
		}
		finally {
			client.close();
		}
	}

	@Test
	void presignedGetUrlIsFetchedOverPlainHttp() throws Exception {
		this.storage.put("docs/hello.txt", "hello over http".getBytes(StandardCharsets.UTF_8)).block();
		URI url = this.storage.url("docs/hello.txt", UrlOptions.get(Duration.ofMinutes(5))).block();
		assertThat(url.getQuery()).contains("X-Amz-Signature");
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(url).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("hello over http");
	}

	@Test
	void presignedPutUrlUploads() throws Exception {
		URI url = this.storage.url("uploads/put.txt", UrlOptions.put(Duration.ofMinutes(5))).block();
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofString("uploaded")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(new String(this.storage.getBytes("uploads/put.txt").block(), StandardCharsets.UTF_8))
			.isEqualTo("uploaded");
	}

	@Test
	void expiredPresignedUrlIsRefused() throws Exception {
		this.storage.put("soon.txt", "x".getBytes(StandardCharsets.UTF_8)).block();
		URI url = this.storage.url("soon.txt", UrlOptions.get(Duration.ofSeconds(1))).block();
		Thread.sleep(2100);
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(url).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(403);
	}

	@Test
	void expiryPastSevenDaysIsAClearError() {
		StepVerifier.create(this.storage.url("x.txt", UrlOptions.get(Duration.ofDays(8))))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("PT168H"))
			.verify();
	}

	@Test
	void failedMultipartUploadIsAbortedAndStoresNothing() {
		Flux<DataBuffer> failing = Flux.concat(generate(12L * 1024 * 1024, null),
				Flux.error(new IllegalStateException("client went away")));
		StepVerifier.create(this.storage.put("big/failed.bin", failing, PutOptions.defaults()))
			.expectError(IllegalStateException.class)
			.verify(Duration.ofSeconds(60));
		S3AsyncClient client = server.client();
		assertThat(client.listMultipartUploads(request -> request.bucket(this.bucket)).join().uploads()).isEmpty();
		assertThat(this.storage.exists("big/failed.bin").block()).isFalse();
	}

	@Test
	void listingOf5000KeysCrossesPages() {
		Flux.range(0, 5000)
			.flatMap(i -> this.storage.put(String.format("k/%05d", i), new byte[] { 1 }), 32)
			.blockLast(Duration.ofMinutes(5));
		assertThat(this.storage.list(ListOptions.prefix("k/")).count().block()).isEqualTo(5000);
		assertThat(this.storage.list(ListOptions.builder().prefix("k/").startAfter("k/04990").build())
			.map(o -> o.key())
			.collectList()
			.block()).hasSize(9).startsWith("k/04991");
	}

	@Test
	void metadataValuesAreEncodedOnTheWireAndDecodedOnRead() {
		this.storage.put("m.txt", new byte[] { 1 }, PutOptions.builder().metadata("name", "Zoë 🎉").build()).block();
		Map<String, String> raw = server.client().headObject(r -> r.bucket(this.bucket).key("m.txt")).join().metadata();
		assertThat(raw.get("name")).startsWith("=?UTF-8?B?");
		assertThat(this.storage.info("m.txt").block().metadata()).containsEntry("name", "Zoë 🎉");
	}

	@Test
	void upperCaseMetadataKeysAreRejected() {
		StepVerifier.create(this.storage.put("m.txt", new byte[] { 1 }, PutOptions.builder().metadata("Owner", "x").build()))
			.expectError(InvalidMetadataException.class)
			.verify();
	}

	@Test
	void noServerIsAConnectionError() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		S3ClientSettings settings = new S3ClientSettings("us-east-1", URI.create("http://127.0.0.1:" + port), true, "a",
				"b", null, null, false, Duration.ofSeconds(2), Duration.ofSeconds(2));
		try (S3AsyncClient client = settings.clientBuilder().build()) {
			S3Storage offline = new S3Storage("offline", client, null, "bucket", S3StorageOptions.DEFAULTS,
					DefaultDataBufferFactory.sharedInstance, null);
			StepVerifier.create(offline.info("x.txt"))
				.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(StorageConnectionException.class)
					.hasMessageContaining("mount 'offline'"))
				.verify(Duration.ofSeconds(30));
		}
	}

	private static Flux<DataBuffer> generate(long size, MessageDigest digest) {
		int chunk = 64 * 1024;
		return Flux.<DataBuffer, Long>generate(() -> 0L, (offset, sink) -> {
			if (offset >= size) {
				sink.complete();
				return offset;
			}
			byte[] bytes = new byte[(int) Math.min(chunk, size - offset)];
			new SplittableRandom(offset).nextBytes(bytes);
			if (digest != null) {
				digest.update(bytes);
			}
			sink.next(DefaultDataBufferFactory.sharedInstance.wrap(bytes));
			return offset + bytes.length;
		});
	}

}
