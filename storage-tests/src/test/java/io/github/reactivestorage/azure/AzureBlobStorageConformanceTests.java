package io.github.reactivestorage.azure;

import java.util.Set;

import com.azure.storage.blob.BlobContainerAsyncClient;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.conformance.KnownLimitation;
import io.github.reactivestorage.conformance.StorageConformanceTests;
import io.github.reactivestorage.conformance.StorageTestContext;

/**
 * The conformance kit against the Azure backend on Azurite (npm), a container per test, created on
 * the first write.
 */
@ExtendWith(AzuriteExtension.class)
class AzureBlobStorageConformanceTests extends StorageConformanceTests {

	@Override
	protected ReactiveStorage createStorage(StorageTestContext context) {
		AzureBlobSettings settings = AzureBlobSettings
			.ofConnectionString(AzuriteExtension.server().connectionString(), context.uniqueId())
			.withUploads(256 * 1024, 2)
			.withCreateContainer(true);
		BlobContainerAsyncClient container = AzureBlobClients.containerClient(settings);
		return new AzureBlobStorage(context.mountName(), container, context.bufferFactory(), settings.blockSize(),
				settings.maxConcurrency(), settings.createContainer());
	}

	@Override
	protected Set<KnownLimitation> knownLimitations() {
		return Set.of(KnownLimitation.BACKSLASH_IS_SLASH);
	}

}
