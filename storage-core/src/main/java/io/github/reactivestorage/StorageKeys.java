package io.github.reactivestorage;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

import org.jspecify.annotations.Nullable;

/**
 * The key rules every backend shares.
 *
 * <p>{@code /} separates segments and exactly one leading {@code /} is dropped. Rejected with
 * {@link InvalidKeyException}: an empty key, {@code .} or {@code ..} segments, empty segments
 * ({@code a//b}, a trailing {@code /}), control characters (U+0000–U+001F, U+007F), unpaired
 * surrogates, and more than {@value #MAX_KEY_BYTES} UTF-8 bytes. Keys are compared as UTF-8 bytes
 * ({@link #ORDER}): no Unicode normalisation, case-sensitive. Percent signs and other characters are
 * literal: {@code %2e%2e} is a three-segment-free key of six characters, not {@code ..}.
 */
public final class StorageKeys {

	/** The longest key, in UTF-8 bytes. */
	public static final int MAX_KEY_BYTES = 1024;

	/** The delimiter that separates key segments. */
	public static final char SEPARATOR = '/';

	/**
	 * Orders strings by their UTF-8 bytes, which is code point order: the order of every listing.
	 * {@link String#compareTo} differs from it for characters outside the Basic Multilingual Plane.
	 */
	public static final Comparator<String> ORDER = StorageKeys::compare;

	private StorageKeys() {
	}

	/**
	 * Check a key and return it in its normal form (one leading {@code /} dropped).
	 * @throws InvalidKeyException if the key breaks a rule; the message names the rule
	 */
	public static String normalize(@Nullable String key) {
		if (key == null) {
			throw new InvalidKeyException("Key must not be null");
		}
		String normalized = (!key.isEmpty() && key.charAt(0) == SEPARATOR) ? key.substring(1) : key;
		if (normalized.isEmpty()) {
			throw new InvalidKeyException("Key must not be empty", key, null);
		}
		checkCharacters(normalized, key, "Key");
		int segmentStart = 0;
		for (int i = 0; i <= normalized.length(); i++) {
			if (i == normalized.length() || normalized.charAt(i) == SEPARATOR) {
				checkSegment(normalized, segmentStart, i, key);
				segmentStart = i + 1;
			}
		}
		int bytes = utf8Length(normalized);
		if (bytes > MAX_KEY_BYTES) {
			throw new InvalidKeyException(
					"Key is " + bytes + " UTF-8 bytes long; the limit is " + MAX_KEY_BYTES, truncate(key), null);
		}
		return normalized;
	}

	/**
	 * Check a listing prefix (or a start-after marker) and return it in its normal form. Prefixes are
	 * not whole keys ({@code a/}, {@code a/b} and the empty string are fine) but obey the same rules:
	 * one leading {@code /} is dropped; no control characters or unpaired surrogates; every segment
	 * before the last {@code /} is a complete segment, neither empty nor {@code .} nor {@code ..};
	 * the last, possibly partial, segment may be empty (a trailing {@code /}) or the beginning of a
	 * segment ({@code a/.b}, {@code ..x}) but not {@code .} or {@code ..} itself, since a backend that
	 * maps keys to paths could resolve it; at most {@value #MAX_KEY_BYTES} UTF-8 bytes, since no key
	 * is longer.
	 * @throws InvalidKeyException if the prefix breaks a rule; the message names the rule
	 */
	public static String normalizePrefix(@Nullable String prefix) {
		if (prefix == null || prefix.isEmpty()) {
			return "";
		}
		String normalized = (prefix.charAt(0) == SEPARATOR) ? prefix.substring(1) : prefix;
		checkCharacters(normalized, prefix, "Prefix");
		int segmentStart = 0;
		for (int i = 0; i <= normalized.length(); i++) {
			boolean last = (i == normalized.length());
			if (last || normalized.charAt(i) == SEPARATOR) {
				if (!last && i == segmentStart) {
					throw new InvalidKeyException("Prefix must not have empty segments ('//')", printable(prefix),
							null);
				}
				if (isDotSegment(normalized, segmentStart, i)) {
					throw new InvalidKeyException("Prefix must not have '.' or '..' segments, the last one included",
							printable(prefix), null);
				}
				segmentStart = i + 1;
			}
		}
		int bytes = utf8Length(normalized);
		if (bytes > MAX_KEY_BYTES) {
			throw new InvalidKeyException(
					"Prefix is " + bytes + " UTF-8 bytes long; the limit is " + MAX_KEY_BYTES, printable(prefix), null);
		}
		return normalized;
	}

