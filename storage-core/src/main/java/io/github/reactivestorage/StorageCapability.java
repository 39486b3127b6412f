package io.github.reactivestorage;

/**
 * What a backend can do beyond reading. Every backend reads ({@code get}, {@code info},
 * {@code exists}); the rest is declared through {@link ReactiveStorage#capabilities()}. An operation
 * whose capability is missing fails with {@link UnsupportedStorageOperationException} (or, for writes
 * on a read-only mount, {@link StoragePermissionException}) before any I/O.
 */
public enum StorageCapability {

	/** {@code put}, {@code delete}, {@code copy} and {@code move}. Missing on read-only mounts. */
	WRITE,

	/** {@code list}. */
	LIST,

	/** {@code list} with a delimiter, returning common prefixes. */
	DELIMITER_LIST,

	/** {@code get(key, ByteRange)} served by the backend without reading the skipped bytes. */
	RANGE_READ,

	/** Create-only {@code put} ({@link PutOptions#createOnly()}) checked atomically. */
	CONDITIONAL_PUT,

	/**
	 * Compare-and-swap writes: {@link PutOptions#ifMatch()} and {@link DeleteOptions#ifMatch()} checked
	 * atomically against the current object's etag.
	 */
	CONDITIONAL_WRITE,

	/** {@code copy} without moving the bytes through this JVM. */
	SERVER_SIDE_COPY,

	/** {@code url} for GET (a signed URL, a public URL, a {@code file:} or {@code memory:} URI). */
	URL_GET,

	/** {@code url} for PUT: a URL a plain HTTP client can upload to. */
	URL_PUT,

	/**
	 * {@code postPolicy}: a signed form a browser posts a file with straight to the backend, which
	 * enforces its key or prefix, size range, content type and metadata.
	 */
	POST_POLICY,

	/** User metadata stored and returned by {@code info}. */
	USER_METADATA,

	/**
	 * Checksums of {@code put} ({@link PutOptions#checksum()}): computed while the body streams, a
	 * mismatch with the expected value stores nothing ({@link ChecksumMismatchException}).
	 */
	CHECKSUMS

}
