package io.github.reactivestorage.autoconfigure;

import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/**
 * Customizes the {@link S3AsyncClientBuilder} of an {@code s3} mount before its client is built.
 */
@FunctionalInterface
public interface S3ClientCustomizer {

	void customize(String mountName, S3AsyncClientBuilder builder);

}
