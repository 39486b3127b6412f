package io.github.reactivestorage.autoconfigure.web;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.s3.S3ClientSettings;
import io.github.reactivestorage.s3.S3Storage;
import io.github.reactivestorage.s3.S3StorageOptions;
import io.github.reactivestorage.support.ReadOnlyStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST {base}/{mount}/direct-uploads} over WebTestClient, against an S3 mount on an in-process
 * S3Proxy (which evaluates the POST policies it is sent), and end to end: the endpoint's answer posted
 * by an HTTP client as a browser form straight to S3Proxy.
 */
class DirectUploadPostPolicyTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String HOSTILE = "./\\%$:{}\u0000\n\r\t\"";

	private static final S3ProxyJunitCore s3 = new S3ProxyJunitCore.Builder().withBlobStoreProvider("transient-nio2")
		.withCredentials("access", "secret-for-tests")
		.ignoreUnknownHeaders()
		.build();

	private static S3AsyncClient client;

	private static S3Presigner presigner;

	private S3Storage media;

	private WebTestClient web;

	private final DirectUploadProperties properties = new DirectUploadProperties();

	private final StorageWebProperties webProperties = new StorageWebProperties();

	@BeforeAll
	static void start() throws Exception {
		s3.beforeEach();
		S3ClientSettings settings = new S3ClientSettings("us-east-1", s3.getUri(), true, s3.getAccessKey(),
				s3.getSecretKey(), null, null, false, Duration.ofSeconds(5), Duration.ofSeconds(5));
		client = settings.clientBuilder().build();
		presigner = settings.presigner();
	}

	@AfterAll
	static void stop() {
		client.close();
		presigner.close();
		s3.afterEach();
	}

	@BeforeEach
	void setUp() {
		String bucket = "direct-" + UUID.randomUUID();
		client.createBucket(request -> request.bucket(bucket)).join();
		this.media = new S3Storage("media", client, presigner, bucket, S3StorageOptions.DEFAULTS,
				DefaultDataBufferFactory.sharedInstance, null);
		this.properties.setPrefix("incoming");
		this.properties.setMaxSize(DataSize.ofBytes(1000));
		this.properties.setContentTypes(List.of("image/*", "application/pdf"));
		this.webProperties.setMounts(List.of("media", "memory", "ro"));
		rebuild();
	}

	private StorageAccessPolicy accessPolicy = StorageAccessPolicy.permitAll();

	private void rebuild() {
		Map<String, ReactiveStorage> mounts = new LinkedHashMap<>();
		mounts.put("media", this.media);
		mounts.put("memory", new MemoryStorage("memory"));
		mounts.put("ro", new ReadOnlyStorage(this.media));
		mounts.put("hidden", this.media);
		DirectUploadHandler handler = new DirectUploadHandler(new StorageMounts(mounts, "media"), this.webProperties,
				this.properties, this.accessPolicy);
		this.web = WebTestClient.bindToRouterFunction(DirectUploadRoutes.routes("/storage", handler))
			.configureClient()
			.responseTimeout(TIMEOUT)
			.build();
	}

	@Test
	void theAccessPolicyDecidesBeforeAnythingIsSignedAndEveryAnswerIsNosniff() {
		List<StorageAccessRequest> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.accessPolicy = request -> {
			asked.add(request);
			return Mono.just("memory".equals(request.mount()) ? StorageAccessDecision.UNAUTHENTICATED
					: StorageAccessDecision.DENIED);
		};
		rebuild();
		expectProblem("media", "{\"contentType\":\"image/png\"}", 403, "denied");
		expectProblem("memory", "{\"contentType\":\"image/png\"}", 401, "Authentication");
		assertThat(asked).extracting(StorageAccessRequest::mount).containsExactly("media", "memory");
		assertThat(asked).allSatisfy(request -> {
			assertThat(request.operation()).isEqualTo(StorageOperation.WRITE);
			assertThat(request.key()).isEqualTo("incoming/");
			assertThat(request.prefix()).isTrue();
		});
		this.accessPolicy = request -> Mono.empty();
		rebuild();
		expectProblem("media", "{\"contentType\":\"image/png\"}", 403, "denied");
		this.accessPolicy = StorageAccessPolicy.permitAll();
		rebuild();
		this.web.post()
			.uri("/storage/media/direct-uploads")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"contentType\":\"image/png\"}")
			.exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals("X-Content-Type-Options", "nosniff");
	}

	@Test
	void answersASignedFormForAServerChosenKeyUnderThePrefix() {
		Map<String, Object> answer = ask("media", "{\"filename\":\"../../etc/Cat.PNG\",\"contentType\":\"image/png\"}");
		String key = (String) answer.get("key");
		assertThat(key).matches("incoming/[0-9a-f-]{36}\\.png");
		assertThat(answer).containsEntry("mount", "media")
			.containsEntry("method", "POST")
			.containsEntry("fileField", "file")
			.containsEntry("maxSize", 1000);
		assertThat((String) answer.get("url")).isEqualTo(s3.getUri().resolve("/" + this.media.getBucket()).toString());
		assertThat(fields(answer)).containsEntry("key", key).containsEntry("Content-Type", "image/png");
		assertThat(Instant.parse((String) answer.get("expiresAt"))).isAfter(Instant.now().plusSeconds(800))
			.isBefore(Instant.now().plusSeconds(901));
		String policy = new String(java.util.Base64.getDecoder().decode(fields(answer).get("policy")),
				StandardCharsets.UTF_8);
		assertThat(policy).contains("[\"content-length-range\",0,1000]", "{\"key\":\"" + key + "\"}");
	}

	@Test
	void twoRequestsNeverGetTheSameKeyAndHostileFilenamesGiveNoExtension() {
		Map<String, Object> first = ask("media", "{\"contentType\":\"application/pdf\"}");
		Map<String, Object> second = ask("media", "{\"contentType\":\"application/pdf\"}");
		assertThat(first.get("key")).isNotEqualTo(second.get("key"));
		for (String filename : new String[] { "a.p/ng", "a.${filename}", "noext", "a.", "a.ünï", "a.html\u0000",
				"a.waytoolongextension1" }) {
			String json = "{\"filename\":\"" + filename.replace("\u0000", "\\u0000") + "\",\"contentType\":\"image/gif\"}";
			assertThat((String) ask("media", json).get("key")).as(filename).matches("incoming/[0-9a-f-]{36}");
		}
	}

	@Test
	void generatedHostileFilenamesNeverShapeTheKeyBeyondASafeExtension() {
		java.util.Random random = new java.util.Random(22);
		for (int i = 0; i < 300; i++) {
			StringBuilder filename = new StringBuilder();
			int length = random.nextInt(40);
			for (int c = 0; c < length; c++) {
				int pick = random.nextInt(6);
				filename.appendCodePoint(switch (pick) {
					case 0 -> HOSTILE.charAt(random.nextInt(HOSTILE.length()));
					case 1 -> 0x80 + random.nextInt(0x2000);
					case 2 -> 0x1F600 + random.nextInt(64);
					default -> 'a' + random.nextInt(26);
				});
			}
			Map<String, Object> body = Map.of("filename", filename.toString(), "contentType", "image/png");
			Map<String, Object> answer = this.web.post()
				.uri("/storage/media/direct-uploads")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(body)
				.exchange()
				.expectStatus().isOk()
				.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
				})
				.returnResult()
				.getResponseBody();
			assertThat((String) answer.get("key")).as(filename.toString())
				.matches("incoming/[0-9a-f-]{36}(\\.[a-z0-9]{1,16})?");
		}
	}

	@Test
	void withoutABodyTheOnlyFamilyAllowedIsBoundAsAPrefix() {
		this.properties.setContentTypes(List.of("image/*"));
		rebuild();
		Map<String, Object> answer = this.web.post()
			.uri("/storage/media/direct-uploads")
			.exchange()
			.expectStatus().isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
		assertThat(fields(answer)).containsEntry("Content-Type", "image/");
	}

	@Test
	void refusesWhatTheConfigurationDoesNotAllow() {
		expectProblem("media", "{\"contentType\":\"text/html\"}", 400, "not allowed");
		expectProblem("media", "{\"contentType\":\"image/*\"}", 400, "concrete");
		expectProblem("media", "{\"contentType\":\"not a type\"}", 400, "media type");
		expectProblem("media", "{}", 400, "required");
		expectProblem("media", "{\"contentType\":\"image/png\",\"size\":1001}", 413, "limit");
		expectProblem("media", "{\"contentType\":\"image/png\",\"size\":-1}", 400, "negative");
		expectProblem("media", "{\"contentType\":", 400, "could not be read");
	}

	@Test
	void mountsThatAreHiddenReadOnlyOrCannotSignAreRefused() {
		expectProblem("hidden", "{\"contentType\":\"image/png\"}", 404, "No exposed mount");
		expectProblem("nope", "{\"contentType\":\"image/png\"}", 404, "No exposed mount");
		expectProblem("ro", "{\"contentType\":\"image/png\"}", 403, "read-only");
		expectProblem("memory", "{\"contentType\":\"image/png\"}", 501, "POST_POLICY");
		this.webProperties.setReadOnly(true);
		rebuild();
		expectProblem("media", "{\"contentType\":\"image/png\"}", 403, "read-only");
		this.webProperties.setReadOnly(false);
		this.webProperties.setMounts(List.of());
		rebuild();
		expectProblem("media", "{\"contentType\":\"image/png\"}", 404, "No exposed mount");
	}

	@Test
	void aBrowserUploadsStraightToS3WithTheAnswerAndTheCapHolds() {
		Map<String, Object> answer = ask("media", "{\"filename\":\"scan.pdf\",\"contentType\":\"application/pdf\"}");
		String key = (String) answer.get("key");
		int[] tooLarge = post(answer, new byte[1001]);
		assertThat(tooLarge[0]).isEqualTo(400);
		assertThat(this.media.exists(key).block(TIMEOUT)).isFalse();
		int[] ok = post(answer, "%PDF-1.7 test".getBytes(StandardCharsets.US_ASCII));
		assertThat(ok[0]).isBetween(200, 299);
		StoredObject stored = this.media.info(key).block(TIMEOUT);
		assertThat(stored.size()).isEqualTo(13);
		assertThat(stored.contentType()).isEqualTo("application/pdf");
	}

	private Map<String, Object> ask(String mount, String body) {
		return this.web.post()
			.uri("/storage/" + mount + "/direct-uploads")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus().isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
	}

	private void expectProblem(String mount, String body, int status, String detail) {
		this.web.post()
			.uri("/storage/" + mount + "/direct-uploads")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus().isEqualTo(status)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail").value(value -> assertThat((String) value).as(body).contains(detail));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> fields(Map<String, Object> answer) {
		return (Map<String, String>) answer.get("fields");
	}

	/** The answer's form as a browser posts it: its fields in order, then the file. */
	private static int[] post(Map<String, Object> answer, byte[] content) {
		Integer status = HttpClient.create()
			.post()
			.uri(URI.create((String) answer.get("url")))
			.sendForm((request, form) -> {
				form.multipart(true);
				fields(answer).forEach(form::attr);
				form.file((String) answer.get("fileField"), "scan.pdf", new ByteArrayInputStream(content),
						"application/pdf");
			})
			.responseSingle((response, body) -> body.asString().defaultIfEmpty("").thenReturn(response.status().code()))
			.block(TIMEOUT);
		return new int[] { status };
	}

}
