package io.github.reactivestorage.autoconfigure;

import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/**
 * Customizes the {@link S3AsyncClientBuilder} of each {@code s3} mount (HTTP client, retry policy,
 * checksums, overrides...), after the mount's properties are applied. Declare one or more as beans;
 * they run in order. Not applied when the mount uses the application's own {@code S3AsyncClient}
 * bean.
 */
@FunctionalInterface
public interface S3ClientBuilderCustomizer {

	/**
	 * @param mountName the mount the client is for
	 * @param builder the builder, with region, endpoint, path style and credentials set
	 */
	void customize(String mountName, S3AsyncClientBuilder builder);

}
