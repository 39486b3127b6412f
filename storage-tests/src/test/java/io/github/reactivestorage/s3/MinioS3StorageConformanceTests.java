package io.github.reactivestorage.s3;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.conformance.StorageConformanceTests;
import io.github.reactivestorage.conformance.StorageTestContext;

/**
 * The conformance kit against a real MinIO server. Runs only where a Docker engine is available.
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioS3StorageConformanceTests extends StorageConformanceTests {

	@Container
	static final MinIOContainer minio = new MinIOContainer("minio/minio:RELEASE.2025-04-22T22-12-26Z");

	private static S3AsyncClient client;

	private static S3Presigner presigner;

	@BeforeAll
	static void createClient() {
		S3ClientSettings settings = new S3ClientSettings("us-east-1", URI.create(minio.getS3URL()), true,
				minio.getUserName(), minio.getPassword(), null, null, false, Duration.ofSeconds(5),
				Duration.ofSeconds(30));
		client = settings.clientBuilder().build();
		presigner = settings.presigner();
	}

	@AfterAll
	static void closeClient() {
		client.close();
		presigner.close();
	}

	@Override
	protected ReactiveStorage createStorage(StorageTestContext context) {
		client.createBucket(request -> request.bucket(context.uniqueId())).join();
		return new S3Storage(context.mountName(), client, presigner, context.uniqueId(), S3StorageOptions.DEFAULTS,
				context.bufferFactory(), null);
	}

}
