package io.github.reactivestorage.autoconfigure.web;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.cloud.storage.StorageOptions;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.server.RouterFunctions;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.autoconfigure.actuate.StorageMountHealthIndicator;
import io.github.reactivestorage.gcs.GcsStorage;
import io.github.reactivestorage.http.HttpStorage;
import io.github.reactivestorage.http.HttpStorageSettings;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.s3.S3ClientSettings;
import io.github.reactivestorage.s3.S3Storage;
import io.github.reactivestorage.s3.S3StorageOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Problem details and health details of real failing backends say nothing about the server: a fixed
 * text per kind of error, the mount, the key and a request id that the log line with the full cause
 * also carries. The backends: S3 with wrong credentials on S3Proxy, an HTTP mount whose server refuses
 * connections, and a GCS client answered {@code 403} by a real server (no GCS emulator here can refuse a
 * request, so the GCS client is pointed at S3Proxy, which refuses its unsigned requests).
 */
@ExtendWith(OutputCaptureExtension.class)
class StorageEndpointsErrorDetailsSecurityTests {

	private static final S3ProxyJunitCore s3Proxy = new S3ProxyJunitCore.Builder().withBlobStoreProvider("transient-nio2")
		.withCredentials("access", "the-right-secret")
		.ignoreUnknownHeaders()
		.build();

	private static final List<AutoCloseable> closeables = new ArrayList<>();

	private static final Map<String, ReactiveStorage> mounts = new LinkedHashMap<>();

	private static DisposableServer server;

	private static int refusedPort;

	private static WebTestClient client;

