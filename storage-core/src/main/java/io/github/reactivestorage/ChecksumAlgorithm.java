package io.github.reactivestorage;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The checksum algorithms a {@code put} can compute and verify ({@link PutOptions#checksum()}). Values
 * are the base64 of the digest's bytes, as RFC 9530 ({@code Repr-Digest: sha-256=:…:}) and S3
 * ({@code x-amz-checksum-sha256}) write them; CRC32C's four bytes are big-endian, as S3 and GCS give them.
 */
public enum ChecksumAlgorithm {

	/** SHA-256 (RFC 9530 {@code sha-256}): 32 bytes. */
	SHA_256("sha-256", 32),

	/** CRC32C (Castagnoli), as S3 and GCS compute it: 4 bytes. Not an RFC 9530 algorithm. */
	CRC32C("crc32c", 4),

	/** MD5 (RFC 9530 {@code md5}, deprecated there; Azure's and GCS's {@code Content-MD5}): 16 bytes. */
	MD5("md5", 16);

	private final String token;

	private final int length;

	ChecksumAlgorithm(String token, int length) {
		this.token = token;
		this.length = length;
	}

	/** The name used as the key of {@link StoredObject#checksums()} and in RFC 9530 fields. */
	public String token() {
		return this.token;
	}

	/** The digest's length in bytes. */
	public int length() {
		return this.length;
	}

	/** The algorithm of a token ({@code sha-256}, {@code crc32c}, {@code md5}; any case), or {@code null}. */
	public static @Nullable ChecksumAlgorithm ofToken(String token) {
		String lower = token.toLowerCase(Locale.ROOT);
		for (ChecksumAlgorithm algorithm : values()) {
			if (algorithm.token.equals(lower)) {
				return algorithm;
			}
		}
		return null;
	}

}
