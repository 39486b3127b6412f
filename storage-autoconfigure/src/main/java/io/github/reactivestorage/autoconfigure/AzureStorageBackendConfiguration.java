package io.github.reactivestorage.autoconfigure;

import java.util.List;

import com.azure.core.util.HttpClientOptions;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobServiceAsyncClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.util.StringUtils;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.azure.AzureBlobClients;
import io.github.reactivestorage.azure.AzureBlobSettings;
import io.github.reactivestorage.azure.AzureBlobStorage;
import io.github.reactivestorage.autoconfigure.service.AzureBlobConnectionDetails;
import io.github.reactivestorage.autoconfigure.service.StorageConnectionDetails;

/**
 * The {@code azure} backend factory, active when {@code azure-storage-blob} is on the classpath.
 * Clients come, in this order, from a service connection ({@link AzureBlobConnectionDetails}), a
 * user's {@link BlobServiceAsyncClient} bean, or the mount's properties (connection string; account
 * name and key; SAS token; endpoint or account name with the default Azure credential chain, which
 * needs {@code azure-identity}). {@link AzureBlobClientBuilderCustomizer} beans tune the builder.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(BlobContainerAsyncClient.class)
class AzureStorageBackendConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "azureStorageBackendFactory")
	StorageBackendFactory azureStorageBackendFactory(ObjectProvider<BlobServiceAsyncClient> serviceClient,
			ObjectProvider<AzureBlobClientBuilderCustomizer> customizers,
			ObjectProvider<AzureBlobConnectionDetails> connectionDetails) {
		return new AzureStorageBackendFactory(serviceClient, customizers, connectionDetails);
	}

	/**
	 * Builds {@link AzureBlobStorage} mounts.
	 */
	static class AzureStorageBackendFactory implements StorageBackendFactory {

		private final ObjectProvider<BlobServiceAsyncClient> serviceClient;

		private final ObjectProvider<AzureBlobClientBuilderCustomizer> customizers;

		private final ObjectProvider<AzureBlobConnectionDetails> connectionDetails;

		AzureStorageBackendFactory(ObjectProvider<BlobServiceAsyncClient> serviceClient,
				ObjectProvider<AzureBlobClientBuilderCustomizer> customizers,
				ObjectProvider<AzureBlobConnectionDetails> connectionDetails) {
			this.serviceClient = serviceClient;
			this.customizers = customizers;
			this.connectionDetails = connectionDetails;
		}

		@Override
		public String type() {
			return "azure";
		}

		@Override
		public ReactiveStorage create(String name, MountProperties properties) {
			String container = properties.getContainer();
			if (!StringUtils.hasText(container)) {
				throw new MountConfigurationException("Azure mount '" + name + "' has no container",
						"Set storage.mounts." + name + ".container to the blob container's name.");
			}
			long blockSize = properties.getPartSize().toBytes();
			AzureBlobSettings settings = new AzureBlobSettings(container, properties.getEndpoint(),
					properties.getConnectionString(), properties.getAccountName(), properties.getAccountKey(),
					properties.getSasToken(), properties.isCreateContainer(), blockSize,
					AzureBlobSettings.DEFAULT_MAX_CONCURRENCY);
			BlobContainerAsyncClient client = containerClient(name, settings, properties);
			return new AzureBlobStorage(name, client, DefaultDataBufferFactory.sharedInstance, settings.blockSize(),
					settings.maxConcurrency(), settings.createContainer(), properties.getEncryptionScope());
		}

		private BlobContainerAsyncClient containerClient(String name, AzureBlobSettings settings,
				MountProperties properties) {
			List<AzureBlobConnectionDetails> details = this.connectionDetails.orderedStream().toList();
			AzureBlobConnectionDetails connection = StorageConnectionDetails.select(details, name).orElse(null);
			if (connection != null) {
				AzureBlobSettings fromConnection = new AzureBlobSettings(settings.container(), null,
						connection.connectionString(), null, null, null, settings.createContainer(),
						settings.blockSize(), settings.maxConcurrency());
				return build(name, fromConnection, properties);
			}
			if (!hasCredentials(settings)) {
				BlobServiceAsyncClient service = this.serviceClient.getIfUnique();
				if (service != null) {
					return service.getBlobContainerAsyncClient(settings.container());
				}
				if (!StringUtils.hasText(settings.endpoint()) && !StringUtils.hasText(settings.accountName())) {
					throw new MountConfigurationException("Azure mount '" + name + "' has no account to connect to",
							"Set storage.mounts." + name + ".connection-string, or account-name with account-key, "
									+ "or endpoint (or account-name) with the default Azure credential chain "
									+ "(add com.azure:azure-identity), or declare a BlobServiceAsyncClient bean.");
				}
				if (!StringUtils.hasText(settings.sasToken()) && !AzureBlobClients.isIdentityPresent()) {
					throw new MountConfigurationException(
							"Azure mount '" + name + "' has no credentials and azure-identity is not on the classpath",
							"Set storage.mounts." + name + ".account-key or sas-token, or add the dependency "
									+ "com.azure:azure-identity to use the default Azure credential chain "
									+ "(managed identity, environment, Azure CLI...).");
				}
			}
			return build(name, settings, properties);
		}

		private static boolean hasCredentials(AzureBlobSettings settings) {
			return StringUtils.hasText(settings.connectionString()) || StringUtils.hasText(settings.accountKey())
					|| StringUtils.hasText(settings.sasToken());
		}

		private BlobContainerAsyncClient build(String name, AzureBlobSettings settings, MountProperties properties) {
			// honoured by whichever azure-core HTTP client is on the classpath (Netty, JDK, OkHttp)
			HttpClientOptions httpOptions = new HttpClientOptions().setConnectTimeout(properties.getConnectTimeout())
				.setResponseTimeout(properties.getReadTimeout())
				.setReadTimeout(properties.getReadTimeout());
			return AzureBlobClients.containerClient(settings, builder -> {
				builder.clientOptions(httpOptions);
				this.customizers.orderedStream().forEach(customizer -> customizer.customize(name, builder));
			});
		}

	}

}
