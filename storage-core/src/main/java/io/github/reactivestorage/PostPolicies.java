package io.github.reactivestorage;

/**
 * The key rules applied to {@link PostPolicyOptions}, shared by {@link AbstractReactiveStorage} and the
 * decorators that move keys.
 */
final class PostPolicies {

	/** What S3 and GCS replace with the browser's file name: a caller must not hand that choice over. */
	private static final String FILENAME_VARIABLE = "${filename}";

	private PostPolicies() {
	}

	/** The options with a normalised key or prefix; {@link InvalidKeyException} for a broken rule. */
	static PostPolicyOptions check(PostPolicyOptions options) {
		if (options.key() != null) {
			String key = StorageKeys.normalize(options.key());
			refuseVariable(key, options.key());
			return key.equals(options.key()) ? options : options.withKeyOrPrefix(key, null);
		}
		String prefix = StorageKeys.normalizePrefix(options.keyPrefix());
		refuseVariable(prefix, options.keyPrefix());
		return prefix.equals(options.keyPrefix()) ? options : options.withKeyOrPrefix(null, prefix);
	}

	private static void refuseVariable(String normalized, String original) {
		if (normalized.contains(FILENAME_VARIABLE)) {
			throw new InvalidKeyException("A policy key or prefix must not contain " + FILENAME_VARIABLE, original,
					null);
		}
	}

}