	@BeforeAll
	static void start() throws Exception {
		s3Proxy.beforeEach();
		URI endpoint = s3Proxy.getUri();
		S3AsyncClient good = new S3ClientSettings("us-east-1", endpoint, true, "access", "the-right-secret", null, null,
				false, Duration.ofSeconds(5), Duration.ofSeconds(5)).clientBuilder().build();
		good.createBucket(request -> request.bucket("secret-bucket-name")).join();
		// the GCS client's JSON and upload paths start with these segments: S3Proxy takes them for private
		// buckets and refuses the GCS client's unsigned requests with 403
		good.createBucket(request -> request.bucket("storage")).join();
		good.createBucket(request -> request.bucket("upload")).join();
		good.close();
		S3ClientSettings wrong = new S3ClientSettings("us-east-1", endpoint, true, "access", "a-wrong-secret", null, null,
				false, Duration.ofSeconds(5), Duration.ofSeconds(5));
		S3AsyncClient wrongClient = wrong.clientBuilder().build();
		closeables.add(wrongClient);
		mounts.put("s3", new S3Storage("s3", wrongClient, wrong.presigner(), "secret-bucket-name", S3StorageOptions.DEFAULTS,
				DefaultDataBufferFactory.sharedInstance, null));
		try (ServerSocket socket = new ServerSocket(0)) {
			refusedPort = socket.getLocalPort();
		}
		HttpStorage http = new HttpStorage("cdn", DefaultDataBufferFactory.sharedInstance,
				HttpStorageSettings.of(URI.create("http://127.0.0.1:" + refusedPort + "/internal-files/")));
		closeables.add(http);
		mounts.put("cdn", http);
		com.google.cloud.storage.Storage gcsClient = StorageOptions.newBuilder()
			.setHost(endpoint.toString())
			.setProjectId("internal-project-id")
			// a bearer token S3Proxy cannot accept, as a revoked service-account token
			.setCredentials(com.google.auth.oauth2.GoogleCredentials.create(new com.google.auth.oauth2.AccessToken(
					"revoked-token", java.util.Date.from(java.time.Instant.now().plusSeconds(3600)))))
			.build()
			.getService();
		mounts.put("gcs", new GcsStorage("gcs", gcsClient, "secret-gcs-bucket", DefaultDataBufferFactory.sharedInstance));
		MemoryStorage full = new MemoryStorage("full", DefaultDataBufferFactory.sharedInstance, DataSize.ofBytes(8).toBytes());
		mounts.put("full", full);
		StorageWebProperties properties = new StorageWebProperties();
		properties.setMounts(new ArrayList<>(mounts.keySet()));
		StorageHandler handler = new StorageHandler(new StorageMounts(mounts, null), properties);
		server = HttpServer.create().host("127.0.0.1").port(0)
			.handle(new ReactorHttpHandlerAdapter(RouterFunctions.toHttpHandler(StorageRoutes.routes("/storage", handler))))
			.bindNow();
		client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + server.port())
			.responseTimeout(Duration.ofSeconds(60)).build();
	}

	@AfterAll
	static void stop() throws Exception {
		server.disposeNow();
		for (AutoCloseable closeable : closeables) {
			closeable.close();
		}
		s3Proxy.afterEach();
	}

	/** What a body must never hold: hosts, ports, buckets, projects, SDK and exception names, backend messages. */
	private List<String> internals() {
		return List.of("127.0.0.1", "localhost", String.valueOf(s3Proxy.getUri().getPort()), String.valueOf(refusedPort),
				"secret-bucket-name", "secret-gcs-bucket", "internal-project-id", "internal-files", "Exception",
				"software.amazon", "com.google", "awssdk", "AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId",
				"refused", "Refused", "Connection", "\tat ", "trace");
	}

	private void assertSafeProblem(EntityExchangeResult<byte[]> result, int status, String mount, String key,
			CapturedOutput output) {
		assertThat(result.getStatus().value()).as(mount + " " + key).isEqualTo(status);
		assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		String body = new String(result.getResponseBodyContent(), StandardCharsets.UTF_8);
		assertThat(body).doesNotContain(internals());
		assertThat(body).contains("\"mount\":\"" + mount + "\"");
		if (key != null) {
			assertThat(body).contains("\"key\":\"" + key + "\"");
		}
		String requestId = body.replaceAll(".*\"requestId\":\"([^\"]+)\".*", "$1");
		assertThat(requestId).isNotEmpty().isNotEqualTo(body);
		if (status >= 500) {
			// the log line of the same request holds the cause
			assertThat(output.getAll()).contains("[" + requestId + "] Storage request failed with " + status);
		}
	}

	@Test
	void s3WithWrongCredentialsSaysOnlyThatTheMountRefused(CapturedOutput output) {
		assertSafeProblem(client.get().uri("/storage/s3/docs/a.txt").exchange().expectBody().returnResult(), 403, "s3",
				"docs/a.txt", output);
		assertSafeProblem(client.put().uri("/storage/s3/docs/a.txt").bodyValue("x").exchange().expectBody().returnResult(),
				403, "s3", "docs/a.txt", output);
		assertSafeProblem(client.delete().uri("/storage/s3/docs/a.txt").exchange().expectBody().returnResult(), 403, "s3",
				"docs/a.txt", output);
		assertSafeProblem(client.get().uri("/storage/s3?prefix=docs/").exchange().expectBody().returnResult(), 403, "s3",
				null, output);
	}

	@Test
	void anHttpMountWhoseServerRefusesConnectionsIs503WithoutItsAddress(CapturedOutput output) {
		assertSafeProblem(client.get().uri("/storage/cdn/logo.png").exchange().expectBody().returnResult(), 503, "cdn",
				"logo.png", output);
		client.head().uri("/storage/cdn/logo.png").exchange().expectStatus().isEqualTo(503);
		assertThat(output.getAll()).contains("Connection refused");
	}

	@Test
	void gcsAnswered403SaysOnlyThatTheMountRefused(CapturedOutput output) {
		assertSafeProblem(client.get().uri("/storage/gcs/docs/a.txt").exchange().expectBody().returnResult(), 403, "gcs",
				"docs/a.txt", output);
		assertSafeProblem(client.put().uri("/storage/gcs/docs/a.txt").bodyValue("x").exchange().expectBody().returnResult(),
				403, "gcs", "docs/a.txt", output);
	}

	@Test
	void aFullMountIs507AndAnUploadOverTheEndpointLimitStays413(CapturedOutput output) {
		assertSafeProblem(client.put().uri("/storage/full/big.bin").bodyValue(new byte[64]).exchange().expectBody()
			.returnResult(), 507, "full", "big.bin", output);
	}

	@Test
	void healthDetailsOfFailingMountsCarryAFixedTextAndAnErrorIdOnly(CapturedOutput output) {
		for (String name : List.of("s3", "cdn", "gcs")) {
			Health health = new StorageMountHealthIndicator(mounts.get(name), name, Duration.ofSeconds(20)).health()
				.block(Duration.ofSeconds(30));
			assertThat(health.getStatus()).as(name).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().toString()).as(name).doesNotContain(internals());
			assertThat(health.getDetails()).containsEntry("mount", name).containsKeys("error", "reason", "errorId");
			assertThat(output.getAll()).contains("[" + health.getDetails().get("errorId") + "] Health probe of mount '"
					+ name + "' failed");
		}
	}

}
