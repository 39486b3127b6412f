package io.github.reactivestorage.sample;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import io.github.reactivestorage.ReactiveStorage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the sample on a random port, with its filesystem mount in a temporary directory, and
 * talks to it over real HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class StorageSampleApplicationTests {

	@TempDir
	static Path data;

	@LocalServerPort
	private int port;

	@Autowired
	@Qualifier("files")
	private ReactiveStorage files;

	private WebTestClient client;

	@DynamicPropertySource
	static void dataDirectory(DynamicPropertyRegistry registry) {
		registry.add("storage.mounts.files.path", () -> data.toString());
	}

	@BeforeEach
	void client() {
		this.client = WebTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
	}

	@Test
	void uploadThenDownload() {
		this.client.put()
			.uri("/storage/files/docs/hello.txt")
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("hello, storage")
			.exchange()
			.expectStatus()
			.isCreated();
		assertThat(data.resolve("docs/hello.txt")).hasContent("hello, storage");
		this.client.get()
			.uri("/files/docs/hello.txt")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
			.expectBody(String.class)
			.isEqualTo("hello, storage");
	}

	/**
	 * The annotated controller streams {@code request.getBody()} into the filesystem mount. WebFlux
	 * subscribes to the returned {@code Mono} with a discard hook that releases data buffers; the
	 * mount must not let it release a request chunk a second time (that failed with
	 * {@code IllegalReferenceCountException} and a 500).
	 */
	@Test
	void uploadThroughTheControllerStreamsTheBodyIntoTheFilesMount() throws Exception {
		byte[] content = new byte[2 * 1024 * 1024 + 5];
		new Random(3).nextBytes(content);
		this.client.put()
			.uri("/files/controller/blob.bin")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(content)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.size")
			.isEqualTo(content.length);
		assertThat(Files.readAllBytes(data.resolve("controller/blob.bin"))).isEqualTo(content);
		byte[] downloaded = this.client.mutate()
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
			.build()
			.get()
			.uri("/files/controller/blob.bin")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(downloaded).isEqualTo(content);
	}

	@Test
	void listAndCopyAcrossMounts() {
		seed("list/a.txt", "a");
		seed("list/b.txt", "bb");
		this.client.get()
			.uri("/files?prefix=list/")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[*].key")
			.isEqualTo(List.of("list/a.txt", "list/b.txt"));
		this.client.post().uri("/copies/list/b.txt").exchange().expectStatus().isOk();
		this.client.get()
			.uri("/scratch/list/b.txt")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("bb");
	}

	@Test
	void healthHasAnEntryPerMount() {
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.components.storage.components.files.status")
			.isEqualTo("UP")
			.jsonPath("$.components.storage.components.scratch.details.type")
			.isEqualTo("memory");
	}

	@Test
	void storageEndpointAndMetrics() {
		this.client.get().uri("/actuator/storage").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.defaultMount").isEqualTo("files")
			.jsonPath("$.mounts.scratch.type").isEqualTo("memory");
		seed("metrics/one.txt", "counted");
		this.client.get().uri("/storage/files/metrics/one.txt").exchange().expectStatus().isOk();
		this.client.get().uri("/actuator/metrics/storage.operation").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.availableTags[?(@.tag == 'storage.mount')].values[*]").value(values ->
					assertThat(values.toString()).contains("files"));
	}

	@Test
	void missingObjectIs404() {
		this.client.get().uri("/files/nope.txt").exchange().expectStatus().isNotFound();
	}

	@Test
	void urlOfAFilesystemObject() {
		seed("u.txt", "u");
		this.client.get()
			.uri("/urls/u.txt")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((url) -> assertThat(url).startsWith("file:").endsWith("u.txt"));
	}

	private void seed(String key, String content) {
		StepVerifier.create(this.files.put(key, content.getBytes(StandardCharsets.UTF_8)))
			.expectNextCount(1)
			.verifyComplete();
	}

	@Test
	void genericEndpointsStoreSmallBodiesOnDisk() {
		for (int i = 0; i < 20; i++) {
			this.client.put().uri("/storage/files/small/" + i + ".txt").bodyValue("s" + i).exchange().expectStatus().is2xxSuccessful();
		}
	}

	@Test
	void genericEndpointsServeTheMounts() {
		this.client.put().uri("/storage/scratch/g.txt").bodyValue("generic").exchange().expectStatus().is2xxSuccessful();
		this.client.get()
			.uri("/storage/scratch/g.txt")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("generic");
	}

}
