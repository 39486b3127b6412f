package io.github.reactivestorage.s3;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.conformance.StorageConformanceTests;
import io.github.reactivestorage.conformance.StorageTestContext;

/**
 * The conformance kit against S3Proxy in-process, a bucket per test, with 5 MiB parts so that the
 * large cases go through multipart uploads.
 */
class S3StorageConformanceTests extends StorageConformanceTests {

	@RegisterExtension
	static final S3ProxyServer server = new S3ProxyServer();

	@Override
	protected ReactiveStorage createStorage(StorageTestContext context) {
		return server.storage(context.mountName(), context.uniqueId(),
				S3ProxyServer.SMALL_PARTS, context.bufferFactory());
	}

}
