package io.github.reactivestorage.gcs;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GCS behaviour beyond the conformance kit, on Google's in-process fake: V4 signed URLs checked
 * against the public half of a locally generated service-account key, the error without a signing
 * key, and SDK calls kept off Reactor Netty's event loop when a real HTTP server streams through
 * the backend.
 */
class GcsStorageTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final ThreadRecordingStorage recorder = new ThreadRecordingStorage();

	private final NettyDataBufferFactory bufferFactory = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

	private final GcsStorage storage = new GcsStorage("pictures",
			this.recorder.wrap(GcsTestSupport.fakeWithSigningKey()), "bucket", this.bufferFactory,
			GcsStorageOptions.defaults().withListStartOffset(false));

	@AfterEach
	void close() {
		this.storage.close();
	}

	@Test
	void signedGetUrlCarriesAValidV4Signature() throws Exception {
		URI url = this.storage.url("albums/2026/summer photo ü.jpg", UrlOptions.get(Duration.ofMinutes(15)))
			.block(TIMEOUT);
		Map<String, String> query = query(url);
		assertThat(url.getHost()).isEqualTo("storage.googleapis.com");
		assertThat(url.getRawPath()).isEqualTo("/bucket/albums/2026/summer%20photo%20%C3%BC.jpg");
		assertThat(query).containsEntry("X-Goog-Algorithm", "GOOG4-RSA-SHA256")
			.containsEntry("X-Goog-Expires", "900")
			.containsEntry("X-Goog-SignedHeaders", "host");
		assertThat(query.get("X-Goog-Credential")).startsWith(GcsTestSupport.CLIENT_EMAIL + "/")
			.endsWith("/auto/storage/goog4_request");
		assertThat(signatureIsValid("GET", url, Map.of("host", url.getHost()))).isTrue();
	}

	@Test
	void signedPutUrlSignsTheContentType() throws Exception {
		URI url = this.storage.url("uploads/report.pdf", UrlOptions.put(Duration.ofHours(1), "application/pdf"))
			.block(TIMEOUT);
		assertThat(query(url)).containsEntry("X-Goog-SignedHeaders", "content-type;host")
			.containsEntry("X-Goog-Expires", "3600");
		assertThat(signatureIsValid("PUT", url, Map.of("content-type", "application/pdf", "host", url.getHost())))
			.isTrue();
		// the same signature does not hold for another method, another key or another content type
		assertThat(signatureIsValid("GET", url, Map.of("content-type", "application/pdf", "host", url.getHost())))
			.isFalse();
		assertThat(signatureIsValid("PUT", URI.create(url.toString().replace("report.pdf", "other.pdf")),
				Map.of("content-type", "application/pdf", "host", url.getHost())))
			.isFalse();
		assertThat(signatureIsValid("PUT", url, Map.of("content-type", "text/plain", "host", url.getHost())))
			.isFalse();
	}

	@Test
	void urlWithoutASigningKeyIsUnsupportedWithAClearMessage() {
		try (GcsStorage unsigned = new GcsStorage("public", LocalStorageHelper.getOptions().getService(), "bucket",
				this.bufferFactory)) {
			StepVerifier.create(unsigned.url("a.txt", UrlOptions.get(Duration.ofMinutes(5))))
				.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(UnsupportedStorageOperationException.class)
					.hasMessageContaining("cannot sign URLs")
					.hasMessageContaining("public"))
				.verify(TIMEOUT);
		}
	}

	@Test
	void unreachableServerIsAConnectionErrorWithTheSdkCause() {
		Storage unreachable = StorageOptions.newBuilder()
			.setProjectId("test")
			.setHost("http://127.0.0.1:1")
			.setCredentials(NoCredentials.getInstance())
			.setRetrySettings(ServiceOptions.getNoRetrySettings())
			.build()
			.getService();
		try (GcsStorage storage = new GcsStorage("remote", unreachable, "bucket", this.bufferFactory)) {
			StepVerifier.create(storage.info("a.txt"))
				.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(StorageConnectionException.class)
					.hasCauseInstanceOf(com.google.cloud.storage.StorageException.class)
					.hasMessageContaining("remote"))
				.verify(TIMEOUT);
			StepVerifier.create(storage.put("a.txt", Flux.just(this.bufferFactory.wrap(new byte[] { 1, 2, 3 })),
					PutOptions.defaults()))
				.expectError(StorageConnectionException.class)
				.verify(TIMEOUT);
		}
	}

	@Test
	void aSignerOfItsOwnSignsForAClientWithoutCredentials() throws Exception {
		try (GcsStorage emulated = new GcsStorage("emulated", LocalStorageHelper.getOptions().getService(), "bucket",
				this.bufferFactory, GcsStorageOptions.defaults().withUrlSigner(GcsTestSupport.credentials()))) {
			URI url = emulated.url("x.txt", UrlOptions.get(Duration.ofMinutes(1))).block(TIMEOUT);
			assertThat(signatureIsValid("GET", url, Map.of("host", url.getHost()))).isTrue();
		}
	}

	@Test
	void noSdkCallRunsOnTheEventLoopWhenAServerStreamsThroughTheBackend() throws Exception {
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route(routes -> routes
				.put("/o/{key}", (request, response) -> this.storage
					.put(request.param("key"), request.receive().retain().map(this.bufferFactory::wrap),
							PutOptions.defaults())
					.flatMap(stored -> response.status(201).sendString(Mono.just(stored.etag())).then()))
				.get("/o/{key}", (request, response) -> response
					.send(this.storage.get(request.param("key")).map(NettyDataBufferFactory::toByteBuf))))
			.bindNow();
		try {
			HttpClient client = HttpClient.create().baseUrl("http://127.0.0.1:" + server.port());
			byte[] content = new byte[3 * 1024 * 1024 + 17];
			new java.util.Random(7).nextBytes(content);
			Integer status = client.put()
				.uri("/o/big.bin")
				.send(Flux.range(0, 100).map(i -> chunk(content, i, 100)))
				.response()
				.map(response -> response.status().code())
				.block(TIMEOUT);
			assertThat(status).isEqualTo(201);
			byte[] downloaded = client.get()
				.uri("/o/big.bin")
				.responseContent()
				.aggregate()
				.asByteArray()
				.block(TIMEOUT);
			assertThat(MessageDigest.getInstance("SHA-256").digest(downloaded))
				.isEqualTo(MessageDigest.getInstance("SHA-256").digest(content));
		}
		finally {
			server.disposeNow();
		}
		assertThat(this.recorder.callCount()).isGreaterThan(3);
		assertThat(this.recorder.threads()).noneMatch(thread -> thread.startsWith("reactor-http"));
		assertThat(this.recorder.callsOutside("gcs-pictures")).isEmpty();
	}

	private static ByteBuf chunk(byte[] content, int index, int count) {
		int size = (content.length + count - 1) / count;
		int start = index * size;
		int end = Math.min(content.length, start + size);
		return ByteBufAllocator.DEFAULT.buffer(end - start).writeBytes(content, start, end - start);
	}

	// ---- V4 signature check, from the published algorithm ----

	static boolean signatureIsValid(String method, URI url, Map<String, String> headers) throws Exception {
		Map<String, String> rawQuery = new TreeMap<>();
		for (String parameter : url.getRawQuery().split("&")) {
			int equals = parameter.indexOf('=');
			rawQuery.put(parameter.substring(0, equals), parameter.substring(equals + 1));
		}
		String signature = rawQuery.remove("X-Goog-Signature");
		String canonicalQuery = String.join("&",
				rawQuery.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue()).toList());
		Map<String, String> sortedHeaders = new TreeMap<>(headers);
		StringBuilder canonicalHeaders = new StringBuilder();
		sortedHeaders.forEach((name, value) -> canonicalHeaders.append(name).append(':').append(value).append('\n'));
		String canonicalRequest = String.join("\n", method, url.getRawPath(), canonicalQuery,
				canonicalHeaders.toString(), String.join(";", sortedHeaders.keySet()), "UNSIGNED-PAYLOAD");
		String credential = URLDecoder.decode(rawQuery.get("X-Goog-Credential"), StandardCharsets.UTF_8);
		String scope = credential.substring(credential.indexOf('/') + 1);
		String stringToSign = String.join("\n", "GOOG4-RSA-SHA256", rawQuery.get("X-Goog-Date"), scope,
				HexFormat.of()
					.formatHex(MessageDigest.getInstance("SHA-256")
						.digest(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
		Signature verifier = Signature.getInstance("SHA256withRSA");
		verifier.initVerify(GcsTestSupport.KEY_PAIR.getPublic());
		verifier.update(stringToSign.getBytes(StandardCharsets.UTF_8));
		return verifier.verify(HexFormat.of().parseHex(signature));
	}

	static Map<String, String> query(URI url) {
		Map<String, String> query = new LinkedHashMap<>();
		for (String parameter : List.of(url.getRawQuery().split("&"))) {
			int equals = parameter.indexOf('=');
			query.put(parameter.substring(0, equals),
					URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8));
		}
		return query;
	}

}
