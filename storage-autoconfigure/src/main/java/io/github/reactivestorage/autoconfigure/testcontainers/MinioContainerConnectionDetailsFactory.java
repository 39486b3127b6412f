package io.github.reactivestorage.autoconfigure.testcontainers;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.MinIOContainer;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

import io.github.reactivestorage.autoconfigure.service.S3ConnectionDetails;
import io.github.reactivestorage.autoconfigure.service.StorageConnectionDetails;

/**
 * {@link S3ConnectionDetails} from a {@code @ServiceConnection} {@link MinIOContainer}.
 */
class MinioContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<MinIOContainer, S3ConnectionDetails> {

	MinioContainerConnectionDetailsFactory() {
		super(ANY_CONNECTION_NAME, "software.amazon.awssdk.services.s3.S3AsyncClient");
	}

	@Override
	protected S3ConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<MinIOContainer> source) {
		return new MinioConnectionDetails(source);
	}

	static final class MinioConnectionDetails extends ContainerConnectionDetails<MinIOContainer>
			implements S3ConnectionDetails {

		MinioConnectionDetails(ContainerConnectionSource<MinIOContainer> source) {
			super(source);
		}

		@Override
		public URI endpoint() {
			return URI.create(getContainer().getS3URL());
		}

		@Override
		public String region() {
			return "us-east-1";
		}

		@Override
		public String accessKeyId() {
			return getContainer().getUserName();
		}

		@Override
		public String secretAccessKey() {
			return getContainer().getPassword();
		}

		@Override
		public @Nullable String mount() {
			return getContainer().getLabels().get(StorageConnectionDetails.MOUNT_LABEL);
		}

	}

}
