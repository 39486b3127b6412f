package io.github.reactivestorage.autoconfigure;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.autoconfigure.service.S3ConnectionDetails;
import io.github.reactivestorage.s3.S3Storage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code type: s3} mounts, booted against an in-process S3Proxy.
 */
class S3BackendAutoConfigurationTests {

	private static final S3ProxyJunitCore s3 = new S3ProxyJunitCore.Builder().withBlobStoreProvider("transient-nio2")
		.withCredentials("access", "secret-for-tests")
		.ignoreUnknownHeaders()
		.build();

	private static S3AsyncClient admin;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class));

	@BeforeAll
	static void start() throws Exception {
		s3.beforeEach();
		admin = new io.github.reactivestorage.s3.S3ClientSettings("us-east-1", s3.getUri(), true, s3.getAccessKey(),
				s3.getSecretKey(), null, null, false, java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(5))
			.clientBuilder()
			.build();
		admin.createBucket(request -> request.bucket("media")).join();
	}

	@AfterAll
	static void stop() {
		admin.close();
		s3.afterEach();
	}

	private String[] mediaMount(String... more) {
		String[] base = { "storage.mounts.media.type=s3", "storage.mounts.media.bucket=media",
				"storage.mounts.media.endpoint=" + s3.getUri(), "storage.mounts.media.region=us-east-1",
				"storage.mounts.media.path-style=true", "storage.mounts.media.access-key-id=" + s3.getAccessKey(),
				"storage.mounts.media.secret-access-key=" + s3.getSecretKey() };
		String[] all = new String[base.length + more.length];
		System.arraycopy(base, 0, all, 0, base.length);
		System.arraycopy(more, 0, all, base.length, more.length);
		return all;
	}

	@Test
	void s3MountWritesAndReadsThroughTheServer() {
		this.runner.withPropertyValues(mediaMount("storage.mounts.media.prefix=tenant")).run(context -> {
			ReactiveStorage media = context.getBean("media", ReactiveStorage.class);
			media.put("a.txt", "via boot".getBytes(StandardCharsets.UTF_8)).block();
			assertThat(new String(media.getBytes("a.txt").block(), StandardCharsets.UTF_8)).isEqualTo("via boot");
			assertThat(admin.headObject(r -> r.bucket("media").key("tenant/a.txt")).join().contentLength()).isEqualTo(8);
			assertThat(media.unwrap(S3Storage.class).getBucket()).isEqualTo("media");
		});
	}

	@Test
	void missingBucketIsNamed() {
		this.runner.withPropertyValues("storage.mounts.media.type=s3").run(context -> {
			FailureAnalysis analysis = new MountConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("storage.mounts.media.bucket");
		});
	}

	@Test
	void halfAStaticKeyPairIsRefusedWithoutPrintingIt() {
		this.runner.withPropertyValues("storage.mounts.media.type=s3", "storage.mounts.media.bucket=b",
				"storage.mounts.media.secret-access-key=VERYSECRET").run(context -> {
					FailureAnalysis analysis = new MountConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains("only one of access-key-id and secret-access-key")
						.doesNotContain("VERYSECRET");
				});
	}

	@Test
	void customizersSeeEachMountsBuilder() {
		AtomicInteger calls = new AtomicInteger();
		this.runner.withPropertyValues(mediaMount())
			.withBean(S3ClientCustomizer.class, () -> (name, builder) -> calls.incrementAndGet())
			.run(context -> {
				context.getBean("media");
				assertThat(calls).hasValue(1);
			});
	}

	@Test
	void aUserClientIsUsedInsteadOfBuildingOne() {
		this.runner.withPropertyValues(mediaMount()).withBean(S3AsyncClient.class, () -> admin).run(context -> {
			ReactiveStorage media = context.getBean("media", ReactiveStorage.class);
			assertThat(media.unwrap(S3AsyncClient.class)).isSameAs(admin);
		});
	}

	@Test
	void connectionDetailsReplaceTheEndpointAndKeys() {
		S3ConnectionDetails details = new S3ConnectionDetails() {
			@Override
			public URI endpoint() {
				return s3.getUri();
			}

			@Override
			public String region() {
				return "us-east-1";
			}

			@Override
			public String accessKeyId() {
				return s3.getAccessKey();
			}

			@Override
			public String secretAccessKey() {
				return s3.getSecretKey();
			}
		};
		this.runner.withPropertyValues("storage.mounts.media.type=s3", "storage.mounts.media.bucket=media")
			.withBean(S3ConnectionDetails.class, () -> details)
			.run(context -> {
				ReactiveStorage media = context.getBean("media", ReactiveStorage.class);
				media.put("cd.txt", new byte[] { 1, 2 }).block();
				assertThat(media.info("cd.txt").block().size()).isEqualTo(2);
			});
	}

}
