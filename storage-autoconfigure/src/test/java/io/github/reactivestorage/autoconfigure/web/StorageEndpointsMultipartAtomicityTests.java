package io.github.reactivestorage.autoconfigure.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.BodyInserters;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.autoconfigure.web.AbstractStorageEndpointsTests.NamedResource;
import io.github.reactivestorage.filesystem.FilesystemStorage;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.support.ForwardingReactiveStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A multipart upload is all or nothing: whatever makes it fail (a limit, an existing key, a malformed
 * part, a backend error), objects that existed before keep their content and the objects it created are
 * gone; {@code max-parts} counts empty parts.
 */
class StorageEndpointsMultipartAtomicityTests {

	@TempDir
	Path directory;

	private ReactiveStorage storage;

	private WebTestClient client(String backend) {
		ReactiveStorage store = backend.equals("memory") ? new MemoryStorage("files")
				: new FilesystemStorage("files", this.directory.resolve("files"));
		// a backend that fails on one key, as a store that breaks mid-request
		this.storage = new ForwardingReactiveStorage(store) {

			@Override
			public Mono<StoredObject> put(String key, Publisher<DataBuffer> body, PutOptions options) {
				return key.endsWith("boom.txt") ? Mono.error(new StorageConnectionException("down", key, null))
						: super.put(key, body, options);
			}

		};
		StorageWebProperties properties = new StorageWebProperties();
		properties.setMounts(List.of("files"));
		properties.setMaxUploadSize(DataSize.ofKilobytes(64));
		properties.setMaxParts(3);
		StorageHandler handler = new StorageHandler(new StorageMounts(Map.of("files", this.storage), "files"), properties);
		return WebTestClient.bindToRouterFunction(StorageRoutes.routes("/storage", handler)).build();
	}

	private void seed(String key, String content) {
		this.storage.put(key, content.getBytes(StandardCharsets.UTF_8)).block();
	}

	private String content(String key) {
		return new String(this.storage.getBytes(key).block(), StandardCharsets.UTF_8);
	}

	private void assertGone(String... keys) throws Exception {
		for (String key : keys) {
			assertThat(this.storage.exists(key).block()).as(key).isFalse();
		}
		// the backend may remove a failed put's staging file just after the put's error was signalled
		Path staging = this.directory.resolve("files/.storage/tmp");
		long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
		while (true) {
			List<Path> left;
			try (Stream<Path> files = Files.exists(staging) ? Files.list(staging) : Stream.empty()) {
				left = files.toList();
			}
			if (left.isEmpty() || System.nanoTime() > deadline) {
				assertThat(left).as("staging files").isEmpty();
				return;
			}
			Thread.sleep(20);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "filesystem" })
	void anExistingKeyIsNeverOverwrittenAndTheFilesStoredBeforeAreRemoved(String backend) throws Exception {
		WebTestClient client = client(backend);
		seed("up/existing.txt", "the original");
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("file", new NamedResource("new.txt", "new"));
		body.part("file", new NamedResource("existing.txt", "the replacement"));
		client.post().uri("/storage/files?prefix=up").body(BodyInserters.fromMultipartData(body.build())).exchange()
			.expectStatus().isEqualTo(HttpStatus.PRECONDITION_FAILED)
			.expectBody().jsonPath("$.key").isEqualTo("up/existing.txt");
		assertThat(content("up/existing.txt")).isEqualTo("the original");
		assertGone("up/new.txt");
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "filesystem" })
	void overTheLimitAfterAStoredFileRemovesItAndKeepsWhatExisted(String backend) throws Exception {
		WebTestClient client = client(backend);
		seed("keep.txt", "kept");
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("file", new NamedResource("first.bin", new byte[40 * 1024]));
		body.part("file", new NamedResource("second.bin", new byte[40 * 1024]));
		client.post().uri("/storage/files").body(BodyInserters.fromMultipartData(body.build())).exchange()
			.expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
		assertGone("first.bin", "second.bin");
		assertThat(content("keep.txt")).isEqualTo("kept");
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "filesystem" })
	void aBackendErrorOnALaterPartRemovesTheEarlierOnes(String backend) throws Exception {
		WebTestClient client = client(backend);
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("file", new NamedResource("one.txt", "1"));
		body.part("file", new NamedResource("boom.txt", "2"));
		client.post().uri("/storage/files").body(BodyInserters.fromMultipartData(body.build())).exchange()
			.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertGone("one.txt", "boom.txt");
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "filesystem" })
	void aMalformedLaterPartRemovesTheEarlierOnes(String backend) throws Exception {
		WebTestClient client = client(backend);
		String boundary = "b0undary";
		String malformed = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ok.txt\"\r\n\r\n"
				+ "fine\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.txt\"\r\n\r\n"
				+ "the body ends before the closing boundary";
		client.post().uri("/storage/files")
			.contentType(MediaType.parseMediaType("multipart/form-data; boundary=" + boundary))
			.bodyValue(malformed)
			.exchange()
			.expectStatus().isBadRequest();
		assertGone("ok.txt", "cut.txt");
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "filesystem" })
	void aFilenameBreakingTheKeyRulesAfterAStoredFileRemovesIt(String backend) throws Exception {
		WebTestClient client = client(backend);
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("file", new NamedResource("good.txt", "g"));
		body.part("file", new NamedResource("../escape.txt", "x"));
		client.post().uri("/storage/files?prefix=p").body(BodyInserters.fromMultipartData(body.build())).exchange()
			.expectStatus().isBadRequest();
		assertGone("p/good.txt", "escape.txt");
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "filesystem" })
	void emptyPartsCountTowardsMaxParts(String backend) throws Exception {
		WebTestClient client = client(backend);
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		for (int i = 0; i < 4; i++) {
			body.part("file", new NamedResource("empty" + i + ".txt", new byte[0]));
		}
		client.post().uri("/storage/files").body(BodyInserters.fromMultipartData(body.build())).exchange()
			.expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectBody().jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("parts"));
		assertGone("empty0.txt", "empty1.txt", "empty2.txt", "empty3.txt");
		MultipartBodyBuilder fields = new MultipartBodyBuilder();
		for (int i = 0; i < 4; i++) {
			fields.part("field" + i, "");
		}
		client.post().uri("/storage/files").body(BodyInserters.fromMultipartData(fields.build())).exchange()
			.expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
		MultipartBodyBuilder three = new MultipartBodyBuilder();
		for (int i = 0; i < 3; i++) {
			three.part("file", new NamedResource("ok" + i + ".txt", new byte[0]));
		}
		client.post().uri("/storage/files").body(BodyInserters.fromMultipartData(three.build())).exchange()
			.expectStatus().isCreated();
		assertThat(this.storage.exists("ok2.txt").block()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "filesystem" })
	void aFormFieldCountsTowardsTheUploadSize(String backend) throws Exception {
		WebTestClient client = client(backend);
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("file", new NamedResource("small.txt", "s"));
		body.part("comment", "x".repeat(70 * 1024));
		client.post().uri("/storage/files").body(BodyInserters.fromMultipartData(body.build())).exchange()
			.expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
		assertGone("small.txt");
	}

}
