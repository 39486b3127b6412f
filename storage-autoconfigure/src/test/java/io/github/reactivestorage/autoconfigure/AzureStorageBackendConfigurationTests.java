package io.github.reactivestorage.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobServiceAsyncClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.azure.AzureBlobStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the {@code azure} backend factory's wiring (no I/O: clients are built, not used).
 */
class AzureStorageBackendConfigurationTests {

	private static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class));

	@Test
	void connectionString() {
		this.runner
			.withPropertyValues("storage.mounts.files.type=azure", "storage.mounts.files.container=docs",
					"storage.mounts.files.connection-string=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
							+ "AccountKey=" + KEY + ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;")
			.run(context -> {
				assertThat(context).hasNotFailed();
				ReactiveStorage storage = context.getBean("files", ReactiveStorage.class);
				assertThat(storage.unwrap(AzureBlobStorage.class)).isNotNull();
				BlobContainerAsyncClient client = storage.unwrap(BlobContainerAsyncClient.class);
				assertThat(client.getBlobContainerName()).isEqualTo("docs");
				assertThat(client.getBlobContainerUrl()).isEqualTo("http://127.0.0.1:10000/devstoreaccount1/docs");
			});
	}

	@Test
	void accountNameAndKeyUseThePublicEndpoint() {
		this.runner
			.withPropertyValues("storage.mounts.files.type=azure", "storage.mounts.files.container=docs",
					"storage.mounts.files.account-name=myaccount", "storage.mounts.files.account-key=" + KEY)
			.run(context -> {
				assertThat(context).hasNotFailed();
				BlobContainerAsyncClient client = context.getBean("files", ReactiveStorage.class)
					.unwrap(BlobContainerAsyncClient.class);
				assertThat(client.getBlobContainerUrl()).isEqualTo("https://myaccount.blob.core.windows.net/docs");
			});
	}

	@Test
	void endpointAloneUsesTheDefaultAzureCredential() {
		this.runner
			.withPropertyValues("storage.mounts.files.type=azure", "storage.mounts.files.container=docs",
					"storage.mounts.files.endpoint=https://myaccount.blob.core.windows.net")
			.run(context -> {
				assertThat(context).hasNotFailed();
				BlobContainerAsyncClient client = context.getBean("files", ReactiveStorage.class)
					.unwrap(BlobContainerAsyncClient.class);
				assertThat(client.getAccountName()).isEqualTo("myaccount");
			});
	}

	@Test
	void usersServiceClientIsUsedWhenTheMountHasNoCredentials() {
		BlobServiceAsyncClient service = new BlobServiceClientBuilder().endpoint("http://127.0.0.1:10001/someone")
			.credential(new StorageSharedKeyCredential("someone", KEY))
			.buildAsyncClient();
		this.runner.withBean(BlobServiceAsyncClient.class, () -> service)
			.withPropertyValues("storage.mounts.files.type=azure", "storage.mounts.files.container=docs")
			.run(context -> {
				assertThat(context).hasNotFailed();
				BlobContainerAsyncClient client = context.getBean("files", ReactiveStorage.class)
					.unwrap(BlobContainerAsyncClient.class);
				assertThat(client.getBlobContainerUrl()).isEqualTo("http://127.0.0.1:10001/someone/docs");
			});
	}

	@Test
	void customizersSeeTheBuilderAndTheMountName() {
		List<String> customized = new ArrayList<>();
		this.runner
			.withBean(AzureBlobClientBuilderCustomizer.class,
					() -> (name, builder) -> customized.add(name))
			.withPropertyValues("storage.mounts.files.type=azure", "storage.mounts.files.container=docs",
					"storage.mounts.files.account-name=myaccount", "storage.mounts.files.account-key=" + KEY)
			.run(context -> {
				assertThat(context).hasNotFailed();
				context.getBean("files");
				assertThat(customized).containsExactly("files");
			});
	}

	@Test
	void usersFactoryWins() {
		this.runner.withBean("azureStorageBackendFactory", StorageBackendFactory.class, () -> new StorageBackendFactory() {

			@Override
			public String type() {
				return "azure";
			}

			@Override
			public ReactiveStorage create(String name, MountProperties properties) {
				return new io.github.reactivestorage.memory.MemoryStorage(name);
			}

		}).withPropertyValues("storage.mounts.files.type=azure").run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("files", ReactiveStorage.class)
				.unwrap(io.github.reactivestorage.memory.MemoryStorage.class)).isNotNull();
		});
	}

	@Test
	void missingContainerNamesTheProperty() {
		this.runner
			.withPropertyValues("storage.mounts.files.type=azure", "storage.mounts.files.account-name=myaccount",
					"storage.mounts.files.account-key=" + KEY)
			.run(context -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new MountConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getAction()).contains("storage.mounts.files.container");
			});
	}

	@Test
	void noAccountNamesTheProperties() {
		this.runner.withPropertyValues("storage.mounts.files.type=azure", "storage.mounts.files.container=docs")
			.run(context -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new MountConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getAction()).contains("connection-string").contains("azure-identity");
			});
	}

	@Test
	void withoutTheSdkTheTypeNamesTheDependency() {
		this.runner.withClassLoader(new FilteredClassLoader(BlobContainerAsyncClient.class))
			.withPropertyValues("storage.mounts.files.type=azure", "storage.mounts.files.container=docs")
			.run(context -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new MountConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getAction()).contains("com.azure:azure-storage-blob");
			});
	}

	@Test
	void readTimeoutReachesTheHttpClient() throws Exception {
		try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50,
				java.net.InetAddress.getLoopbackAddress())) {
			// accepts connections (the backlog does) and never answers
			this.runner
				.withBean(AzureBlobClientBuilderCustomizer.class,
						() -> (name, builder) -> builder.retryOptions(new com.azure.storage.common.policy.RequestRetryOptions(
								com.azure.storage.common.policy.RetryPolicyType.FIXED, 1, (Integer) null, null, null,
								null)))
				.withPropertyValues("storage.mounts.files.type=azure", "storage.mounts.files.container=docs",
						"storage.mounts.files.read-timeout=500ms",
						"storage.mounts.files.connection-string=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
								+ "AccountKey=" + KEY + ";BlobEndpoint=http://127.0.0.1:" + silent.getLocalPort()
								+ "/devstoreaccount1;")
				.run(context -> {
					ReactiveStorage storage = context.getBean("files", ReactiveStorage.class);
					reactor.test.StepVerifier.create(storage.exists("a.txt"))
						.expectError(io.github.reactivestorage.StorageConnectionException.class)
						.verify(java.time.Duration.ofSeconds(15));
				});
		}
	}

}
