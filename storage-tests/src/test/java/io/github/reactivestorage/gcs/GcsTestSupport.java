package io.github.reactivestorage.gcs;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;

/**
 * Clients for the GCS tests: Google's in-process fake, with service-account credentials made from
 * a key pair generated here, so that URLs can be signed and their signatures checked offline.
 */
final class GcsTestSupport {

	static final String CLIENT_EMAIL = "storage-tests@test-project.iam.gserviceaccount.com";

	static final KeyPair KEY_PAIR = generateKeyPair();

	private GcsTestSupport() {
	}

	static ServiceAccountCredentials credentials() {
		return ServiceAccountCredentials.newBuilder()
			.setClientEmail(CLIENT_EMAIL)
			.setClientId("1234567890")
			.setPrivateKey(KEY_PAIR.getPrivate())
			.setPrivateKeyId("test-key")
			.setProjectId("test-project")
			.build();
	}

	/** A fresh in-process fake whose client signs with {@link #KEY_PAIR}. */
	static Storage fakeWithSigningKey() {
		return LocalStorageHelper.getOptions().toBuilder().setCredentials(credentials()).build().getService();
	}

	private static KeyPair generateKeyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
