package io.github.reactivestorage.autoconfigure;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.autoconfigure.service.S3ConnectionDetails;
import io.github.reactivestorage.autoconfigure.service.StorageConnectionDetails;
import io.github.reactivestorage.s3.S3ClientSettings;
import io.github.reactivestorage.s3.S3ServerSideEncryption;
import io.github.reactivestorage.s3.S3Storage;
import io.github.reactivestorage.s3.S3StorageOptions;

/**
 * Builds {@code type: s3} mounts. Each mount gets its own client and presigner from its properties
 * (or from {@link S3ConnectionDetails}, e.g. a MinIO container), customized by
 * {@link S3ClientCustomizer} beans, and closed with the mount; an application-defined
 * {@link S3AsyncClient} bean is used instead of building one (and not closed by the mount).
 */
class S3BackendFactory implements StorageBackendFactory {

	private final List<S3ClientCustomizer> customizers;

	private final @Nullable S3AsyncClient sharedClient;

	private final List<S3ConnectionDetails> connectionDetails;

	S3BackendFactory(List<S3ClientCustomizer> customizers, @Nullable S3AsyncClient sharedClient,
			List<S3ConnectionDetails> connectionDetails) {
		this.customizers = customizers;
		this.sharedClient = sharedClient;
		this.connectionDetails = connectionDetails;
	}

	@Override
	public String type() {
		return "s3";
	}

	/** The mount's server-side encryption; a bad setting fails start-up naming the property, never the key. */
	static S3ServerSideEncryption encryption(String name, MountProperties properties) {
		String mode = properties.getServerSideEncryption();
		String prefix = "storage.mounts." + name + ".";
		if (mode == null || mode.isBlank()) {
			if (properties.getCustomerKey() != null || properties.getKmsKeyId() != null) {
				throw new MountConfigurationException(prefix + "customer-key and kms-key-id need " + prefix
						+ "server-side-encryption", "Set " + prefix + "server-side-encryption to sse-c or sse-kms.");
			}
			return S3ServerSideEncryption.NONE;
		}
		try {
			return switch (mode.strip().toLowerCase(java.util.Locale.ROOT)) {
				case "sse-s3", "aes256" -> S3ServerSideEncryption.s3Managed();
				case "sse-kms", "aws:kms" -> S3ServerSideEncryption.kms(properties.getKmsKeyId(),
						properties.isBucketKeyEnabled());
				case "sse-c" -> S3ServerSideEncryption.customerKey(properties.getCustomerKey());
				default -> throw new MountConfigurationException(
						prefix + "server-side-encryption must be sse-s3, sse-kms or sse-c, not '" + mode + "'",
						"Set " + prefix + "server-side-encryption to sse-s3, sse-kms or sse-c.");
			};
		}
		catch (IllegalArgumentException ex) {
			// the message of S3ServerSideEncryption never contains the key
			throw new MountConfigurationException(prefix + "server-side-encryption " + mode + ": " + ex.getMessage(),
					"Set " + prefix + "customer-key to the base64 of 32 random bytes (sse-c), or remove it.");
		}
	}

	@Override
	public ReactiveStorage create(String name, MountProperties properties) {
		if (properties.getBucket() == null || properties.getBucket().isBlank()) {
			throw MountConfigurationException.missing(name, "bucket", "s3");
		}
		long partSize = properties.getPartSize().toBytes();
		if (partSize < 5L * 1024 * 1024 || partSize > Integer.MAX_VALUE) {
			throw new MountConfigurationException(
					"storage.mounts." + name + ".part-size must be between 5MB and 2GB, not " + properties.getPartSize(),
					"Set storage.mounts." + name + ".part-size to at least 5MB.");
		}
		S3StorageOptions options = new S3StorageOptions(properties.getMultipartThreshold().toBytes(), (int) partSize, 4,
				encryption(name, properties));
		S3ClientSettings settings = settings(name, properties);
		S3Presigner presigner = settings.presigner();
		if (this.sharedClient != null) {
			return new S3Storage(name, this.sharedClient, presigner, properties.getBucket(), options,
					DefaultDataBufferFactory.sharedInstance, presigner);
		}
		S3AsyncClientBuilder builder = settings.clientBuilder();
		this.customizers.forEach(customizer -> customizer.customize(name, builder));
		S3AsyncClient client = builder.build();
		return new S3Storage(name, client, presigner, properties.getBucket(), options,
				DefaultDataBufferFactory.sharedInstance, () -> {
					client.close();
					if (presigner != null) {
						presigner.close();
					}
				});
	}

	private S3ClientSettings settings(String name, MountProperties properties) {
		Optional<S3ConnectionDetails> details = StorageConnectionDetails.select(this.connectionDetails, name);
		if (details.isPresent()) {
			S3ConnectionDetails connection = details.get();
			return new S3ClientSettings(connection.region(), connection.endpoint(), connection.pathStyle(),
					connection.accessKeyId(), connection.secretAccessKey(), null, null, false,
					properties.getConnectTimeout(), properties.getReadTimeout());
		}
		URI endpoint = (properties.getEndpoint() != null && !properties.getEndpoint().isBlank())
				? URI.create(properties.getEndpoint()) : null;
		if ((properties.getAccessKeyId() == null) != (properties.getSecretAccessKey() == null)) {
			throw new MountConfigurationException(
					"Mount '" + name + "' sets only one of access-key-id and secret-access-key",
					"Set both storage.mounts." + name + ".access-key-id and storage.mounts." + name
							+ ".secret-access-key, or neither to use the default credentials chain.");
		}
		return new S3ClientSettings(properties.getRegion(), endpoint, properties.isPathStyle(),
				properties.getAccessKeyId(), properties.getSecretAccessKey(), properties.getSessionToken(),
				properties.getProfile(), properties.isAnonymous(), properties.getConnectTimeout(),
				properties.getReadTimeout());
	}

}
