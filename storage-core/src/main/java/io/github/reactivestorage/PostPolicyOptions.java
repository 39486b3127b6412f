package io.github.reactivestorage;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link PostPolicy} allows: one exact key or every key under a prefix, an expiry, the size
 * range of the uploaded file, its content type (exact or a prefix) and user metadata the form must
 * carry unchanged. Immutable; build with {@link #forKey(String)} or {@link #forPrefix(String)}.
 *
 * <p>Keys, prefixes, metadata and the expiry are checked by {@link ReactiveStorage#postPolicy} at
 * subscription, by the rules of every other operation ({@link StorageKeys}, {@link StorageMetadata});
 * sizes and content types are checked here, at construction, with {@link IllegalArgumentException}.
 * Neither a key nor a prefix may contain {@code ${filename}}, which S3 and GCS replace with the name of
 * the browser's file.
 */
public final class PostPolicyOptions {

	/** The expiry when none is given. */
	public static final Duration DEFAULT_EXPIRY = Duration.ofHours(1);

	private final @Nullable String key;

	private final @Nullable String keyPrefix;

	private final Duration expiry;

	private final long minSize;

	private final long maxSize;

	private final @Nullable String contentType;

	private final @Nullable String contentTypePrefix;

	private final Map<String, String> metadata;

	private PostPolicyOptions(Builder builder) {
		this.key = builder.key;
		this.keyPrefix = builder.keyPrefix;
		this.expiry = builder.expiry;
		this.minSize = builder.minSize;
		this.maxSize = builder.maxSize;
		this.contentType = builder.contentType;
		this.contentTypePrefix = builder.contentTypePrefix;
		this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(builder.metadata));
	}

	/** A policy for exactly this key. */
	public static Builder forKey(String key) {
		Objects.requireNonNull(key, "key must not be null");
		return new Builder(key, null);
	}

	/**
	 * A policy for any key that starts with the prefix (S3's {@code starts-with}): the form's
	 * {@code key} field is {@code prefix + "${filename}"} and the uploader may change what follows the
	 * prefix. The empty prefix allows every key of the mount.
	 */
	public static Builder forPrefix(String prefix) {
		Objects.requireNonNull(prefix, "prefix must not be null");
		return new Builder(null, prefix);
	}

	/** The exact key, or {@code null} for a prefix policy. */
	public @Nullable String key() {
		return this.key;
	}

	/** The key prefix, or {@code null} for an exact-key policy. */
	public @Nullable String keyPrefix() {
		return this.keyPrefix;
	}

	public Duration expiry() {
		return this.expiry;
	}

	/** The smallest file accepted, in bytes ({@code 0} by default). */
	public long minSize() {
		return this.minSize;
	}

	/** The largest file accepted, in bytes, or {@code -1} for no cap (the backend's own limit). */
	public long maxSize() {
		return this.maxSize;
	}

	/** The content type the form must send exactly, or {@code null}. */
	public @Nullable String contentType() {
		return this.contentType;
	}

	/** The prefix the form's content type must start with ({@code image/}), or {@code null}. */
	public @Nullable String contentTypePrefix() {
		return this.contentTypePrefix;
	}

	/** User metadata the form carries and the policy requires exactly. */
	public Map<String, String> metadata() {
		return this.metadata;
	}

	/**
	 * These options with the key normalised ({@link StorageKeys#normalize}) or the prefix
	 * ({@link StorageKeys#normalizePrefix}), as every backend and decorator checks them.
	 * @throws InvalidKeyException if the key or prefix breaks a rule or contains {@code ${filename}}
	 */
	public PostPolicyOptions normalized() {
		if (this.key != null) {
			String normalized = StorageKeys.normalize(this.key);
			refuseVariable(normalized, this.key);
			return normalized.equals(this.key) ? this : withKeyOrPrefix(normalized, null);
		}
		String normalized = StorageKeys.normalizePrefix(this.keyPrefix);
		refuseVariable(normalized, this.keyPrefix);
		return normalized.equals(this.keyPrefix) ? this : withKeyOrPrefix(null, normalized);
	}

	/** What S3 and GCS replace with the browser's file name: a caller must not hand that choice over. */
	private static void refuseVariable(String normalized, @Nullable String original) {
		if (normalized.contains("${filename}")) {
			throw new InvalidKeyException("A policy key or prefix must not contain ${filename}", original, null);
		}
	}

	/** These options for another key or prefix (what a decorator that moves keys passes on). */
	public PostPolicyOptions withKeyOrPrefix(@Nullable String key, @Nullable String keyPrefix) {
		Builder builder = new Builder(key, keyPrefix).expiry(this.expiry).metadata(this.metadata);
		builder.minSize = this.minSize;
		builder.maxSize = this.maxSize;
		builder.contentType = this.contentType;
		builder.contentTypePrefix = this.contentTypePrefix;
		return builder.build();
	}

	@Override
	public String toString() {
		return "PostPolicyOptions[" + ((this.key != null) ? "key=" + this.key : "prefix=" + this.keyPrefix)
				+ ", expiry=" + this.expiry + ", size=" + this.minSize + ".." + this.maxSize + "]";
	}

	/** Builds {@link PostPolicyOptions}. */
	public static final class Builder {

		private final @Nullable String key;

		private final @Nullable String keyPrefix;

		private Duration expiry = DEFAULT_EXPIRY;

		private long minSize;

		private long maxSize = -1;

		private @Nullable String contentType;

		private @Nullable String contentTypePrefix;

		private Map<String, String> metadata = Map.of();

		private Builder(@Nullable String key, @Nullable String keyPrefix) {
			this.key = key;
			this.keyPrefix = keyPrefix;
		}

		/** How long the form stays valid; positive. */
		public Builder expiry(Duration expiry) {
			Objects.requireNonNull(expiry, "expiry must not be null");
			if (expiry.isZero() || expiry.isNegative()) {
				throw new IllegalArgumentException("Policy expiry must be positive: " + expiry);
			}
			this.expiry = expiry;
			return this;
		}

		/** The size range of the file, both ends inclusive ({@code content-length-range}). */
		public Builder size(long min, long max) {
			if (min < 0 || max < min) {
				throw new IllegalArgumentException("Invalid size range " + min + ".." + max);
			}
			this.minSize = min;
			this.maxSize = max;
			return this;
		}

		/** The largest file, in bytes (the smallest stays 0). */
		public Builder maxSize(long max) {
			return size(0, max);
		}

		/** The content type the form must send, exactly. Excludes {@link #contentTypePrefix}. */
		public Builder contentType(@Nullable String contentType) {
			this.contentType = checkType(contentType);
			this.contentTypePrefix = null;
			return this;
		}

		/** The prefix the form's content type must start with. Excludes {@link #contentType}. */
		public Builder contentTypePrefix(@Nullable String prefix) {
			this.contentTypePrefix = checkType(prefix);
			this.contentType = null;
			return this;
		}

		/** User metadata the form sends and the policy requires exactly. */
		public Builder metadata(Map<String, String> metadata) {
			this.metadata = Objects.requireNonNull(metadata, "metadata must not be null");
			return this;
		}

		public PostPolicyOptions build() {
			return new PostPolicyOptions(this);
		}

		/** Printable ASCII only: the value goes into a form field, a policy and, on GCS, a header. */
		private static @Nullable String checkType(@Nullable String type) {
			if (type == null) {
				return null;
			}
			for (int i = 0; i < type.length(); i++) {
				char c = type.charAt(i);
				if (c < 0x20 || c > 0x7e) {
					throw new IllegalArgumentException("Content type must be printable ASCII");
				}
			}
			return type;
		}

	}

}
