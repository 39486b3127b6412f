package io.github.reactivestorage.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import com.google.auth.Credentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.Storage;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.util.StringUtils;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.autoconfigure.service.GcsConnectionDetails;
import io.github.reactivestorage.autoconfigure.service.StorageConnectionDetails;
import io.github.reactivestorage.gcs.GcsClientSettings;
import io.github.reactivestorage.gcs.GcsStorage;
import io.github.reactivestorage.gcs.GcsStorageOptions;

/**
 * The {@code gcs} backend factory, active when {@code google-cloud-storage} is on the classpath.
 * Clients come, in this order, from a service connection ({@link GcsConnectionDetails}, e.g. a
 * fake-gcs-server container), an application-defined {@link Storage} bean when the mount sets no
 * credentials, endpoint or project of its own, or the mount's properties ({@code credentials-location}
 * holding a service-account JSON key, else application default credentials; {@code endpoint} for
 * emulators, reached without credentials).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Storage.class)
class GcsStorageBackendConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "gcsStorageBackendFactory")
	StorageBackendFactory gcsStorageBackendFactory(ObjectProvider<Storage> client,
			ObjectProvider<GcsConnectionDetails> connectionDetails, ObjectProvider<ResourceLoader> resourceLoader) {
		return new GcsStorageBackendFactory(client, connectionDetails,
				resourceLoader.getIfAvailable(DefaultResourceLoader::new));
	}

	/**
	 * Builds {@link GcsStorage} mounts.
	 */
	static class GcsStorageBackendFactory implements StorageBackendFactory {

		private final ObjectProvider<Storage> client;

		private final ObjectProvider<GcsConnectionDetails> connectionDetails;

		private final ResourceLoader resourceLoader;

		GcsStorageBackendFactory(ObjectProvider<Storage> client, ObjectProvider<GcsConnectionDetails> connectionDetails,
				ResourceLoader resourceLoader) {
			this.client = client;
			this.connectionDetails = connectionDetails;
			this.resourceLoader = resourceLoader;
		}

		@Override
		public String type() {
			return "gcs";
		}

		@Override
		public ReactiveStorage create(String name, MountProperties properties) {
			String bucket = properties.getBucket();
			if (!StringUtils.hasText(bucket)) {
				throw MountConfigurationException.missing(name, "bucket", "gcs");
			}
			long chunkSize = properties.getPartSize().toBytes();
			if (chunkSize <= 0 || chunkSize % (256 * 1024) != 0 || chunkSize > Integer.MAX_VALUE) {
				throw new MountConfigurationException(
						"storage.mounts." + name + ".part-size must be a multiple of 256KB for gcs, not "
								+ properties.getPartSize(),
						"Set storage.mounts." + name + ".part-size to a multiple of 256KB, e.g. 8MB.");
			}
			GcsStorageOptions options = GcsStorageOptions.defaults()
				.withWriteChunkSize((int) chunkSize)
				.withKmsKeyName(properties.getKmsKeyName());
			return new GcsStorage(name, client(name, properties), bucket, DefaultDataBufferFactory.sharedInstance,
					options);
		}

		private Storage client(String name, MountProperties properties) {
			List<GcsConnectionDetails> details = this.connectionDetails.orderedStream().toList();
			GcsConnectionDetails connection = StorageConnectionDetails.select(details, name).orElse(null);
			if (connection != null) {
				return new GcsClientSettings(connection.project(), connection.endpoint().toString(), null,
						properties.getConnectTimeout(), properties.getReadTimeout())
					.build();
			}
			boolean ownSettings = StringUtils.hasText(properties.getCredentialsLocation())
					|| StringUtils.hasText(properties.getEndpoint()) || StringUtils.hasText(properties.getProject());
			if (!ownSettings) {
				Storage shared = this.client.getIfUnique();
				if (shared != null) {
					return shared;
				}
			}
			GcsClientSettings settings = new GcsClientSettings(properties.getProject(), properties.getEndpoint(),
					credentials(name, properties.getCredentialsLocation()), properties.getConnectTimeout(),
					properties.getReadTimeout());
			try {
				return settings.build();
			}
			catch (UncheckedIOException ex) {
				throw new MountConfigurationException("GCS mount '" + name + "' has no credentials: " + ex.getMessage(),
						"Set storage.mounts." + name + ".credentials-location to a service-account JSON key (e.g. "
								+ "file:/secrets/key.json), set GOOGLE_APPLICATION_CREDENTIALS, run on Google Cloud, "
								+ "or set storage.mounts." + name + ".endpoint for an emulator.",
						ex);
			}
		}

		private @Nullable Credentials credentials(String name, @Nullable String location) {
			if (!StringUtils.hasText(location)) {
				return null;
			}
			Resource resource = this.resourceLoader.getResource(location);
			if (!resource.exists()) {
				throw new MountConfigurationException(
						"GCS mount '" + name + "' has credentials-location " + location + ", which does not exist",
						"Set storage.mounts." + name + ".credentials-location to a readable service-account JSON key.");
			}
			try (InputStream input = resource.getInputStream()) {
				return ServiceAccountCredentials.fromStream(input);
			}
			catch (IOException | RuntimeException ex) {
				throw new MountConfigurationException(
						"GCS mount '" + name + "' cannot read credentials from " + location + ": " + ex.getMessage(),
						"Set storage.mounts." + name + ".credentials-location to a service-account JSON key "
								+ "(IAM > Service accounts > Keys > Add key > JSON).",
						ex);
			}
		}

	}

}
