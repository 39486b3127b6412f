package io.github.reactivestorage;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What a backend knows about one stored object, or a common prefix in a delimited listing.
 * Immutable. {@code metadata} is never {@code null}; listed entries may carry empty metadata (S3
 * lists do not return it: use {@link ReactiveStorage#info(String)}). A common-prefix entry
 * ({@link #isPrefix()}) has size 0 and no content type, etag or last-modified time.
 *
 * @param key the key as the user of the mount sees it (for a prefix entry, ending with the delimiter)
 * @param size the size in bytes
 * @param contentType the media type, or {@code null} where unknown (prefix entries)
 * @param etag an opaque version tag that changes when the content changes, or {@code null}
 * @param lastModified when the object was last written, or {@code null}
 * @param metadata user metadata, never {@code null}
 * @param prefix whether this entry is a common prefix of a delimited listing
 * @param checksums the checksums of the content the backend knows, keyed by
 * {@link ChecksumAlgorithm#token()} ({@code sha-256}, {@code crc32c}, {@code md5}), values in base64;
 * never {@code null}, often empty (a backend reports what it keeps, a put what it computed)
 */
public record StoredObject(String key, long size, @Nullable String contentType, @Nullable String etag,
		@Nullable Instant lastModified, Map<String, String> metadata, boolean prefix, Map<String, String> checksums) {

	public StoredObject {
		Objects.requireNonNull(key, "key must not be null");
		if (size < 0) {
			throw new IllegalArgumentException("size must not be negative");
		}
		metadata = (metadata == null || metadata.isEmpty()) ? Map.of()
				: Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
		checksums = (checksums == null || checksums.isEmpty()) ? Map.of()
				: Collections.unmodifiableMap(new LinkedHashMap<>(checksums));
	}

	/** An entry without checksums. */
	public StoredObject(String key, long size, @Nullable String contentType, @Nullable String etag,
			@Nullable Instant lastModified, Map<String, String> metadata, boolean prefix) {
		this(key, size, contentType, etag, lastModified, metadata, prefix, Map.of());
	}

	/**
	 * This entry with these checksums added to (and replacing the same algorithms of) its own.
	 */
	public StoredObject withChecksums(Map<String, String> more) {
		if (more.isEmpty()) {
			return this;
		}
		Map<String, String> merged = new LinkedHashMap<>(this.checksums);
		merged.putAll(more);
		return new StoredObject(this.key, this.size, this.contentType, this.etag, this.lastModified, this.metadata,
				this.prefix, merged);
	}

	/**
	 * A common-prefix entry of a delimited listing.
	 */
	public static StoredObject ofPrefix(String prefix) {
		return new StoredObject(prefix, 0, null, null, null, Map.of(), true);
	}

	/**
	 * Start building an object entry.
	 */
	public static Builder builder(String key) {
		return new Builder(key);
	}

	/**
	 * Whether this entry is a common prefix of a delimited listing.
	 */
	public boolean isPrefix() {
		return this.prefix;
	}

	/**
	 * This entry under another key (used by decorators that translate keys).
	 */
	public StoredObject withKey(String newKey) {
		return new StoredObject(newKey, this.size, this.contentType, this.etag, this.lastModified, this.metadata,
				this.prefix, this.checksums);
	}

	/**
	 * A builder initialised from this entry.
	 */
	public Builder toBuilder() {
		return new Builder(this.key).size(this.size)
			.contentType(this.contentType)
			.etag(this.etag)
			.lastModified(this.lastModified)
			.metadata(this.metadata)
			.checksums(this.checksums);
	}

	/**
	 * Builds {@link StoredObject} entries for objects.
	 */
	public static final class Builder {

		private String key;

		private long size;

		private @Nullable String contentType;

		private @Nullable String etag;

		private @Nullable Instant lastModified;

		private Map<String, String> metadata = Map.of();

		private Map<String, String> checksums = Map.of();

		private Builder(String key) {
			this.key = key;
		}

		public Builder key(String key) {
			this.key = key;
			return this;
		}

		public Builder size(long size) {
			this.size = size;
			return this;
		}

		public Builder contentType(@Nullable String contentType) {
			this.contentType = contentType;
			return this;
		}

		public Builder etag(@Nullable String etag) {
			this.etag = etag;
			return this;
		}

		public Builder lastModified(@Nullable Instant lastModified) {
			this.lastModified = lastModified;
			return this;
		}

		public Builder metadata(@Nullable Map<String, String> metadata) {
			this.metadata = (metadata != null) ? metadata : Map.of();
			return this;
		}

		/** Checksums keyed by {@link ChecksumAlgorithm#token()}, base64 values. */
		public Builder checksums(@Nullable Map<String, String> checksums) {
			this.checksums = (checksums != null) ? checksums : Map.of();
			return this;
		}

		public StoredObject build() {
			return new StoredObject(this.key, this.size, this.contentType, this.etag, this.lastModified,
					this.metadata, false, this.checksums);
		}

	}

}
