package io.github.reactivestorage.azure;

import org.jspecify.annotations.Nullable;

/**
 * How to reach one Azure Blob Storage container. Exactly one way to authenticate is used, in this
 * order: the connection string; the account name with the account key; a SAS token (with the
 * endpoint or the account name); else the default Azure credential chain (needs
 * {@code com.azure:azure-identity} on the classpath) with the endpoint or the account name.
 *
 * @param container the container name
 * @param endpoint the blob service endpoint, e.g. {@code https://myaccount.blob.core.windows.net};
 * defaults to the account name's public endpoint
 * @param connectionString a storage connection string
 * @param accountName the storage account name
 * @param accountKey the storage account key (shared key)
 * @param sasToken a SAS token for the account or container
 * @param createContainer whether to create the container on first write when it does not exist
 * @param blockSize the size of the blocks of a streamed upload, in bytes
 * @param maxConcurrency how many blocks of one upload are in flight at once
 */
public record AzureBlobSettings(String container, @Nullable String endpoint, @Nullable String connectionString,
		@Nullable String accountName, @Nullable String accountKey, @Nullable String sasToken, boolean createContainer,
		long blockSize, int maxConcurrency) {

	/** The default block size of streamed uploads: 4 MiB. */
	public static final long DEFAULT_BLOCK_SIZE = 4L * 1024 * 1024;

	/** The default number of blocks of one upload in flight. */
	public static final int DEFAULT_MAX_CONCURRENCY = 4;

	public AzureBlobSettings {
		if (container == null || container.isBlank()) {
			throw new IllegalArgumentException("An Azure container name is required");
		}
		if (blockSize <= 0) {
			throw new IllegalArgumentException("blockSize must be positive: " + blockSize);
		}
		if (maxConcurrency <= 0) {
			throw new IllegalArgumentException("maxConcurrency must be positive: " + maxConcurrency);
		}
	}

	/** Settings from a connection string, with default upload tuning. */
	public static AzureBlobSettings ofConnectionString(String connectionString, String container) {
		return new AzureBlobSettings(container, null, connectionString, null, null, null, false, DEFAULT_BLOCK_SIZE,
				DEFAULT_MAX_CONCURRENCY);
	}

	/** These settings, creating the container on demand or not. */
	public AzureBlobSettings withCreateContainer(boolean create) {
		return new AzureBlobSettings(this.container, this.endpoint, this.connectionString, this.accountName,
				this.accountKey, this.sasToken, create, this.blockSize, this.maxConcurrency);
	}

	/** These settings with other upload tuning. */
	public AzureBlobSettings withUploads(long blockSize, int maxConcurrency) {
		return new AzureBlobSettings(this.container, this.endpoint, this.connectionString, this.accountName,
				this.accountKey, this.sasToken, this.createContainer, blockSize, maxConcurrency);
	}

	@Override
	public String toString() {
		return "AzureBlobSettings[container=" + this.container + ", endpoint=" + this.endpoint + ", accountName="
				+ this.accountName + ", createContainer=" + this.createContainer + "]";
	}

}
