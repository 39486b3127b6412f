package io.github.reactivestorage.s3;

/**
 * How an {@link S3Storage} uploads.
 *
 * @param multipartThreshold bodies that fit in one part and are smaller than this are sent in one
 * PutObject
 * @param partSize the size of each part of a multipart upload (S3's minimum is 5 MiB except the last)
 * @param maxPartsInFlight how many parts upload at once
 */
public record S3StorageOptions(long multipartThreshold, int partSize, int maxPartsInFlight) {

	/** 8 MiB threshold and parts, 4 parts in flight. */
	public static final S3StorageOptions DEFAULTS = new S3StorageOptions(8L * 1024 * 1024, 8 * 1024 * 1024, 4);

	public S3StorageOptions {
		if (partSize < 5 * 1024 * 1024) {
			throw new IllegalArgumentException("partSize must be at least 5 MiB (S3's minimum part size): " + partSize);
		}
		if (maxPartsInFlight < 1) {
			throw new IllegalArgumentException("maxPartsInFlight must be at least 1: " + maxPartsInFlight);
		}
		if (multipartThreshold < 0) {
			throw new IllegalArgumentException("multipartThreshold must not be negative: " + multipartThreshold);
		}
	}

}
