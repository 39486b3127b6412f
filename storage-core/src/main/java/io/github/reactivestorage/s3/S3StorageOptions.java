package io.github.reactivestorage.s3;

/**
 * How an {@link S3Storage} uploads.
 *
 * @param multipartThreshold bodies that fit in one part and are smaller than this are sent in one
 * PutObject
 * @param partSize the size of each part of a multipart upload (S3's minimum is 5 MiB except the last)
 * @param maxPartsInFlight how many parts upload at once
 * @param encryption the server-side encryption every request carries
 */
public record S3StorageOptions(long multipartThreshold, int partSize, int maxPartsInFlight,
		S3ServerSideEncryption encryption) {

	/** 8 MiB threshold and parts, 4 parts in flight. */
	public static final S3StorageOptions DEFAULTS = new S3StorageOptions(8L * 1024 * 1024, 8 * 1024 * 1024, 4);

	/** Options without server-side encryption settings (the bucket's default applies). */
	public S3StorageOptions(long multipartThreshold, int partSize, int maxPartsInFlight) {
		this(multipartThreshold, partSize, maxPartsInFlight, S3ServerSideEncryption.NONE);
	}

	/** These options with this encryption. */
	public S3StorageOptions withEncryption(S3ServerSideEncryption encryption) {
		return new S3StorageOptions(this.multipartThreshold, this.partSize, this.maxPartsInFlight, encryption);
	}

	public S3StorageOptions {
		java.util.Objects.requireNonNull(encryption, "encryption must not be null");
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
