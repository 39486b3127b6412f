package io.github.reactivestorage.conformance;

/**
 * Gaps of a test server (a fake or emulator), not of the backend: a conformance test class declares
 * them through {@link StorageConformanceTests#knownLimitations()} and the cases that need the missing
 * behaviour are skipped (reported as skipped with the limitation's name, never as passed). The backend
 * code for them must still be written for the real service.
 */
public enum KnownLimitation {

	/** The server lists keys in no particular order. */
	UNORDERED_LISTING,

	/** The server returns a whole listing in one page (no page tokens / continuation). */
	NO_LIST_PAGING,

	/** The server drops user metadata or content type on a server-side copy. */
	COPY_DROPS_METADATA,

	/** The server ignores preconditions such as create-only (If-None-Match: *). */
	NO_PRECONDITIONS,

	/** The server returns no etag, or one that does not change with the content. */
	NO_ETAG,

	/**
	 * The server checks a write's {@code If-Match} (or generation) condition and then writes, as two
	 * steps (S3Proxy's filesystem stores do; Google's in-process {@code LocalStorageHelper} checks when
	 * an upload opens and ignores it on delete), so concurrent conditional writers may all succeed. The
	 * sequential conditional-write cases still run; the racing ones are skipped.
	 */
	NON_ATOMIC_CONDITIONAL_WRITE,

	/**
	 * The server checks a conditional upload's precondition when the upload starts, not when the object
	 * is published (Google's in-process {@code LocalStorageHelper} does), so a write landing while the
	 * body streams is overwritten; the case checking that is skipped.
	 */
	CONDITION_CHECKED_WHEN_UPLOAD_STARTS,

	/** The server cannot check signed URLs (they cannot be fetched over HTTP in the test). */
	NO_SIGNED_URL_FETCH,

	/**
	 * The store turns a backslash in a key into a forward slash (Azure Blob Storage and Azurite do), so
	 * the backend rejects such keys; the valid-key cases with a backslash are skipped.
	 */
	BACKSLASH_IS_SLASH,

	/**
	 * The server makes an object visible as soon as an upload starts, before its bytes are committed
	 * (Google's in-process {@code LocalStorageHelper} does), so a failed or cancelled upload leaves an
	 * entry behind. The cases checking that such uploads store nothing still check the error, then
	 * are skipped before the "nothing stored" assertion.
	 */
	UPLOAD_VISIBLE_BEFORE_COMMIT,

	/**
	 * The server's upload path takes the object name from an upload URL that it does not encode and
	 * then decodes it (Google's in-process {@code LocalStorageHelper} does), so keys holding
	 * {@code %}, {@code ?} or {@code #} are stored under another name; the valid-key cases with those
	 * characters are skipped.
	 */
	UPLOAD_NAME_NOT_ENCODED,

	/**
	 * The store compares keys without case, as the file system under it does (a filesystem mount on a
	 * case-insensitive root: macOS, Windows): keys that differ only in case name one object. The cases
	 * that need two such keys are skipped; the backend's own tests check what it does instead.
	 */
	CASE_INSENSITIVE_KEYS,

	/**
	 * The store normalises Unicode in keys, as the file system under it does (macOS): composed and
	 * decomposed spellings name one object; the case that tells them apart is skipped.
	 */
	UNICODE_NORMALISED_KEYS,

	/**
	 * The store refuses keys that Windows cannot name as files ({@code \ : * ? " < > |}, segments
	 * ending in a dot or a space, device names such as {@code CON}), with {@code InvalidKeyException}:
	 * the valid-key cases holding them are skipped.
	 */
	WINDOWS_FILE_NAMES

}
