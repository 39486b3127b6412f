package io.github.reactivestorage.autoconfigure;

import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Encryption properties of mounts ({@code server-side-encryption}, {@code kms-key-id},
 * {@code bucket-key-enabled}, {@code customer-key}, {@code encryption-scope}) reach the backends
 * (seen without I/O through the URLs they refuse to sign), bad settings fail start-up naming the
 * property, and the customer key never appears in messages or {@code toString()}.
 */
class MountEncryptionPropertiesTests {

	private static final String CUSTOMER_KEY = Base64.getEncoder().encodeToString(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9,
			10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 });

	private static final String AZURE_KEY = Base64.getEncoder().encodeToString(new byte[64]);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class))
		.withPropertyValues("storage.mounts.media.type=s3", "storage.mounts.media.bucket=photos",
				"storage.mounts.media.endpoint=http://127.0.0.1:9000", "storage.mounts.media.path-style=true",
				"storage.mounts.media.region=eu-west-1", "storage.mounts.media.access-key-id=AKIDEXAMPLE",
				"storage.mounts.media.secret-access-key=secret");

	@Test
	void customerKeyReachesTheS3MountWhichThenSignsNoUrls() {
		this.runner
			.withPropertyValues("storage.mounts.media.server-side-encryption=sse-c",
					"storage.mounts.media.customer-key=" + CUSTOMER_KEY)
			.run(context -> {
				assertThat(context).hasNotFailed();
				ReactiveStorage storage = context.getBean("media", ReactiveStorage.class);
				assertThatThrownBy(() -> storage.url("a.txt", UrlOptions.get(Duration.ofMinutes(5))).block())
					.isInstanceOf(UnsupportedStorageOperationException.class)
					.hasMessageNotContaining(CUSTOMER_KEY);
				assertThat(storage.toString()).doesNotContain(CUSTOMER_KEY);
			});
	}

	@Test
	void kmsReachesTheS3MountWhichThenSignsGetUrlsOnly() {
		this.runner
			.withPropertyValues("storage.mounts.media.server-side-encryption=sse-kms",
					"storage.mounts.media.kms-key-id=alias/media", "storage.mounts.media.bucket-key-enabled=true")
			.run(context -> {
				ReactiveStorage storage = context.getBean("media", ReactiveStorage.class);
				assertThat(storage.url("a.txt", UrlOptions.get(Duration.ofMinutes(5))).block()).isNotNull();
				assertThatThrownBy(() -> storage.url("a.txt", UrlOptions.put(Duration.ofMinutes(5))).block())
					.isInstanceOf(UnsupportedStorageOperationException.class);
			});
	}

	@Test
	void aShortCustomerKeyFailsStartUpWithoutShowingIt() {
		String shortKey = Base64.getEncoder().encodeToString("sixteen byte key".getBytes());
		this.runner
			.withPropertyValues("storage.mounts.media.server-side-encryption=sse-c",
					"storage.mounts.media.customer-key=" + shortKey)
			.run(context -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				StringBuilder all = new StringBuilder();
				for (Throwable t = failure; t != null; t = t.getCause()) {
					all.append(t.getMessage()).append('\n');
				}
				assertThat(all.toString()).contains("storage.mounts.media.server-side-encryption")
					.contains("32 random bytes")
					.doesNotContain(shortKey);
			});
	}

	@Test
	void unknownModeAndAKeyWithoutAModeFailStartUp() {
		this.runner.withPropertyValues("storage.mounts.media.server-side-encryption=rot13")
			.run(context -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("must be sse-s3, sse-kms or sse-c"));
		this.runner.withPropertyValues("storage.mounts.media.customer-key=" + CUSTOMER_KEY)
			.run(context -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("need storage.mounts.media.server-side-encryption")
				.hasMessageNotContaining(CUSTOMER_KEY));
	}

	@Test
	void propertiesShowNoCustomerKey() {
		MountProperties properties = new MountProperties();
		properties.setServerSideEncryption("sse-c");
		properties.setCustomerKey(CUSTOMER_KEY);
		properties.setEncryptionScope("scope");
		properties.setKmsKeyName("projects/p/locations/l/keyRings/r/cryptoKeys/k");
		assertThat(properties.toString()).doesNotContain(CUSTOMER_KEY)
			.contains("customerKey=******")
			.contains("encryptionScope=scope")
			.contains("kmsKeyName=projects/p/");
	}

	@Test
	void encryptionScopeReachesTheAzureMountWhichThenSignsNoPutUrls() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class))
			.withPropertyValues("storage.mounts.files.type=azure", "storage.mounts.files.container=docs",
					"storage.mounts.files.encryption-scope=tenant",
					"storage.mounts.files.connection-string=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
							+ "AccountKey=" + AZURE_KEY + ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;")
			.run(context -> {
				assertThat(context).hasNotFailed();
				ReactiveStorage storage = context.getBean("files", ReactiveStorage.class);
				assertThatThrownBy(() -> storage.url("a.txt", UrlOptions.put(Duration.ofMinutes(5))).block())
					.isInstanceOf(UnsupportedStorageOperationException.class)
					.hasMessageContaining("encryption scope");
			});
	}

}
