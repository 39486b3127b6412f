package io.github.reactivestorage.autoconfigure.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.github.reactivestorage.ChecksumAlgorithm;
import io.github.reactivestorage.Checksums;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.memory.MemoryStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9530 {@code Content-Digest} and {@code Repr-Digest} on {@code PUT}: verified before the object is
 * committed (a mismatch is a 400 and the old object stays), malformed or unsupported fields refused
 * with a fixed text that never echoes them, the verified digest returned as {@code Repr-Digest}.
 */
class StorageEndpointsDigestTests {

	private static final byte[] CONTENT = "digested content".getBytes(StandardCharsets.UTF_8);

	private static final String SHA256 = Checksums.of(ChecksumAlgorithm.SHA_256, CONTENT);

	private final MemoryStorage store = new MemoryStorage("files");

	@org.junit.jupiter.api.io.TempDir
	java.nio.file.Path root;

	private WebTestClient client;

	@BeforeEach
	void setUp() {
		Map<String, ReactiveStorage> mounts = new LinkedHashMap<>();
		mounts.put("files", this.store);
		mounts.put("disk", new io.github.reactivestorage.filesystem.FilesystemStorage("disk", this.root));
		StorageWebProperties properties = new StorageWebProperties();
		properties.setMounts(List.of("files", "disk"));
		StorageHandler handler = new StorageHandler(new StorageMounts(mounts, "files"), properties);
		this.client = WebTestClient.bindToRouterFunction(StorageRoutes.routes("/storage", handler))
			.configureClient()
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		this.store.put("a.txt", "old version".getBytes(StandardCharsets.UTF_8)).block(Duration.ofSeconds(5));
	}

	private WebTestClient.ResponseSpec put(String field, String value) {
		return this.client.put().uri("/storage/files/a.txt").header(field, value).bodyValue(CONTENT).exchange();
	}

	private String stored() {
		return new String(this.store.getBytes("a.txt").block(Duration.ofSeconds(5)), StandardCharsets.UTF_8);
	}

	@ParameterizedTest
	@ValueSource(strings = { "Content-Digest", "Repr-Digest" })
	void rightSha256IsStoredAndEchoedAsReprDigest(String field) {
		put(field, "sha-256=:" + SHA256 + ":").expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("Repr-Digest", "sha-256=:" + SHA256 + ":")
			.expectBody()
			.jsonPath("$.checksums['sha-256']")
			.isEqualTo(SHA256);
		assertThat(stored()).isEqualTo("digested content");
		assertThat(this.store.info("a.txt").block(Duration.ofSeconds(5)).checksums()).containsEntry("sha-256", SHA256);
	}

	@ParameterizedTest
	@ValueSource(strings = { "Content-Digest", "Repr-Digest" })
	void wrongDigestIs400AndKeepsTheOldObject(String field) {
		String wrong = Checksums.of(ChecksumAlgorithm.SHA_256, "something else".getBytes(StandardCharsets.UTF_8));
		put(field, "sha-256=:" + wrong + ":").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("The content does not match its digest; nothing was stored");
		assertThat(stored()).isEqualTo("old version");
	}

	@Test
	void strongestSupportedAlgorithmIsVerifiedAndUnknownOnesIgnored() {
		String wrongMd5 = Checksums.of(ChecksumAlgorithm.MD5, "x".getBytes(StandardCharsets.UTF_8));
		// sha-256 wins over md5, so the wrong md5 is not what decides; sha-512 is not computed
		put("Content-Digest", "sha-512=:" + "A".repeat(86) + "==:, md5=:" + wrongMd5 + ":, sha-256=:" + SHA256 + ":")
			.expectStatus()
			.isCreated();
		assertThat(stored()).isEqualTo("digested content");
	}

	@Test
	void crc32cAndMd5AreVerifiedToo() {
		String crc = Checksums.of(ChecksumAlgorithm.CRC32C, CONTENT);
		put("Repr-Digest", "crc32c=:" + crc + ":").expectStatus().isCreated();
		String wrongMd5 = Checksums.of(ChecksumAlgorithm.MD5, "x".getBytes(StandardCharsets.UTF_8));
		put("Repr-Digest", "md5=:" + wrongMd5 + ":").expectStatus().isBadRequest();
	}

