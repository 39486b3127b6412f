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
 * The conformance kit against MinIO in a container, a bucket per test; runs only where Docker is
 * available.
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioStorageConformanceTests extends StorageConformanceTests {

	@Container
	static final MinIOContainer minio = new MinIOContainer("minio/minio:RELEASE.2025-09-07T16-13-09Z");

	private static S3AsyncClient client;

	private static S3Presigner presigner;

	@BeforeAll
	static void createClients() {
		S3ClientSettings settings = new S3ClientSettings("us-east-1", URI.create(minio.getS3URL()), true,
				minio.getUserName(), minio.getPassword(), null, null, false, Duration.ofSeconds(5),
				Duration.ofSeconds(30));
		client = settings.clientBuilder().build();
		presigner = settings.presigner();
	}

	@AfterAll
	static void closeClients() {
		if (client != null) {
			client.close();
			presigner.close();
		}
	}

	@Override
	protected ReactiveStorage createStorage(StorageTestContext context) {
		String bucket = context.uniqueId();
		client.createBucket(request -> request.bucket(bucket)).join();
		return new S3Storage(context.mountName(), client, presigner, bucket,
				new S3StorageOptions(5L * 1024 * 1024, 5 * 1024 * 1024, 4), context.bufferFactory(), null);
	}

}
