package io.github.reactivestorage.azure;

import java.util.function.Consumer;

import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;

import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import io.github.reactivestorage.StorageConfigurationException;

/**
 * Builds the {@link BlobContainerAsyncClient} of {@link AzureBlobSettings}. The default Azure
 * credential chain is used only when {@code com.azure:azure-identity} is on the classpath; the class
 * that touches it is loaded only then.
 */
public final class AzureBlobClients {

	private static final String IDENTITY_CLASS = "com.azure.identity.DefaultAzureCredentialBuilder";

	private AzureBlobClients() {
	}

	/** Whether {@code azure-identity} (the default Azure credential chain) is on the classpath. */
	public static boolean isIdentityPresent() {
		return ClassUtils.isPresent(IDENTITY_CLASS, AzureBlobClients.class.getClassLoader());
	}

	/** The container client of the settings. */
	public static BlobContainerAsyncClient containerClient(AzureBlobSettings settings) {
		return containerClient(settings, builder -> {
		});
	}

	/**
	 * The container client of the settings, letting the customizer change the builder last (HTTP
	 * client, retry options, service version...).
	 * @throws StorageConfigurationException if the settings give no way to authenticate
	 */
	public static BlobContainerAsyncClient containerClient(AzureBlobSettings settings,
			Consumer<BlobContainerClientBuilder> customizer) {
		BlobContainerClientBuilder builder = new BlobContainerClientBuilder().containerName(settings.container());
		if (StringUtils.hasText(settings.connectionString())) {
			builder.connectionString(settings.connectionString());
			if (StringUtils.hasText(settings.endpoint())) {
				builder.endpoint(settings.endpoint());
			}
		}
		else {
			builder.endpoint(endpoint(settings));
			if (StringUtils.hasText(settings.accountName()) && StringUtils.hasText(settings.accountKey())) {
				builder.credential(new StorageSharedKeyCredential(settings.accountName(), settings.accountKey()));
			}
			else if (StringUtils.hasText(settings.sasToken())) {
				builder.sasToken(settings.sasToken());
			}
			else if (isIdentityPresent()) {
				builder.credential(AzureIdentityCredentials.defaultCredential());
			}
			else {
				throw new StorageConfigurationException("Azure container '" + settings.container()
						+ "' has no credentials: set connection-string, account-name with account-key, sas-token, "
						+ "or add com.azure:azure-identity to use the default Azure credential chain");
			}
		}
		customizer.accept(builder);
		return builder.buildAsyncClient();
	}

	private static String endpoint(AzureBlobSettings settings) {
		if (StringUtils.hasText(settings.endpoint())) {
			return settings.endpoint();
		}
		if (StringUtils.hasText(settings.accountName())) {
			return "https://" + settings.accountName() + ".blob.core.windows.net";
		}
		throw new StorageConfigurationException("Azure container '" + settings.container()
				+ "' needs an endpoint or an account-name (or a connection-string)");
	}

}
