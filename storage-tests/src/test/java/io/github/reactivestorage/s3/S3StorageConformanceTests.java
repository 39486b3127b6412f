package io.github.reactivestorage.s3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.conformance.StorageConformanceTests;
import io.github.reactivestorage.conformance.StorageTestContext;

/**
 * The conformance kit against S3Proxy in-process, a bucket per test, with 5 MiB parts so that the
 * large cases go through multipart uploads.
 */
class S3StorageConformanceTests extends StorageConformanceTests {

	private static final S3ProxyServer server = new S3ProxyServer();

	@BeforeAll
	static void startServer() throws Exception {
		server.start();
	}

	@AfterAll
	static void stopServer() {
		server.stop();
	}

	@Override
	protected ReactiveStorage createStorage(StorageTestContext context) {
		return server.storage(context.mountName(), context.uniqueId(),
				new S3StorageOptions(5L * 1024 * 1024, 5 * 1024 * 1024, 4), context.bufferFactory());
	}

}
