package io.github.reactivestorage.azure;

import java.util.Set;

import com.azure.storage.blob.BlobContainerAsyncClient;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.conformance.KnownLimitation;
import io.github.reactivestorage.conformance.StorageConformanceTests;
import io.github.reactivestorage.conformance.StorageTestContext;

/**
 * The conformance kit against the Azurite image, where Docker is available.
 */
@Testcontainers(disabledWithoutDocker = true)
class AzureBlobStorageAzuriteContainerTests extends StorageConformanceTests {

	@Container
	static final GenericContainer<?> azurite = new GenericContainer<>("mcr.microsoft.com/azure-storage/azurite:3.35.0")
		.withCommand("azurite-blob", "--blobHost", "0.0.0.0", "--blobPort", "10000", "--inMemoryPersistence",
				"--skipApiVersionCheck", "--disableTelemetry")
		.withExposedPorts(10000)
		.waitingFor(Wait.forListeningPort());

	@Override
	protected ReactiveStorage createStorage(StorageTestContext context) {
		String connectionString = "DefaultEndpointsProtocol=http;AccountName=" + AzuriteServer.ACCOUNT + ";AccountKey="
				+ AzuriteServer.KEY + ";BlobEndpoint=http://" + azurite.getHost() + ":" + azurite.getMappedPort(10000)
				+ "/" + AzuriteServer.ACCOUNT + ";";
		AzureBlobSettings settings = AzureBlobSettings.ofConnectionString(connectionString, context.uniqueId())
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
