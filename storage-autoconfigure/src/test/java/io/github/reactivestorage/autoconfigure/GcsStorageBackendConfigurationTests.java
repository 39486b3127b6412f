package io.github.reactivestorage.autoconfigure;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.autoconfigure.service.GcsConnectionDetails;
import io.github.reactivestorage.gcs.GcsStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the {@code gcs} backend factory's wiring (clients are built, not used for I/O).
 */
class GcsStorageBackendConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void emulatorEndpointNeedsNoCredentials() {
		this.runner
			.withPropertyValues("storage.mounts.media.type=gcs", "storage.mounts.media.bucket=photos",
					"storage.mounts.media.project=demo", "storage.mounts.media.endpoint=http://127.0.0.1:4443")
			.run(context -> {
				assertThat(context).hasNotFailed();
				ReactiveStorage storage = context.getBean("media", ReactiveStorage.class);
				GcsStorage gcs = storage.unwrap(GcsStorage.class);
				assertThat(gcs.bucket()).isEqualTo("photos");
				StorageOptions options = gcs.client().getOptions();
				assertThat(options.getHost()).isEqualTo("http://127.0.0.1:4443");
				assertThat(options.getProjectId()).isEqualTo("demo");
				assertThat(options.getCredentials()).isSameAs(NoCredentials.getInstance());
			});
	}

	@Test
	void timeoutsReachTheHttpTransport() {
		this.runner
			.withPropertyValues("storage.mounts.media.type=gcs", "storage.mounts.media.bucket=photos",
					"storage.mounts.media.endpoint=http://127.0.0.1:4443", "storage.mounts.media.connect-timeout=3s",
					"storage.mounts.media.read-timeout=7s")
			.run(context -> {
				com.google.cloud.http.HttpTransportOptions transport = (com.google.cloud.http.HttpTransportOptions) context
					.getBean("media", ReactiveStorage.class)
					.unwrap(Storage.class)
					.getOptions()
					.getTransportOptions();
				assertThat(transport.getConnectTimeout()).isEqualTo(3000);
				assertThat(transport.getReadTimeout()).isEqualTo(7000);
			});
	}

	@Test
	void credentialsLocationIsAServiceAccountKeyThatSignsUrls() throws Exception {
		Path key = writeServiceAccountKey();
		this.runner
			.withPropertyValues("storage.mounts.media.type=gcs", "storage.mounts.media.bucket=photos",
					"storage.mounts.media.credentials-location=file:" + key)
			.run(context -> {
				assertThat(context).hasNotFailed();
				Storage client = context.getBean("media", ReactiveStorage.class).unwrap(Storage.class);
				assertThat(client.getOptions().getCredentials()).isInstanceOf(ServiceAccountCredentials.class);
				assertThat(client.getOptions().getProjectId()).isEqualTo("key-project");
				URI url = context.getBean("media", ReactiveStorage.class)
					.url("a/b.txt", UrlOptions.get(Duration.ofMinutes(5)))
					.block(Duration.ofSeconds(30));
				assertThat(url).hasHost("storage.googleapis.com").hasPath("/photos/a/b.txt");
				assertThat(url.getQuery()).contains("X-Goog-Credential=sa@key-project.iam.gserviceaccount.com/");
			});
	}

	@Test
	void missingBucketNamesTheProperty() {
		this.runner.withPropertyValues("storage.mounts.media.type=gcs", "storage.mounts.media.endpoint=http://x:1")
			.run(context -> assertThat(analysis(context.getStartupFailure()).getAction())
				.contains("storage.mounts.media.bucket"));
	}

	@Test
	void missingCredentialsFileIsAClearStartupError() {
		this.runner
			.withPropertyValues("storage.mounts.media.type=gcs", "storage.mounts.media.bucket=photos",
					"storage.mounts.media.credentials-location=file:" + this.directory.resolve("absent.json"))
			.run(context -> {
				FailureAnalysis analysis = analysis(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("absent.json").contains("does not exist");
				assertThat(analysis.getAction()).contains("storage.mounts.media.credentials-location");
			});
	}

	@Test
	void unreadableCredentialsFileIsAClearStartupError() throws Exception {
		Path key = Files.writeString(this.directory.resolve("key.json"), "{\"type\": \"nonsense\"}");
		this.runner
			.withPropertyValues("storage.mounts.media.type=gcs", "storage.mounts.media.bucket=photos",
					"storage.mounts.media.credentials-location=file:" + key)
			.run(context -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("cannot read credentials"));
	}

	@Test
	void partSizeMustBeAMultipleOf256Kb() {
		this.runner
			.withPropertyValues("storage.mounts.media.type=gcs", "storage.mounts.media.bucket=photos",
					"storage.mounts.media.endpoint=http://x:1", "storage.mounts.media.part-size=1000KB")
			.run(context -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("part-size must be a multiple of 256KB"));
	}

	@Test
	void applicationClientIsUsedWhenTheMountSetsNoConnection() {
		Storage client = StorageOptions.newBuilder()
			.setProjectId("app")
			.setHost("http://127.0.0.1:9")
			.setCredentials(NoCredentials.getInstance())
			.build()
			.getService();
		this.runner.withBean(Storage.class, () -> client)
			.withPropertyValues("storage.mounts.media.type=gcs", "storage.mounts.media.bucket=photos")
			.run(context -> assertThat(context.getBean("media", ReactiveStorage.class).unwrap(Storage.class))
				.isSameAs(client));
	}

	@Test
	void serviceConnectionWins() {
		this.runner.withBean(GcsConnectionDetails.class, () -> new GcsConnectionDetails() {

			@Override
			public URI endpoint() {
				return URI.create("http://127.0.0.1:14443");
			}

			@Override
			public String project() {
				return "container-project";
			}

			@Override
			public @Nullable String mount() {
				return null;
			}

		})
			.withPropertyValues("storage.mounts.media.type=gcs", "storage.mounts.media.bucket=photos",
					"storage.mounts.media.endpoint=http://elsewhere:1")
			.run(context -> {
				StorageOptions options = context.getBean("media", ReactiveStorage.class)
					.unwrap(Storage.class)
					.getOptions();
				assertThat(options.getHost()).isEqualTo("http://127.0.0.1:14443");
				assertThat(options.getProjectId()).isEqualTo("container-project");
			});
	}

	@Test
	void withoutTheSdkTheErrorNamesTheDependency() {
		this.runner.withClassLoader(new FilteredClassLoader(Storage.class))
			.withPropertyValues("storage.mounts.media.type=gcs", "storage.mounts.media.bucket=photos")
			.run(context -> assertThat(analysis(context.getStartupFailure()).getAction())
				.contains("com.google.cloud:google-cloud-storage"));
	}

	private static FailureAnalysis analysis(Throwable failure) {
		assertThat(failure).isNotNull();
		FailureAnalysis analysis = new MountConfigurationFailureAnalyzer().analyze(failure);
		assertThat(analysis).isNotNull();
		return analysis;
	}

	private Path writeServiceAccountKey() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		String pem = "-----BEGIN PRIVATE KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
				+ "\n-----END PRIVATE KEY-----\n";
		String json = """
				{
				  "type": "service_account",
				  "project_id": "key-project",
				  "private_key_id": "abc123",
				  "private_key": "%s",
				  "client_email": "sa@key-project.iam.gserviceaccount.com",
				  "client_id": "1234567890",
				  "token_uri": "https://oauth2.googleapis.com/token"
				}
				""".formatted(pem.replace("\n", "\\n"));
		return Files.writeString(this.directory.resolve("key.json"), json);
	}

}
