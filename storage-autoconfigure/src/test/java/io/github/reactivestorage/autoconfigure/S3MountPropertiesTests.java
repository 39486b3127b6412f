package io.github.reactivestorage.autoconfigure;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.s3.S3Storage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code s3} mount properties reach the client and presigner (no I/O: URLs are signed
 * locally), and the factory's conditions.
 */
class S3MountPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class));

	@Test
	void staticKeysEndpointAndPathStyleReachClientAndPresigner() {
		this.runner
			.withPropertyValues("storage.mounts.media.type=s3", "storage.mounts.media.bucket=photos",
					"storage.mounts.media.endpoint=http://127.0.0.1:9000", "storage.mounts.media.path-style=true",
					"storage.mounts.media.region=eu-west-1", "storage.mounts.media.access-key-id=AKIDEXAMPLE",
					"storage.mounts.media.secret-access-key=secret")
			.run(context -> {
				assertThat(context).hasNotFailed();
				ReactiveStorage storage = context.getBean("media", ReactiveStorage.class);
				assertThat(storage.unwrap(S3Storage.class).getBucket()).isEqualTo("photos");
				S3AsyncClient client = storage.unwrap(S3AsyncClient.class);
				assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
				assertThat(storage.unwrap(S3Presigner.class)).isNotNull();
				URI url = storage.url("a/b.txt", UrlOptions.get(Duration.ofMinutes(5))).block();
				assertThat(url.toString()).startsWith("http://127.0.0.1:9000/photos/a/b.txt?");
				assertThat(url.getQuery()).contains("X-Amz-Credential=AKIDEXAMPLE/");
			});
	}

	@Test
	void virtualHostStyleByDefault() {
		this.runner
			.withPropertyValues("storage.mounts.media.type=s3", "storage.mounts.media.bucket=photos",
					"storage.mounts.media.region=us-west-2", "storage.mounts.media.access-key-id=AKIDEXAMPLE",
					"storage.mounts.media.secret-access-key=secret")
			.run(context -> {
				assertThat(context).hasNotFailed();
				URI url = context.getBean("media", ReactiveStorage.class)
					.url("k", UrlOptions.get(Duration.ofMinutes(5)))
					.block();
				assertThat(url.getHost()).isEqualTo("photos.s3.us-west-2.amazonaws.com");
			});
	}

	@Test
	void anonymousMountHasNoPresigner() {
		this.runner
			.withPropertyValues("storage.mounts.media.type=s3", "storage.mounts.media.bucket=public",
					"storage.mounts.media.region=us-east-1", "storage.mounts.media.anonymous=true")
			.run(context -> {
				assertThat(context).hasNotFailed();
				ReactiveStorage storage = context.getBean("media", ReactiveStorage.class);
				assertThat(storage.unwrap(S3AsyncClient.class)).isNotNull();
				assertThat(storage.capabilities()).isNotNull();
			});
	}

	@Test
	void tooSmallPartSizeFails() {
		this.runner
			.withPropertyValues("storage.mounts.media.type=s3", "storage.mounts.media.bucket=b",
					"storage.mounts.media.region=us-east-1", "storage.mounts.media.part-size=1MB")
			.run(context -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new MountConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getAction()).contains("part-size");
			});
	}

	@Test
	void noSdkNoFactory() {
		this.runner.withClassLoader(new FilteredClassLoader(S3AsyncClient.class))
			.run(context -> assertThat(context).doesNotHaveBean("s3StorageBackendFactory"));
	}

}
