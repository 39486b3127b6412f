package io.github.reactivestorage.transfer;

/**
 * When a transfer leaves an existing destination alone.
 */
public enum SkipRule {

	/** Always write the destination. */
	NEVER,

	/** Skip when the destination exists. */
	IF_EXISTS,

	/** Skip when the destination exists with the source's size. */
	IF_SAME_SIZE,

	/**
	 * Skip when the destination exists with the source's ETag. ETags are comparable only between mounts
	 * of the same backend class (an S3 ETag and a filesystem hash mean different things); between
	 * different backends, or when either side has no ETag, the object is copied.
	 */
	IF_SAME_ETAG

}
