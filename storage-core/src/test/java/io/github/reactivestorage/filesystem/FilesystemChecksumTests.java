package io.github.reactivestorage.filesystem;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.ChecksumAlgorithm;
import io.github.reactivestorage.Checksums;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filesystem keeps the checksums a put verified with the object's metadata, so {@code info} and
 * a new instance over the same root report them; small (collected) and streamed puts alike; copies keep
 * them; sidecars of the format before checksums read as having none.
 */
class FilesystemChecksumTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@TempDir
	Path root;

	private ReactiveStorage storage() {
		return new FilesystemStorage("fs", this.root);
	}

	@Test
	void verifiedChecksumsOfSmallAndStreamedPutsAreKeptAcrossInstances() {
		byte[] content = "kept".getBytes(StandardCharsets.UTF_8);
		String sha = Checksums.of(ChecksumAlgorithm.SHA_256, content);
		String crc = Checksums.of(ChecksumAlgorithm.CRC32C, content);
		ReactiveStorage storage = storage();
		storage.put("small.txt", content, PutOptions.builder().checksum(ChecksumAlgorithm.SHA_256, sha).build()).block(TIMEOUT);
		storage.put("streamed.txt", Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(content.clone())),
				PutOptions.builder().checksum(ChecksumAlgorithm.CRC32C).build()).block(TIMEOUT);
		ReactiveStorage reopened = storage();
		assertThat(reopened.info("small.txt").block(TIMEOUT).checksums()).isEqualTo(Map.of("sha-256", sha));
		assertThat(reopened.info("streamed.txt").block(TIMEOUT).checksums()).isEqualTo(Map.of("crc32c", crc));
		assertThat(reopened.copy("small.txt", "copy.txt").block(TIMEOUT).checksums()).containsEntry("sha-256", sha);
		assertThat(reopened.info("copy.txt").block(TIMEOUT).checksums()).containsEntry("sha-256", sha);
	}

	@Test
	void aPutWithoutAChecksumForgetsThePreviousOne() {
		byte[] content = "v1".getBytes(StandardCharsets.UTF_8);
		ReactiveStorage storage = storage();
		storage.put("a.txt", content, PutOptions.builder().checksum(ChecksumAlgorithm.MD5).build()).block(TIMEOUT);
		storage.put("a.txt", "v2".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT);
		assertThat(storage.info("a.txt").block(TIMEOUT).checksums()).isEmpty();
	}

	@Test
	void sidecarsWithoutChecksumsDecodeAsBefore() {
		byte[] old = new Sidecar("text/plain", "e", Map.of("k", "v")).encode();
		Sidecar decoded = Sidecar.decode(old, old.length);
		assertThat(decoded.checksums()).isEmpty();
		assertThat(decoded.metadata()).isEqualTo(Map.of("k", "v"));
		byte[] now = new Sidecar("text/plain", "e", Map.of(), Map.of("md5", "x")).encode();
		assertThat(Sidecar.decode(now, now.length).checksums()).isEqualTo(Map.of("md5", "x"));
	}

}
