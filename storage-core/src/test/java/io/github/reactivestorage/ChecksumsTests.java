package io.github.reactivestorage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.memory.MemoryStorage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link Checksums} against published test vectors, the {@link Checksum} value rules, and the
 * {@link ChecksumVerifyingBody} over the memory backend (which also keeps the checksums for {@code info}).
 */
class ChecksumsTests {

	private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

	@Test
	void sha256OfAbcIsTheFips180Vector() {
		// FIPS 180-2 appendix B.1: ba7816bf…f20015ad
		assertThat(Checksums.of(ChecksumAlgorithm.SHA_256, ABC)).isEqualTo("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
	}

	@Test
	void md5OfAbcIsTheRfc1321Vector() {
		// RFC 1321 appendix A.5: 900150983cd24fb0d6963f7d28e17f72
		assertThat(Checksums.of(ChecksumAlgorithm.MD5, ABC)).isEqualTo("kAFQmDzST7DWlj99KOF/cg==");
	}

	@Test
	void crc32cOfTheCheckStringIsBigEndianE3069283() {
		// RFC 3720 B.4 / the CRC catalogue's check value of "123456789"
		assertThat(Checksums.of(ChecksumAlgorithm.CRC32C, "123456789".getBytes(StandardCharsets.US_ASCII)))
			.isEqualTo("4waSgw==");
	}

	@ParameterizedTest
	@EnumSource(ChecksumAlgorithm.class)
	void piecesOfAnySizeHashLikeTheWholeAndLeaveBuffersUnread(ChecksumAlgorithm algorithm) {
		byte[] content = new byte[100_003];
		new java.util.Random(5).nextBytes(content);
		Checksums.Hasher hasher = Checksums.hasher(algorithm);
		DefaultDataBufferFactory factory = DefaultDataBufferFactory.sharedInstance;
		for (int offset = 0; offset < content.length; offset += 7919) {
			DataBuffer buffer = factory.wrap(java.nio.ByteBuffer.wrap(content, offset, Math.min(7919, content.length - offset)).slice());
			int before = buffer.readPosition();
			hasher.update(buffer);
			assertThat(buffer.readPosition()).isEqualTo(before);
		}
		assertThat(hasher.base64()).isEqualTo(Checksums.of(algorithm, content));
	}

	@Test
	void expectedValuesMustBeBase64OfTheAlgorithmsLength() {
		assertThatIllegalArgumentException().isThrownBy(() -> Checksum.expect(ChecksumAlgorithm.SHA_256, "not base64!"))
			.withMessageContaining("not base64");
		assertThatIllegalArgumentException().isThrownBy(() -> Checksum.expect(ChecksumAlgorithm.SHA_256, "kAFQmDzST7DWlj99KOF/cg=="))
			.withMessageContaining("16 bytes instead of 32");
		assertThat(ChecksumAlgorithm.ofToken("SHA-256")).isEqualTo(ChecksumAlgorithm.SHA_256);
		assertThat(ChecksumAlgorithm.ofToken("sha-512")).isNull();
	}

	@Test
	void memoryKeepsVerifiedChecksumsForInfo() {
		MemoryStorage storage = new MemoryStorage("m");
		String sha = Checksums.of(ChecksumAlgorithm.SHA_256, ABC);
		StoredObject stored = storage.put("a.txt", ABC, PutOptions.builder().checksum(ChecksumAlgorithm.SHA_256, sha).build())
			.block(Duration.ofSeconds(5));
		assertThat(stored.checksums()).containsExactlyEntriesOf(java.util.Map.of("sha-256", sha));
		assertThat(storage.info("a.txt").block(Duration.ofSeconds(5)).checksums()).containsEntry("sha-256", sha);
	}

	@Test
	void mismatchEndsTheBodyWithAnErrorAfterEveryBuffer() {
		DefaultDataBufferFactory factory = DefaultDataBufferFactory.sharedInstance;
		ChecksumVerifyingBody body = new ChecksumVerifyingBody(Flux.just(factory.wrap(ABC)),
				Checksum.expect(ChecksumAlgorithm.MD5, Checksums.of(ChecksumAlgorithm.MD5, new byte[0])), "k");
		StepVerifier.create(Flux.from(body).doOnNext(DataBufferUtils::release))
			.expectNextCount(1)
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(ChecksumMismatchException.class)
				.hasMessageContaining("md5 checksum is kAFQmDzST7DWlj99KOF/cg==")
				.hasMessageContaining("nothing was stored"))
			.verify(Duration.ofSeconds(5));
		assertThat(body.checksums()).isEmpty();
	}

}
