package io.github.reactivestorage.sample;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.github.reactivestorage.ReactiveStorage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code secure} profile over real HTTP (a server on a random port): reads are public,
 * writes need the WRITER role, and the storage access policy keeps a writer inside their own directory.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("secure")
class StorageSampleSecurityTests {

	@TempDir
	static Path data;

	@LocalServerPort
	private int port;

	@Autowired
	@Qualifier("files")
	private ReactiveStorage files;

	private WebTestClient anonymous;

	private WebTestClient writer;

	private WebTestClient reader;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("storage.mounts.files.path", () -> data.toString());
		registry.add("sample.security.writer-password", () -> "writer-secret");
		registry.add("sample.security.reader-password", () -> "reader-secret");
	}

	@BeforeEach
	void clients() {
		this.anonymous = WebTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
		this.writer = this.anonymous.mutate()
			.defaultHeaders((headers) -> headers.setBasicAuth("writer", "writer-secret"))
			.build();
		this.reader = this.anonymous.mutate()
			.defaultHeaders((headers) -> headers.setBasicAuth("reader", "reader-secret"))
			.build();
	}

	@Test
	void readsArePublic() {
		this.files.put("public/hello.txt", "hello".getBytes(StandardCharsets.UTF_8)).block();
		this.anonymous.get().uri("/storage/files/public/hello.txt").exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
			.expectBody(String.class).isEqualTo("hello");
		this.anonymous.head().uri("/storage/files/public/hello.txt").exchange().expectStatus().isOk();
		this.anonymous.get().uri("/storage/files?prefix=public/").exchange().expectStatus().isOk();
		this.anonymous.get().uri("/actuator/health").exchange().expectStatus().isOk();
	}

	@Test
	void writesWithoutCredentialsAre401AndStoreNothing() {
		this.anonymous.put().uri("/storage/files/writer/a.txt").bodyValue("a").exchange()
			.expectStatus().isUnauthorized()
			.expectHeader().exists(HttpHeaders.WWW_AUTHENTICATE);
		this.anonymous.delete().uri("/storage/files/writer/a.txt").exchange().expectStatus().isUnauthorized();
		this.anonymous.put().uri("/storage/files/writer/a.txt").header(HttpHeaders.AUTHORIZATION, "Basic d3JpdGVyOndyb25n")
			.bodyValue("a").exchange().expectStatus().isUnauthorized();
		assertThat(this.files.exists("writer/a.txt").block()).isFalse();
	}

	@Test
	void writesWithoutTheRoleAre403() {
		this.reader.put().uri("/storage/files/reader/a.txt").bodyValue("a").exchange().expectStatus().isForbidden();
		this.reader.put().uri("/files/reader/a.txt").bodyValue("a").exchange().expectStatus().isForbidden();
		assertThat(this.files.exists("reader/a.txt").block()).isFalse();
		this.anonymous.get().uri("/actuator/storage").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void aWriterWritesAndDeletesInTheirOwnDirectory() {
		this.writer.put().uri("/storage/files/writer/notes.txt").contentType(MediaType.TEXT_PLAIN).bodyValue("mine")
			.exchange().expectStatus().isCreated();
		assertThat(data.resolve("writer/notes.txt")).hasContent("mine");
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("file", new ByteArrayResource("two".getBytes(StandardCharsets.UTF_8)) {
			@Override
			public String getFilename() {
				return "two.txt";
			}
		});
		this.writer.post().uri("/storage/files?prefix=writer").body(BodyInserters.fromMultipartData(body.build()))
			.exchange().expectStatus().isCreated();
		this.writer.delete().uri("/storage/files/writer/notes.txt").exchange().expectStatus().isNoContent();
		this.writer.get().uri("/actuator/storage").exchange().expectStatus().isOk();
	}

	@Test
	void theAccessPolicyKeepsAWriterOutOfOtherDirectories() {
		this.files.put("ada/kept.txt", "ada's".getBytes(StandardCharsets.UTF_8)).block();
		this.writer.put().uri("/storage/files/ada/kept.txt").bodyValue("overwritten").exchange()
			.expectStatus().isForbidden()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.mount").isEqualTo("files").jsonPath("$.key").isEqualTo("ada/kept.txt");
		this.writer.delete().uri("/storage/files/ada/kept.txt").exchange().expectStatus().isForbidden();
		assertThat(this.files.getBytes("ada/kept.txt").block()).asString().isEqualTo("ada's");
		this.writer.put().uri("/storage/scratch/anywhere.txt").bodyValue("s").exchange().expectStatus().isCreated();
	}

	@Test
	void uploadedHtmlIsServedAsASandboxedAttachment() {
		this.writer.put().uri("/storage/files/writer/page.html").contentType(MediaType.TEXT_HTML)
			.bodyValue("<script>alert(1)</script>").exchange().expectStatus().isCreated();
		this.anonymous.get().uri("/storage/files/writer/page.html").exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals("Content-Security-Policy", "sandbox")
			.expectHeader().valueMatches(HttpHeaders.CONTENT_DISPOSITION, "attachment;.*");
	}

}
