package io.github.reactivestorage;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The user-metadata rules every backend shares. Portable keys match {@code [a-z][a-z0-9_]{0,63}};
 * other keys are accepted by backends that can store them and rejected with
 * {@link InvalidMetadataException} by the others. Values are any Unicode string. Keys and values
 * together take at most {@value #MAX_TOTAL_BYTES} UTF-8 bytes.
 */
public final class StorageMetadata {

	/** The most UTF-8 bytes of keys and values together. */
	public static final int MAX_TOTAL_BYTES = 2048;

	private static final Pattern PORTABLE_KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");

	private StorageMetadata() {
	}

	/** Whether a metadata key round-trips on every backend. */
	public static boolean isPortableKey(String key) {
		return PORTABLE_KEY.matcher(key).matches();
	}

	/**
	 * Check the rules every backend shares: keys not empty, without control characters, at most 64
	 * characters; values without unpaired surrogates; total size.
	 * @throws InvalidMetadataException if a rule is broken
	 */
	public static void validate(Map<String, String> metadata) {
		int total = 0;
		for (Map.Entry<String, String> entry : metadata.entrySet()) {
			String key = entry.getKey();
			String value = entry.getValue();
			if (key == null || key.isEmpty()) {
				throw new InvalidMetadataException("Metadata keys must not be empty");
			}
			if (value == null) {
				throw new InvalidMetadataException("Metadata value of '" + key + "' must not be null");
			}
			for (int i = 0; i < key.length(); i++) {
				char c = key.charAt(i);
				if (c <= 0x20 || c >= 0x7F || c == ':' || c == '=') {
					throw new InvalidMetadataException("Metadata key '" + printable(key)
							+ "' must hold only printable ASCII characters without spaces, ':' or '='");
				}
			}
			if (key.length() > 64) {
				throw new InvalidMetadataException("Metadata key '" + key + "' is longer than 64 characters");
			}
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				if (Character.isHighSurrogate(c) && i + 1 < value.length()
						&& Character.isLowSurrogate(value.charAt(i + 1))) {
					i++;
				}
				else if (Character.isSurrogate(c)) {
					throw new InvalidMetadataException(
							"Metadata value of '" + key + "' must not contain unpaired surrogates");
				}
			}
			total += StorageKeys.utf8Length(key) + StorageKeys.utf8Length(value);
		}
		if (total > MAX_TOTAL_BYTES) {
			throw new InvalidMetadataException("Metadata takes " + total + " UTF-8 bytes; the limit is "
					+ MAX_TOTAL_BYTES + " for keys and values together");
		}
	}

	/**
	 * Check that every key is portable; for backends that store no other keys.
	 * @throws InvalidMetadataException naming the first key that is not
	 */
	public static void requirePortableKeys(Map<String, String> metadata, String backend) {
		for (String key : metadata.keySet()) {
			if (!isPortableKey(key)) {
				throw new InvalidMetadataException("Metadata key '" + printable(key) + "' cannot be stored by the "
						+ backend + " backend: use keys matching [a-z][a-z0-9_]{0,63}");
			}
		}
	}

	private static String printable(String value) {
		StringBuilder result = new StringBuilder();
		for (int i = 0; i < value.length() && i < 80; i++) {
			char c = value.charAt(i);
			result.append((c < 0x20 || c == 0x7F) ? String.format("\\u%04X", (int) c) : String.valueOf(c));
		}
		return result.toString();
	}

}
