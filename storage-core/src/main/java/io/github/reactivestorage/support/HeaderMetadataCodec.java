package io.github.reactivestorage.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Encodes user metadata values for stores that carry them as ASCII HTTP headers (S3, Azure). A value that is
 * printable ASCII, not empty, without leading or trailing spaces and not starting with {@code =?} is
 * stored as is; any other value is stored as an RFC 2047 encoded word of its UTF-8 bytes,
 * {@code =?UTF-8?B?<base64>?=}, and decoded on the way back. Stored values that look like encoded
 * words but do not decode are returned unchanged. This is the form AWS documents for non-ASCII
 * metadata, so other S3 clients decode it too.
 */
public final class HeaderMetadataCodec {

	private static final String ENCODED_PREFIX = "=?UTF-8?B?";

	private static final String ENCODED_SUFFIX = "?=";

	private HeaderMetadataCodec() {
	}

	public static Map<String, String> encode(Map<String, String> metadata) {
		Map<String, String> encoded = new LinkedHashMap<>();
		metadata.forEach((key, value) -> encoded.put(key, encodeValue(value)));
		return encoded;
	}

	public static Map<String, String> decode(@Nullable Map<String, String> metadata) {
		if (metadata == null || metadata.isEmpty()) {
			return Map.of();
		}
		Map<String, String> decoded = new LinkedHashMap<>();
		metadata.forEach((key, value) -> decoded.put(key, decodeValue(value)));
		return decoded;
	}

	public static String encodeValue(String value) {
		if (isPlain(value)) {
			return value;
		}
		return ENCODED_PREFIX + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))
				+ ENCODED_SUFFIX;
	}

	public static String decodeValue(@Nullable String value) {
		if (value == null) {
			return "";
		}
		if (value.length() >= ENCODED_PREFIX.length() + ENCODED_SUFFIX.length()
				&& value.regionMatches(true, 0, ENCODED_PREFIX, 0, ENCODED_PREFIX.length())
				&& value.endsWith(ENCODED_SUFFIX)) {
			String base64 = value.substring(ENCODED_PREFIX.length(), value.length() - ENCODED_SUFFIX.length());
			try {
				return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
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