	/**
	 * Whether the key is valid; see {@link #normalize(String)}.
	 */
	public static boolean isValid(@Nullable String key) {
		try {
			normalize(key);
			return true;
		}
		catch (InvalidKeyException ex) {
			return false;
		}
	}

	/**
	 * Compare two strings by their UTF-8 bytes (code point order).
	 */
	public static int compare(String a, String b) {
		int length = Math.min(a.length(), b.length());
		for (int k = 0; k < length; k++) {
			char ca = a.charAt(k);
			char cb = b.charAt(k);
			if (ca != cb) {
				// UTF-16 unit order is code point order unless a surrogate is involved
				return (Character.isSurrogate(ca) || Character.isSurrogate(cb)) ? compareCodePoints(a, b)
						: ca - cb;
			}
		}
		return a.length() - b.length();
	}

	private static int compareCodePoints(String a, String b) {
		int i = 0;
		int j = 0;
		while (i < a.length() && j < b.length()) {
			int ca = a.codePointAt(i);
			int cb = b.codePointAt(j);
			if (ca != cb) {
				return Integer.compare(ca, cb);
			}
			i += Character.charCount(ca);
			j += Character.charCount(cb);
		}
		return Integer.compare(a.length() - i, b.length() - j);
	}

	/**
	 * The number of bytes the string takes in UTF-8.
	 */
	public static int utf8Length(String value) {
		return value.getBytes(StandardCharsets.UTF_8).length;
	}

	/**
	 * The last segment of a key: {@code b.txt} for {@code a/b.txt}.
	 */
	public static String filename(String key) {
		int slash = key.lastIndexOf(SEPARATOR);
		return (slash >= 0) ? key.substring(slash + 1) : key;
	}

	private static void checkSegment(String key, int start, int end, String original) {
		int length = end - start;
		if (length == 0) {
			throw new InvalidKeyException("Key must not have empty segments ('//' or a trailing '/')", original,
					null);
		}
		if (isDotSegment(key, start, end)) {
			throw new InvalidKeyException("Key must not have '.' or '..' segments", original, null);
		}
	}

	private static boolean isDotSegment(String value, int start, int end) {
		int length = end - start;
		return (length == 1 && value.charAt(start) == '.')
				|| (length == 2 && value.charAt(start) == '.' && value.charAt(start + 1) == '.');
	}

	private static void checkCharacters(String value, String original, String what) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c == 0x7F) {
				throw new InvalidKeyException(
						what + " must not contain control characters (U+" + String.format("%04X", (int) c) + ")",
						printable(original), null);
			}
			if (Character.isHighSurrogate(c)) {
				if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
					i++;
					continue;
				}
				throw new InvalidKeyException(what + " must not contain unpaired surrogates", printable(original),
						null);
			}
			if (Character.isLowSurrogate(c)) {
				throw new InvalidKeyException(what + " must not contain unpaired surrogates", printable(original),
						null);
			}
		}
	}

	private static String printable(String value) {
		StringBuilder result = new StringBuilder(Math.min(value.length(), 200));
		for (int i = 0; i < value.length() && result.length() < 200; i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c == 0x7F || Character.isSurrogate(c)) {
				result.append(String.format("\\u%04X", (int) c));
			}
			else {
				result.append(c);
			}
		}
		return result.toString();
	}

	private static String truncate(String key) {
		return (key.length() > 80) ? key.substring(0, 80) + "…" : key;
	}

}
