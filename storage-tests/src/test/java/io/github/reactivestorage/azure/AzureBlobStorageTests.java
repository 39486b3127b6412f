package io.github.reactivestorage.azure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.models.BlockListType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.InvalidMetadataException;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.conformance.LeakTrackingDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Azure-specific behaviour on Azurite: SAS URLs over plain HTTP, multi-block uploads, metadata keys,
 * listing order and error mapping.
 */
@ExtendWith(AzuriteExtension.class)
class AzureBlobStorageTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final int BLOCK_SIZE = 1024 * 1024;

	private final LeakTrackingDataBufferFactory bufferFactory = new LeakTrackingDataBufferFactory();

	private final HttpClient http = HttpClient.newHttpClient();

	private BlobContainerAsyncClient container;

	private AzureBlobStorage storage;

	@BeforeEach
	void createContainer() {
		String name = "c" + Long.toHexString(new Random().nextLong() & Long.MAX_VALUE);
		AzureBlobSettings settings = AzureBlobSettings
			.ofConnectionString(AzuriteExtension.server().connectionString(), name)
			.withUploads(BLOCK_SIZE, 3)
			.withCreateContainer(true);
		this.container = AzureBlobClients.containerClient(settings);
		this.storage = new AzureBlobStorage("azure", this.container, this.bufferFactory, settings.blockSize(),
				settings.maxConcurrency(), settings.createContainer());
	}

	@AfterEach
	void checkLeaks() {
		this.bufferFactory.checkForLeaks(Duration.ofSeconds(5));
	}

	@Test
	void createContainerOnDemand() {
		assertThat(this.container.exists().block()).isFalse();
		put("first.txt", "one".getBytes(StandardCharsets.UTF_8));
		assertThat(this.container.exists().block()).isTrue();
	}

	@Test
	void signedGetUrlIsFetchableOverPlainHttpAndExpires() throws Exception {
		put("doc.txt", "signed content".getBytes(StandardCharsets.UTF_8));
		URI valid = this.storage.url("doc.txt", UrlOptions.get(Duration.ofMinutes(5))).block(TIMEOUT);
		HttpResponse<String> ok = this.http.send(HttpRequest.newBuilder(valid).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(ok.statusCode()).isEqualTo(200);
		assertThat(ok.body()).isEqualTo("signed content");

		URI expiring = this.storage.url("doc.txt", UrlOptions.get(Duration.ofSeconds(1))).block(TIMEOUT);
		Thread.sleep(2500);
		HttpResponse<String> expired = this.http.send(HttpRequest.newBuilder(expiring).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(expired.statusCode()).isEqualTo(403);
	}

	@Test
	void signedPutUrlUploadsWithTheBlockBlobHeader() throws Exception {
		put("placeholder.txt", new byte[] { 1 });
		URI url = this.storage.url("uploaded.txt", UrlOptions.put(Duration.ofMinutes(5))).block(TIMEOUT);
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(url)
			.header("x-ms-blob-type", "BlockBlob")
			.header("Content-Type", "text/plain")
			.PUT(HttpRequest.BodyPublishers.ofString("via url"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(201);
		assertThat(this.storage.getBytes("uploaded.txt").block(TIMEOUT))
			.isEqualTo("via url".getBytes(StandardCharsets.UTF_8));
		URI getOnly = this.storage.url("uploaded.txt", UrlOptions.get(Duration.ofMinutes(5))).block(TIMEOUT);
		HttpResponse<String> refused = this.http.send(
				HttpRequest.newBuilder(getOnly)
					.header("x-ms-blob-type", "BlockBlob")
					.PUT(HttpRequest.BodyPublishers.ofString("x"))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(refused.statusCode()).isEqualTo(403);
	}

	@Test
	void urlsNeedASharedKey() {
		BlobContainerAsyncClient anonymous = new com.azure.storage.blob.BlobContainerClientBuilder()
			.endpoint(AzuriteExtension.server().endpoint())
			.containerName("anything")
			.buildAsyncClient();
		AzureBlobStorage unsigned = new AzureBlobStorage("anonymous", anonymous, this.bufferFactory);
		StepVerifier.create(unsigned.url("a.txt", UrlOptions.get()))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(UnsupportedStorageOperationException.class)
				.hasMessageContaining("shared key"))
			.verify(TIMEOUT);
	}

	@Test
	void unknownLengthUploadGoesUpInSeveralBlocks() throws Exception {
		byte[] content = new byte[20 * 1024 * 1024 + 12345];
		new Random(42).nextBytes(content);
		List<byte[]> chunks = new ArrayList<>();
		for (int offset = 0; offset < content.length; offset += 8192) {
			chunks.add(java.util.Arrays.copyOfRange(content, offset, Math.min(content.length, offset + 8192)));
		}
		Flux<DataBuffer> body = Flux.fromIterable(chunks).map(DefaultDataBufferFactory.sharedInstance::wrap);
		StoredObject stored = this.storage.put("big.bin", body, PutOptions.defaults()).block(TIMEOUT);
		assertThat(stored.size()).isEqualTo(content.length);
		int blocks = this.container.getBlobAsyncClient("big.bin")
			.getBlockBlobAsyncClient()
			.listBlocks(BlockListType.COMMITTED)
			.block(TIMEOUT)
			.getCommittedBlocks()
			.size();
		assertThat(blocks).isGreaterThanOrEqualTo(20);
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		this.storage.get("big.bin").doOnNext(buffer -> {
			try {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				digest.update(bytes);
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}).blockLast(TIMEOUT);
		assertThat(digest.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(content));
	}

	@Test
	void metadataKeysMustBeIdentifiers() {
		for (String key : new String[] { "x-custom", "1abc", "a.b" }) {
			StepVerifier
				.create(this.storage.put("m.txt", new byte[] { 1 }, PutOptions.builder().metadata(key, "v").build()))
				.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(InvalidMetadataException.class)
					.hasMessageContaining(key)
					.hasMessageContaining("C# identifiers"))
				.verify(TIMEOUT);
		}
		put("ok.txt", new byte[] { 1 }, PutOptions.builder().metadata("Mixed_Case_1", "v").build());
	}

	@Test
	void nonAsciiMetadataIsEncodedOnTheWire() {
		put("m.txt", new byte[] { 1 }, PutOptions.builder().metadata("owner", "Zoë").build());
		assertThat(this.container.getBlobAsyncClient("m.txt").getProperties().block(TIMEOUT).getMetadata())
			.containsEntry("owner", "=?UTF-8?B?Wm/Dqw==?=");
		assertThat(this.storage.info("m.txt").block(TIMEOUT).metadata()).containsEntry("owner", "Zoë");
	}

	@Test
	void listingIsInUtf8ByteOrderAcrossBmpAndSupplementaryCharacters() {
		// UTF-16 order puts U+1F600 (surrogates D83D...) before U+FF01; UTF-8 byte order puts it after.
		List<String> keys = List.of("k/\uFF01.txt", "k/\uD83D\uDE00.txt", "k/a.txt", "k/\u00E9.txt");
		for (String key : keys) {
			put(key, new byte[] { 1 });
		}
		List<String> listed = this.storage.list(ListOptions.prefix("k/")).map(StoredObject::key).collectList()
			.block(TIMEOUT);
		assertThat(listed).containsExactly("k/a.txt", "k/\u00E9.txt", "k/\uFF01.txt", "k/\uD83D\uDE00.txt");
		List<String> delimited = this.storage.list(ListOptions.builder().delimiter("/").build())
			.map(StoredObject::key)
			.collectList()
			.block(TIMEOUT);
		assertThat(delimited).containsExactly("k/");
	}

	@Test
	void connectionRefusedIsAConnectionError() throws Exception {
		int port;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		String connectionString = "DefaultEndpointsProtocol=http;AccountName=" + AzuriteServer.ACCOUNT + ";AccountKey="
				+ AzuriteServer.KEY + ";BlobEndpoint=http://127.0.0.1:" + port + "/" + AzuriteServer.ACCOUNT + ";";
		BlobContainerAsyncClient nowhere = AzureBlobClients.containerClient(
				AzureBlobSettings.ofConnectionString(connectionString, "nowhere"),
				builder -> builder.retryOptions(new com.azure.storage.common.policy.RequestRetryOptions(
						com.azure.storage.common.policy.RetryPolicyType.FIXED, 1, (Integer) null, null, null, null)));
		AzureBlobStorage unreachable = new AzureBlobStorage("down", nowhere, this.bufferFactory);
		StepVerifier.create(unreachable.info("a.txt"))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(StorageConnectionException.class)
				.hasMessageContaining("down")
				.hasCauseInstanceOf(Exception.class))
			.verify(TIMEOUT);
	}

	private void put(String key, byte[] content) {
		put(key, content, PutOptions.defaults());
	}

	private void put(String key, byte[] content, PutOptions options) {
		StepVerifier.create(this.storage.put(key, content, options)).expectNextCount(1).expectComplete().verify(TIMEOUT);
	}

}
