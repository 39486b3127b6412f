package io.github.reactivestorage.autoconfigure.testcontainers;

import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.GenericContainer;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

import io.github.reactivestorage.autoconfigure.service.AzureBlobConnectionDetails;
import io.github.reactivestorage.autoconfigure.service.StorageConnectionDetails;

/**
 * {@link AzureBlobConnectionDetails} from a {@code @ServiceConnection} container of the
 * {@code mcr.microsoft.com/azure-storage/azurite} image (blob port 10000), with Azurite's well-known
 * development account.
 */
class AzuriteContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<GenericContainer<?>, AzureBlobConnectionDetails> {

	/** Azurite's documented development account key (public, not a secret). */
	static final String DEV_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

	static final int BLOB_PORT = 10000;

	AzuriteContainerConnectionDetailsFactory() {
		super("azure-storage/azurite", "com.azure.storage.blob.BlobContainerAsyncClient");
	}

	@Override
	protected AzureBlobConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<GenericContainer<?>> source) {
		return new AzuriteConnectionDetails(source);
	}

	static final class AzuriteConnectionDetails extends ContainerConnectionDetails<GenericContainer<?>>
			implements AzureBlobConnectionDetails {

		AzuriteConnectionDetails(ContainerConnectionSource<GenericContainer<?>> source) {
			super(source);
		}

		@Override
		public String connectionString() {
			GenericContainer<?> container = getContainer();
			String endpoint = "http://" + container.getHost() + ":" + container.getMappedPort(BLOB_PORT)
					+ "/devstoreaccount1";
			return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + DEV_ACCOUNT_KEY
					+ ";BlobEndpoint=" + endpoint + ";";
		}

		@Override
		public @Nullable String mount() {
			return getContainer().getLabels().get(StorageConnectionDetails.MOUNT_LABEL);
		}

	}

}