	@ParameterizedTest
	@ValueSource(strings = { "sha-256=" + "abc", "sha-256=:not base64!:", "sha-256=:YWJj:", "=:YWJj:", "sha-256",
			"SHA-256=:YWJj:", "sha-256=:<script>:", "sha-512=:AAAA:", "sha-256=:%s:, sha-256=:%s:" })
	void malformedOrUnsupportedFieldsAreRefusedWithoutEchoAndWithoutStoring(String template) {
		String value = template.replace("%s", SHA256);
		put("Content-Digest", value).expectStatus()
			.isEqualTo(HttpStatus.BAD_REQUEST)
			.expectBody(String.class)
			.value(body -> assertThat(body).contains("malformed, names no supported algorithm")
				.doesNotContain("script")
				.doesNotContain("YWJj"));
		assertThat(stored()).isEqualTo("old version");
	}

	@Test
	void anOversizedFieldIsRefusedBeforeItIsParsed() {
		String many = String.join(", ", java.util.Collections.nCopies(200, "sha-512=:" + "A".repeat(86) + "==:"));
		put("Content-Digest", many + ", sha-256=:" + SHA256 + ":").expectStatus().isBadRequest();
		assertThat(stored()).isEqualTo("old version");
	}

	@Test
	void disagreeingFieldsAreRefused() {
		String other = Checksums.of(ChecksumAlgorithm.SHA_256, "x".getBytes(StandardCharsets.UTF_8));
		this.client.put()
			.uri("/storage/files/a.txt")
			.header("Content-Digest", "sha-256=:" + SHA256 + ":")
			.header("Repr-Digest", "sha-256=:" + other + ":")
			.bodyValue(CONTENT)
			.exchange()
			.expectStatus()
			.isBadRequest();
		assertThat(stored()).isEqualTo("old version");
	}

	@Test
	void aPutWithoutDigestFieldsHasNoReprDigest() {
		this.client.put()
			.uri("/storage/files/a.txt")
			.bodyValue(CONTENT)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.doesNotExist("Repr-Digest");
	}

	@Test
	void getAndHeadCarryTheStoredReprDigestAlsoForRanges() {
		put("Repr-Digest", "sha-256=:" + SHA256 + ":").expectStatus().isCreated();
		String expected = "sha-256=:" + SHA256 + ":";
		this.client.get().uri("/storage/files/a.txt").header("Want-Repr-Digest", "sha-256=10").exchange()
			.expectStatus().isOk().expectHeader().valueEquals("Repr-Digest", expected);
		this.client.head().uri("/storage/files/a.txt").exchange()
			.expectStatus().isOk().expectHeader().valueEquals("Repr-Digest", expected);
		this.client.get().uri("/storage/files/a.txt").header("Range", "bytes=0-3").exchange()
			.expectStatus().isEqualTo(HttpStatus.PARTIAL_CONTENT).expectHeader().valueEquals("Repr-Digest", expected);
	}

	@Test
	void objectsWithoutAStoredChecksumHaveNoReprDigestEvenWhenAsked() {
		this.client.get().uri("/storage/files/a.txt").header("Want-Repr-Digest", "sha-256=10").exchange()
			.expectStatus().isOk().expectHeader().doesNotExist("Repr-Digest");
	}

	@Test
	void filesystemDownloadsSentFromTheOpenFileCarryTheReprDigestToo() {
		String expected = "sha-256=:" + SHA256 + ":";
		this.client.put().uri("/storage/disk/d.txt").header("Content-Digest", expected).bodyValue(CONTENT).exchange()
			.expectStatus().isCreated();
		this.client.get().uri("/storage/disk/d.txt").exchange()
			.expectStatus().isOk().expectHeader().valueEquals("Repr-Digest", expected)
			.expectBody(String.class).isEqualTo("digested content");
		this.client.head().uri("/storage/disk/d.txt").exchange()
			.expectStatus().isOk().expectHeader().valueEquals("Repr-Digest", expected);
	}

}
