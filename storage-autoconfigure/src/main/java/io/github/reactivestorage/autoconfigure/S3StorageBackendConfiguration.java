package io.github.reactivestorage.autoconfigure;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.util.StringUtils;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.autoconfigure.service.S3ConnectionDetails;
import io.github.reactivestorage.autoconfigure.service.StorageConnectionDetails;
import io.github.reactivestorage.s3.S3ClientSettings;
import io.github.reactivestorage.s3.S3Storage;
import io.github.reactivestorage.s3.S3StorageOptions;

/**
 * The {@code s3} backend factory, active when the AWS SDK's {@code s3} module is on the classpath.
 * Clients come, in this order, from a service connection ({@link S3ConnectionDetails}), the
 * application's own {@link S3AsyncClient} bean (when the mount sets no endpoint, keys, profile or
 * anonymous access; URLs are then signed by its {@link S3Presigner} bean if there is one), or the
 * mount's properties, in which case {@link S3ClientBuilderCustomizer} beans tune the builder and
 * the mount owns (and closes) the client.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(S3AsyncClient.class)
class S3StorageBackendConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "s3StorageBackendFactory")
	StorageBackendFactory s3StorageBackendFactory(ObjectProvider<S3AsyncClient> client,
			ObjectProvider<S3Presigner> presigner, ObjectProvider<S3ClientBuilderCustomizer> customizers,
			ObjectProvider<S3ConnectionDetails> connectionDetails) {
		return new S3StorageBackendFactory(client, presigner, customizers, connectionDetails);
	}

	/**
	 * Builds {@link S3Storage} mounts.
	 */
	static class S3StorageBackendFactory implements StorageBackendFactory {

		private final ObjectProvider<S3AsyncClient> client;

		private final ObjectProvider<S3Presigner> presigner;

		private final ObjectProvider<S3ClientBuilderCustomizer> customizers;

		private final ObjectProvider<S3ConnectionDetails> connectionDetails;

		S3StorageBackendFactory(ObjectProvider<S3AsyncClient> client, ObjectProvider<S3Presigner> presigner,
				ObjectProvider<S3ClientBuilderCustomizer> customizers,
				ObjectProvider<S3ConnectionDetails> connectionDetails) {
			this.client = client;
			this.presigner = presigner;
			this.customizers = customizers;
			this.connectionDetails = connectionDetails;
		}

		@Override
		public String type() {
			return "s3";
		}

		@Override
		public ReactiveStorage create(String name, MountProperties properties) {
			String bucket = properties.getBucket();
			if (!StringUtils.hasText(bucket)) {
				throw new MountConfigurationException("S3 mount '" + name + "' has no bucket",
						"Set storage.mounts." + name + ".bucket to the bucket's name.");
			}
			S3StorageOptions options = options(name, properties);
			List<S3ConnectionDetails> details = this.connectionDetails.orderedStream().toList();
			S3ConnectionDetails connection = StorageConnectionDetails.select(details, name).orElse(null);
			if (connection == null && !configuresClient(properties)) {
				S3AsyncClient userClient = this.client.getIfUnique();
				if (userClient != null) {
					return new S3Storage(name, userClient, this.presigner.getIfUnique(), bucket, options,
							DefaultDataBufferFactory.sharedInstance, null);
				}
			}
			S3ClientSettings settings = (connection != null) ? fromConnection(connection, properties)
					: settings(name, properties);
			S3AsyncClientBuilder builder = settings.clientBuilder();
			this.customizers.orderedStream().forEach(customizer -> customizer.customize(name, builder));
			S3AsyncClient client = builder.build();
			S3Presigner presigner = settings.presigner();
			AutoCloseable onClose = () -> {
				client.close();
				if (presigner != null) {
					presigner.close();
				}
			};
			return new S3Storage(name, client, presigner, bucket, options, DefaultDataBufferFactory.sharedInstance,
					onClose);
		}

		private static boolean configuresClient(MountProperties properties) {
			return StringUtils.hasText(properties.getEndpoint()) || StringUtils.hasText(properties.getAccessKeyId())
					|| StringUtils.hasText(properties.getProfile()) || properties.isAnonymous();
		}

		private static S3StorageOptions options(String name, MountProperties properties) {
			long partSize = properties.getPartSize().toBytes();
			if (partSize < 5L * 1024 * 1024 || partSize > Integer.MAX_VALUE) {
				throw new MountConfigurationException(
						"S3 mount '" + name + "' has a part-size of " + partSize + " bytes",
						"Set storage.mounts." + name + ".part-size between 5MB (S3's minimum) and 2GB.");
			}
			return new S3StorageOptions(properties.getMultipartThreshold().toBytes(), (int) partSize, 4);
		}

		private static S3ClientSettings settings(String name, MountProperties properties) {
			boolean hasKey = StringUtils.hasText(properties.getAccessKeyId());
			boolean hasSecret = StringUtils.hasText(properties.getSecretAccessKey());
			if (hasKey != hasSecret) {
				throw new MountConfigurationException(
						"S3 mount '" + name + "' has only one of access-key-id and secret-access-key",
						"Set both storage.mounts." + name + ".access-key-id and secret-access-key, or neither to "
								+ "use the default credentials chain.");
			}
			return new S3ClientSettings(text(properties.getRegion()), endpoint(name, properties.getEndpoint()),
					properties.isPathStyle(), text(properties.getAccessKeyId()),
					text(properties.getSecretAccessKey()), text(properties.getSessionToken()),
					text(properties.getProfile()), properties.isAnonymous(), properties.getConnectTimeout(),
					properties.getReadTimeout());
		}

		private static S3ClientSettings fromConnection(S3ConnectionDetails connection, MountProperties properties) {
			return new S3ClientSettings(connection.region(), connection.endpoint(), connection.pathStyle(),
					connection.accessKeyId(), connection.secretAccessKey(), null, null, false,
					properties.getConnectTimeout(), properties.getReadTimeout());
		}

		private static @Nullable URI endpoint(String name, @Nullable String endpoint) {
			if (!StringUtils.hasText(endpoint)) {
				return null;
			}
			try {
				URI uri = URI.create(endpoint);
				if (uri.getScheme() == null || uri.getHost() == null) {
					throw new IllegalArgumentException("not an absolute http(s) URI");
				}
				return uri;
			}
			catch (IllegalArgumentException ex) {
				throw new MountConfigurationException(
						"S3 mount '" + name + "' has an invalid endpoint '" + endpoint + "'",
						"Set storage.mounts." + name + ".endpoint to an absolute URL such as https://minio.example.com:9000.");
			}
		}

		private static @Nullable String text(@Nullable String value) {
			return StringUtils.hasText(value) ? value : null;
		}

	}

}
