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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.InvalidMetadataException;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.UrlOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How metadata reaches S3 (against S3Proxy): non-ASCII values encoded on the wire, upper-case keys
 * refused before I/O. Presigned URLs, multipart uploads, paging and error mapping are in
 * {@link S3StorageTests}.
 */
class S3MetadataTests {

	private static final S3ProxyServer server = new S3ProxyServer();

	private static final S3StorageOptions SMALL_PARTS = new S3StorageOptions(5L * 1024 * 1024, 5 * 1024 * 1024, 3);

	private final HttpClient http = HttpClient.newHttpClient();

	private S3Storage storage;

	private String bucket;

	private static final AtomicInteger counter = new AtomicInteger();

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
		this.bucket = "it" + counter.incrementAndGet() + "x" + System.nanoTime();
		this.storage = server.storage("media", this.bucket, SMALL_PARTS, DefaultDataBufferFactory.sharedInstance);
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

}
