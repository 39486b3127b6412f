package io.github.reactivestorage.autoconfigure.service;

import java.net.URI;

/**
 * Connection details of an S3-compatible store (MinIO in tests). Mounts of type {@code s3} use them
 * instead of their {@code endpoint}, {@code region} and static keys; {@code bucket} stays a property.
 */
public interface S3ConnectionDetails extends StorageConnectionDetails {

	URI endpoint();

	String region();

	String accessKeyId();

	String secretAccessKey();

	/** Whether to address buckets in the path (always for MinIO). */
	default boolean pathStyle() {
		return true;
	}

}
