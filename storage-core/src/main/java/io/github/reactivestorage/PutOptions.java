package io.github.reactivestorage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Options of {@link ReactiveStorage#put(String, org.reactivestreams.Publisher, PutOptions)}. Immutable;
 * build with {@link #builder()}, or use {@link #defaults()}.
 *
 * <ul>
 * <li>{@code contentType}: stored with the object; when absent, guessed from the key's extension,
 * else {@code application/octet-stream}.</li>
 * <li>{@code metadata}: user metadata. Keys matching {@code [a-z][a-z0-9_]{0,63}} round-trip on every
 * backend; values are any Unicode string; at most {@value StorageMetadata#MAX_TOTAL_BYTES} UTF-8 bytes
 * of keys and values in total. Breaking a rule is an {@link InvalidMetadataException} before any
 * I/O.</li>
 * <li>{@code createOnly}: store only if no object exists under the key, atomically where the backend
 * declares {@link StorageCapability#CONDITIONAL_PUT}; otherwise
 * {@link ObjectAlreadyExistsException}.</li>
 * <li>{@code ifMatch}: store only if the current object's etag is this one, atomically (compare and
 * swap), where the backend declares {@link StorageCapability#CONDITIONAL_WRITE}; otherwise, or when no
 * object exists, {@link PreconditionFailedException}. Excludes {@code createOnly}.</li>
 * <li>{@code contentLength}: the body's length when the caller knows it, a hint that lets a backend
 * avoid a multipart upload; {@code -1} (the default) when unknown. A body of another length is an
 * error.</li>
 * <li>{@code checksum}: an algorithm to compute while the body streams and, optionally, the value the
 * content must have; a mismatch is a {@link ChecksumMismatchException} and nothing is stored. Needs
 * {@link StorageCapability#CHECKSUMS}. The value is returned in {@link StoredObject#checksums()}.</li>
 * </ul>
 */
public final class PutOptions {

	private static final PutOptions DEFAULTS = new PutOptions(null, Map.of(), false, null, -1, null);

	private final @Nullable String contentType;

	private final Map<String, String> metadata;

	private final boolean createOnly;

	private final @Nullable String ifMatch;

	private final long contentLength;

	private final @Nullable Checksum checksum;

	private PutOptions(@Nullable String contentType, Map<String, String> metadata, boolean createOnly,
			@Nullable String ifMatch, long contentLength, @Nullable Checksum checksum) {
		this.contentType = contentType;
		this.metadata = metadata;
		this.createOnly = createOnly;
		this.ifMatch = ifMatch;
		this.contentLength = contentLength;
		this.checksum = checksum;
	}

	/** No content type, no metadata, overwrite allowed, unknown length. */
	public static PutOptions defaults() {
		return DEFAULTS;
	}

	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		return new Builder().contentType(this.contentType)
			.metadata(this.metadata)
			.createOnly(this.createOnly)
			.ifMatch(this.ifMatch)
			.contentLength(this.contentLength)
			.checksum(this.checksum);
	}

	public @Nullable String contentType() {
		return this.contentType;
	}

	public Map<String, String> metadata() {
		return this.metadata;
	}

	/** Whether the put must fail if an object already exists (HTTP {@code If-None-Match: *}). */
	public boolean createOnly() {
		return this.createOnly;
	}

	/**
	 * The etag (as {@link StoredObject#etag()} gives it, without quotes) the current object must have
	 * for the put to replace it, or {@code null} for an unconditional put.
	 */
	public @Nullable String ifMatch() {
		return this.ifMatch;
	}

	/** The body's length in bytes, or {@code -1} when unknown. */
	public long contentLength() {
		return this.contentLength;
	}

	/** The checksum to compute (and verify, when it has an expected value), or {@code null}. */
	public @Nullable Checksum checksum() {
		return this.checksum;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof PutOptions that) && Objects.equals(this.contentType, that.contentType)
				&& this.metadata.equals(that.metadata) && this.createOnly == that.createOnly
				&& Objects.equals(this.ifMatch, that.ifMatch) && this.contentLength == that.contentLength
				&& Objects.equals(this.checksum, that.checksum);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.contentType, this.metadata, this.createOnly, this.ifMatch, this.contentLength,
				this.checksum);
	}

	@Override
	public String toString() {
		return "PutOptions[contentType=" + this.contentType + ", metadata=" + this.metadata.keySet()
				+ ", createOnly=" + this.createOnly + ", ifMatch=" + this.ifMatch + ", contentLength=" + this.contentLength + ", checksum=" + this.checksum + "]";
	}

	/**
	 * Builds {@link PutOptions}.
	 */
	public static final class Builder {

		private @Nullable String contentType;

		private final Map<String, String> metadata = new LinkedHashMap<>();

		private boolean createOnly;

		private @Nullable String ifMatch;

		private long contentLength = -1;

		private @Nullable Checksum checksum;

		private Builder() {
		}

		public Builder contentType(@Nullable String contentType) {
			this.contentType = (contentType != null && !contentType.isBlank()) ? contentType : null;
			return this;
		}

		/** Replace the metadata. */
		public Builder metadata(@Nullable Map<String, String> metadata) {
			this.metadata.clear();
			if (metadata != null) {
				metadata.forEach(this::metadata);
			}
			return this;
		}

		/** Add one metadata entry. */
		public Builder metadata(String key, String value) {
			Objects.requireNonNull(key, "metadata key must not be null");
			Objects.requireNonNull(value, () -> "metadata value of '" + key + "' must not be null");
			this.metadata.put(key, value);
			return this;
		}

		public Builder createOnly(boolean createOnly) {
			this.createOnly = createOnly;
			return this;
		}

		/** Same as {@link #createOnly(boolean) createOnly(true)}: HTTP {@code If-None-Match: *}. */
		public Builder ifNoneMatch() {
			return createOnly(true);
		}

		/**
		 * Replace the object only if its current etag is this one (compare and swap); {@code null} for an
		 * unconditional put.
		 */
		public Builder ifMatch(@Nullable String etag) {
			this.ifMatch = (etag != null && !etag.isEmpty()) ? etag : null;
			return this;
		}

		/**
		 * The body's length, or {@code -1} when unknown.
		 * @throws IllegalArgumentException if less than {@code -1}
		 */
		public Builder contentLength(long contentLength) {
			if (contentLength < -1) {
				throw new IllegalArgumentException("contentLength must be -1 (unknown) or positive: " + contentLength);
			}
			this.contentLength = contentLength;
			return this;
		}

		/** The checksum to compute and, when it has an expected value, verify; {@code null} for none. */
		public Builder checksum(@Nullable Checksum checksum) {
			this.checksum = checksum;
			return this;
		}

		/** Compute this algorithm's checksum while the body streams and report it. */
		public Builder checksum(ChecksumAlgorithm algorithm) {
			return checksum(Checksum.compute(algorithm));
		}

		/**
		 * Compute this algorithm's checksum and fail the put, storing nothing, unless it is {@code expected}.
		 * @param expected base64 of the digest (as RFC 9530 and S3 write it)
		 * @throws IllegalArgumentException if {@code expected} is not base64 of a digest of that algorithm
		 */
		public Builder checksum(ChecksumAlgorithm algorithm, String expected) {
			return checksum(Checksum.expect(algorithm, expected));
		}

		/**
		 * @throws IllegalArgumentException if both create-only and if-match are set
		 */
		public PutOptions build() {
			if (this.createOnly && this.ifMatch != null) {
				throw new IllegalArgumentException("A put cannot be both create-only and conditional on an etag");
			}
			Map<String, String> copy = this.metadata.isEmpty() ? Map.of()
					: Collections.unmodifiableMap(new LinkedHashMap<>(this.metadata));
			return new PutOptions(this.contentType, copy, this.createOnly, this.ifMatch, this.contentLength,
					this.checksum);
		}

	}

}
