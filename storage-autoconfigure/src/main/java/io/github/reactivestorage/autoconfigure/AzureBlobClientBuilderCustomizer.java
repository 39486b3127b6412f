package io.github.reactivestorage.autoconfigure;

import com.azure.storage.blob.BlobContainerClientBuilder;

/**
 * Customizes the {@link BlobContainerClientBuilder} of each {@code azure} mount (HTTP client, retry
 * options, service version...), after the mount's properties are applied. Declare one or more as
 * beans; they run in order.
 */
@FunctionalInterface
public interface AzureBlobClientBuilderCustomizer {

	/**
	 * @param mountName the mount the client is for
	 * @param builder the builder, with endpoint, container and credentials set
	 */
	void customize(String mountName, BlobContainerClientBuilder builder);

}
