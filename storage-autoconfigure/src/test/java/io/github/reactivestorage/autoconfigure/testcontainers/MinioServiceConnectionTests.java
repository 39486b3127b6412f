package io.github.reactivestorage.autoconfigure.testcontainers;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Configuration;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.autoconfigure.StorageAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @ServiceConnection} MinIO container connects an {@code s3} mount that names only its
 * bucket. Runs only where a Docker engine is available.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(properties = { "storage.mounts.media.type=s3", "storage.mounts.media.bucket=media" })
class MinioServiceConnectionTests {

	@Container
	@ServiceConnection
	static final MinIOContainer minio = new MinIOContainer("minio/minio:RELEASE.2025-04-22T22-12-26Z");

	@Autowired
	@Qualifier("media")
	ReactiveStorage media;

	@Test
	void mountUsesTheContainer() {
		this.media.unwrap(software.amazon.awssdk.services.s3.S3AsyncClient.class)
			.createBucket(request -> request.bucket("media"))
			.join();
		this.media.put("hello.txt", "from a container".getBytes(StandardCharsets.UTF_8)).block();
		assertThat(new String(this.media.getBytes("hello.txt").block(), StandardCharsets.UTF_8))
			.isEqualTo("from a container");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(StorageAutoConfiguration.class)
	static class TestApplication {

	}

}
