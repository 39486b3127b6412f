package io.github.reactivestorage.s3;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encodes user metadata values for S3 headers, which carry only printable ASCII: a value that is not
 * plain printable ASCII (or could be mistaken for an encoded one) is stored as an RFC 2047 encoded
 * word {@code =?UTF-8?B?<base64>?=}, the form AWS documents for non-ASCII metadata, and decoded on
 * read. Other values are stored as they are.
 */
final class S3MetadataCodec {

	private static final String PREFIX = "=?UTF-8?B?";

	private static final String SUFFIX = "?=";

	private S3MetadataCodec() {
	}

	static Map<String, String> encode(Map<String, String> metadata) {
		Map<String, String> encoded = new LinkedHashMap<>();
		metadata.forEach((key, value) -> encoded.put(key, encode(value)));
		return encoded;
	}

	static Map<String, String> decode(Map<String, String> metadata) {
		Map<String, String> decoded = new LinkedHashMap<>();
		metadata.forEach((key, value) -> decoded.put(key, decode(value)));
		return decoded;
	}

	static String encode(String value) {
		if (isPlain(value)) {
			return value;
		}
		return PREFIX + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + SUFFIX;
	}

	static String decode(String value) {
		if (value.startsWith(PREFIX) && value.endsWith(SUFFIX) && value.length() >= PREFIX.length() + SUFFIX.length()) {
			try {
				byte[] bytes = Base64.getDecoder()
					.decode(value.substring(PREFIX.length(), value.length() - SUFFIX.length()));
				return new String(bytes, StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				return value;
			}
		}
		return value;
	}

	private static boolean isPlain(String value) {
		if (value.isEmpty() || value.startsWith("=?") || value.charAt(0) == ' '
				|| value.charAt(value.length() - 1) == ' ') {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7E) {
				return false;
			}
		}
		return true;
	}

}
