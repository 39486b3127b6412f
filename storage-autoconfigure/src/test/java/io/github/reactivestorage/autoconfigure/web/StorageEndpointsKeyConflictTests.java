package io.github.reactivestorage.autoconfigure.web;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.filesystem.FilesystemStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a filesystem mount a key cannot be another key's directory: the endpoints answer {@code 409} with a
 * problem that says why, in either order, and keep the object that was there.
 */
class StorageEndpointsKeyConflictTests {

	@TempDir
	Path directory;

	private WebTestClient client() {
		FilesystemStorage storage = new FilesystemStorage("files", this.directory.resolve("files"));
		StorageWebProperties properties = new StorageWebProperties();
		properties.setMounts(List.of("files"));
		StorageHandler handler = new StorageHandler(new StorageMounts(Map.of("files", storage), "files"), properties);
		return WebTestClient.bindToRouterFunction(StorageRoutes.routes("/storage", handler)).build();
	}

	@Test
	void aKeyThatIsAnotherKeysDirectoryIs409() {
		WebTestClient client = client();
		client.put().uri("/storage/files/a/b").bodyValue("inner").exchange().expectStatus().isCreated();
		client.put().uri("/storage/files/a").bodyValue("outer").exchange()
			.expectStatus().isEqualTo(HttpStatus.CONFLICT)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(409)
			.jsonPath("$.key").isEqualTo("a")
			.jsonPath("$.mount").isEqualTo("files")
			.jsonPath("$.detail").value(detail -> assertThat(detail.toString())
				.contains("cannot coexist with another key").contains("directory"));
		client.get().uri("/storage/files/a/b").exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("inner");
	}

	@Test
	void aKeyUnderAnExistingObjectIs409() {
		WebTestClient client = client();
		client.put().uri("/storage/files/x").bodyValue("file").exchange().expectStatus().isCreated();
		byte[] body = client.put().uri("/storage/files/x/y").bodyValue("nested").exchange()
			.expectStatus().isEqualTo(HttpStatus.CONFLICT)
			.expectBody().jsonPath("$.key").isEqualTo("x/y")
			.returnResult().getResponseBody();
		assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8))
			.doesNotContain(this.directory.toString(), "Exception");
		client.get().uri("/storage/files/x").exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("file");
	}

}
