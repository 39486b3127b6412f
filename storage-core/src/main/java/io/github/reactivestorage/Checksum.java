package io.github.reactivestorage;

import java.util.Base64;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The checksum a {@code put} computes ({@link PutOptions#checksum()}): an algorithm and, optionally, the
 * value the content must have (base64 of the digest). Immutable.
 *
 * @param algorithm the algorithm
 * @param expected the base64 value the content must have, or {@code null} to compute it only
 */
public record Checksum(ChecksumAlgorithm algorithm, @Nullable String expected) {

	/**
	 * @throws IllegalArgumentException if {@code expected} is not base64 (RFC 4648 with padding) of a
	 * digest of the algorithm's length
	 */
	public Checksum {
		Objects.requireNonNull(algorithm, "algorithm must not be null");
		if (expected != null) {
			byte[] bytes;
			try {
				bytes = Base64.getDecoder().decode(expected);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("The expected " + algorithm.token() + " checksum is not base64");
			}
			if (bytes.length != algorithm.length()) {
				throw new IllegalArgumentException("The expected " + algorithm.token() + " checksum has " + bytes.length
						+ " bytes instead of " + algorithm.length());
			}
			// one canonical spelling, so that comparing strings compares digests
			expected = Base64.getEncoder().encodeToString(bytes);
		}
	}

	/** Compute the checksum with this algorithm and report it, verifying nothing. */
	public static Checksum compute(ChecksumAlgorithm algorithm) {
		return new Checksum(algorithm, null);
	}

	/** Compute the checksum and fail the put unless it is {@code expected} (base64). */
	public static Checksum expect(ChecksumAlgorithm algorithm, String expected) {
		return new Checksum(algorithm, Objects.requireNonNull(expected, "expected must not be null"));
	}

}
