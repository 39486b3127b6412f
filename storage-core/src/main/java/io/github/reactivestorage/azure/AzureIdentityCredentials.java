package io.github.reactivestorage.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;

/**
 * The only class touching {@code azure-identity}: loaded only when it is on the classpath.
 */
final class AzureIdentityCredentials {

	private AzureIdentityCredentials() {
	}

	static TokenCredential defaultCredential() {
		return new DefaultAzureCredentialBuilder().build();
	}

}
