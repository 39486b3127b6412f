package io.github.reactivestorage.autoconfigure.web;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

import io.github.reactivestorage.Checksum;
import io.github.reactivestorage.ChecksumAlgorithm;
import io.github.reactivestorage.StorageException;

/**
 * RFC 9530 digest fields: {@code Content-Digest} and {@code Repr-Digest} of an upload turned into the
 * {@link Checksum} the put verifies, and {@code Repr-Digest} written from the checksums an object has.
 * Parsed by hand because Spring has no Structured Fields parser; only the dictionary form RFC 9530
 * uses ({@code alg=:base64:} members, parameters ignored) is accepted.
 * <p>
 * The endpoints store the body as received (no content coding is undone), so for an upload the
 * content is the representation and both fields describe the same bytes. Of the algorithms given, the
 * strongest one the library computes is verified (sha-256, then crc32c, then md5); others (sha-512)
 * are ignored, as RFC 9530 allows, but fields that name none of the three are refused rather than
 * silently unchecked.
 */
final class DigestFields {

	static final String CONTENT_DIGEST = "Content-Digest";

	static final String REPR_DIGEST = "Repr-Digest";

	static final String WANT_REPR_DIGEST = "Want-Repr-Digest";

	private static final int MAX_FIELD_LENGTH = 4096;

	private static final ChecksumAlgorithm[] PREFERENCE = { ChecksumAlgorithm.SHA_256, ChecksumAlgorithm.CRC32C,
			ChecksumAlgorithm.MD5 };

	private DigestFields() {
	}

	/**
	 * The checksum an upload's digest fields ask for, or {@code null} when it has none.
	 * @throws InvalidDigestFieldException if a field is malformed, names no supported algorithm, or the
	 * two fields disagree
	 */
	static @Nullable Checksum checksumOf(HttpHeaders headers) {
		Map<ChecksumAlgorithm, String> values = new EnumMap<>(ChecksumAlgorithm.class);
		boolean present = false;
		for (String field : List.of(CONTENT_DIGEST, REPR_DIGEST)) {
			List<String> lines = headers.getOrEmpty(field);
			if (lines.isEmpty()) {
				continue;
			}
			present = true;
			for (Map.Entry<ChecksumAlgorithm, String> entry : parse(String.join(",", lines)).entrySet()) {
				String previous = values.putIfAbsent(entry.getKey(), entry.getValue());
				if (previous != null && !previous.equals(entry.getValue())) {
					throw new InvalidDigestFieldException("Content-Digest and Repr-Digest disagree");
				}
			}
		}
		if (!present) {
			return null;
		}
		for (ChecksumAlgorithm algorithm : PREFERENCE) {
			String value = values.get(algorithm);
			if (value != null) {
				return Checksum.expect(algorithm, value);
			}
		}
		throw new InvalidDigestFieldException("No supported digest algorithm");
	}

	/** The supported algorithms of one dictionary field, with canonical base64 values. */
	private static Map<ChecksumAlgorithm, String> parse(String field) {
		if (field.length() > MAX_FIELD_LENGTH) {
			throw new InvalidDigestFieldException("Digest field too long");
		}
		Map<ChecksumAlgorithm, String> values = new EnumMap<>(ChecksumAlgorithm.class);
		for (String member : field.split(",", -1)) {
			String trimmed = member.strip();
			int equals = trimmed.indexOf('=');
			if (equals <= 0) {
				throw new InvalidDigestFieldException("Malformed digest field member");
			}
			String token = trimmed.substring(0, equals);
			String rest = trimmed.substring(equals + 1);
			int parameters = rest.indexOf(';');
			String item = (parameters >= 0) ? rest.substring(0, parameters) : rest;
			if (!token.matches("[a-z*][a-z0-9_\\-.*]*") || item.length() < 2 || !item.startsWith(":")
					|| !item.endsWith(":")) {
				throw new InvalidDigestFieldException("Malformed digest field member");
			}
			ChecksumAlgorithm algorithm = ChecksumAlgorithm.ofToken(token);
			if (algorithm == null) {
				continue;
			}
			String value = item.substring(1, item.length() - 1);
			Checksum checksum;
			try {
				checksum = Checksum.expect(algorithm, value);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidDigestFieldException("Malformed " + token + " digest value");
			}
			if (values.putIfAbsent(algorithm, checksum.expected()) != null) {
				throw new InvalidDigestFieldException("Repeated digest algorithm");
			}
		}
		return values;
	}

	/**
	 * The {@code Repr-Digest} value of an object's checksums (RFC 9530 algorithms only; in the
	 * library's order of preference), or {@code null} when it has none.
	 */
	static @Nullable String reprDigest(Map<String, String> checksums) {
		List<String> members = new ArrayList<>();
		for (ChecksumAlgorithm algorithm : PREFERENCE) {
			String value = checksums.get(algorithm.token());
			if (value != null) {
				members.add(algorithm.token() + "=:" + value + ":");
			}
		}
		return members.isEmpty() ? null : String.join(", ", members);
	}

	/**
	 * A digest field the endpoint cannot use ({@code 400}); the message names the field's problem, never
	 * its value.
	 */
	static final class InvalidDigestFieldException extends StorageException {

		private static final long serialVersionUID = 1L;

		InvalidDigestFieldException(String message) {
			super(message);
		}

	}

}
