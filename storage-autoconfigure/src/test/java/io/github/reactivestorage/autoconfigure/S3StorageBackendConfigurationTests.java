package io.github.reactivestorage.autoconfigure;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.s3.S3Storage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the {@code s3} backend factory's wiring, and one mount used against S3Proxy.
 */
class S3StorageBackendConfigurationTests {

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
	void missingBucketFailsWithAnAction() {
		this.runner.withPropertyValues("storage.mounts.media.type=s3", "storage.mounts.media.region=us-east-1")
			.run(context -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new MountConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("no bucket");
				assertThat(analysis.getAction()).contains("storage.mounts.media.bucket");
			});
	}

	@Test
	void halfOfTheKeysFails() {
		this.runner
			.withPropertyValues("storage.mounts.media.type=s3", "storage.mounts.media.bucket=b",
					"storage.mounts.media.region=us-east-1", "storage.mounts.media.access-key-id=AKIDEXAMPLE")
			.run(context -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new MountConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("access-key-id and secret-access-key");
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
	void usersClientIsUsedWhenTheMountConfiguresNoClient() {
		S3AsyncClient client = S3AsyncClient.builder()
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
			.build();
		try {
			this.runner.withBean(S3AsyncClient.class, () -> client)
				.withPropertyValues("storage.mounts.media.type=s3", "storage.mounts.media.bucket=b")
				.run(context -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean("media", ReactiveStorage.class).unwrap(S3AsyncClient.class))
						.isSameAs(client);
				});
		}
		finally {
			client.close();
		}
	}

	@Test
	void customizersRunInOrderWithTheMountName() {
		List<String> calls = new ArrayList<>();
		this.runner
			.withBean("first", S3ClientBuilderCustomizer.class,
					() -> (name, builder) -> calls.add("first:" + name))
			.withBean("second", S3ClientBuilderCustomizer.class,
					() -> (name, builder) -> calls.add("second:" + name))
			.withPropertyValues("storage.mounts.media.type=s3", "storage.mounts.media.bucket=b",
					"storage.mounts.media.region=us-east-1", "storage.mounts.media.anonymous=true")
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(calls).containsExactlyInAnyOrder("first:media", "second:media");
			});
	}

	@Test
	void noSdkNoFactory() {
		this.runner.withClassLoader(new FilteredClassLoader(S3AsyncClient.class))
			.run(context -> assertThat(context).doesNotHaveBean("s3StorageBackendFactory"));
	}

	@Test
	void mountWorksAgainstS3Proxy() throws Exception {
		S3ProxyJunitCore proxy = new S3ProxyJunitCore.Builder().withBlobStoreProvider("transient-nio2")
			.withCredentials("access", "secret-key-for-tests")
			.ignoreUnknownHeaders()
			.build();
		proxy.beforeEach();
		try (S3AsyncClient admin = S3AsyncClient.builder()
			.region(Region.US_EAST_1)
			.endpointOverride(proxy.getUri())
			.forcePathStyle(true)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret-key-for-tests")))
			.build()) {
			admin.createBucket(request -> request.bucket("boot")).join();
			this.runner
				.withPropertyValues("storage.mounts.media.type=s3", "storage.mounts.media.bucket=boot",
						"storage.mounts.media.endpoint=" + proxy.getUri(), "storage.mounts.media.path-style=true",
						"storage.mounts.media.access-key-id=access",
						"storage.mounts.media.secret-access-key=secret-key-for-tests",
						"storage.mounts.media.prefix=tenant-1")
				.run(context -> {
					assertThat(context).hasNotFailed();
					ReactiveStorage storage = context.getBean("media", ReactiveStorage.class);
					DataBuffer body = DefaultDataBufferFactory.sharedInstance
						.wrap("hello".getBytes(StandardCharsets.UTF_8));
					StepVerifier.create(storage.put("a.txt", Flux.just(body), PutOptions.defaults()))
						.assertNext(object -> assertThat(object.size()).isEqualTo(5))
						.verifyComplete();
					StepVerifier.create(storage.getBytes("a.txt"))
						.assertNext(bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("hello"))
						.verifyComplete();
					assertThat(admin.headObject(request -> request.bucket("boot").key("tenant-1/a.txt")).join()
						.contentLength()).isEqualTo(5);
				});
		}
		finally {
			proxy.afterEach();
		}
	}

}
