package io.github.reactivestorage.azure;

import java.util.Set;

import com.azure.storage.blob.BlobContainerAsyncClient;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.conformance.KnownLimitation;
import io.github.reactivestorage.conformance.StorageConformanceTests;
import io.github.reactivestorage.conformance.StorageTestContext;

/**
 * The conformance kit against the Azure backend on Azurite (npm), a container per test.
 */
@ExtendWith(AzuriteExtension.class)
class AzureBlobStorageConformanceTests extends StorageConformanceTests {

	@Override
	protected ReactiveStorage createStorage(StorageTestContext context) {
		AzureBlobSettings settings = AzureBlobSettings
			.ofConnectionString(AzuriteExtension.server().connectionString(), context.uniqueId())
			.withUploads(256 * 1024, 2);
		BlobContainerAsyncClient container = AzureBlobClients.containerClient(settings);
		container.create().block();
		return new AzureBlobStorage(context.mountName(), container, context.bufferFactory(), settings.blockSize(),
				settings.maxConcurrency(), false);
	}

	@Override
	protected Set<KnownLimitation> knownLimitations() {
		return Set.of(KnownLimitation.BACKSLASH_IS_SLASH);
	}

}
