package io.github.reactivestorage.autoconfigure.testcontainers;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.GenericContainer;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

import io.github.reactivestorage.autoconfigure.service.GcsConnectionDetails;
import io.github.reactivestorage.autoconfigure.service.StorageConnectionDetails;

/**
 * {@link GcsConnectionDetails} from a {@code @ServiceConnection} container of the
 * {@code fsouza/fake-gcs-server} image (port 4443; start it with {@code -scheme http}).
 */
class FakeGcsServerContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<GenericContainer<?>, GcsConnectionDetails> {

	static final int PORT = 4443;

	FakeGcsServerContainerConnectionDetailsFactory() {
		super("fsouza/fake-gcs-server", "com.google.cloud.storage.Storage");
	}

	@Override
	protected GcsConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<GenericContainer<?>> source) {
		return new FakeGcsServerConnectionDetails(source);
	}

	static final class FakeGcsServerConnectionDetails extends ContainerConnectionDetails<GenericContainer<?>>
			implements GcsConnectionDetails {

		FakeGcsServerConnectionDetails(ContainerConnectionSource<GenericContainer<?>> source) {
			super(source);
		}

		@Override
		public URI endpoint() {
			GenericContainer<?> container = getContainer();
			return URI.create("http://" + container.getHost() + ":" + container.getMappedPort(PORT));
		}

		@Override
		public String project() {
			return "test-project";
		}

		@Override
		public @Nullable String mount() {
			return getContainer().getLabels().get(StorageConnectionDetails.MOUNT_LABEL);
		}

	}

}
