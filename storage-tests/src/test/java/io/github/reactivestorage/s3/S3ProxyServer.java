package io.github.reactivestorage.s3;

import java.net.URI;
import java.time.Duration;

import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * An in-process S3Proxy on a random loopback port (transient filesystem blob store, real SigV4
 * checks), shared by a test class: register it with
 * {@code @RegisterExtension static final S3ProxyServer server = new S3ProxyServer();} and it starts
 * before the class's tests and stops after them.
 */
public final class S3ProxyServer implements BeforeAllCallback, AfterAllCallback {

	/** 5 MiB parts (S3's minimum), 4 in flight: large test bodies become multipart uploads. */
	public static final S3StorageOptions SMALL_PARTS = new S3StorageOptions(5L * 1024 * 1024, 5 * 1024 * 1024, 4);

	private final S3ProxyJunitCore core;

	public S3ProxyServer() {
		this.core = new S3ProxyJunitCore.Builder().withBlobStoreProvider("transient-nio2")
			.withCredentials("access", "secret-key-for-tests")
			.ignoreUnknownHeaders()
			.build();
	}

	private S3AsyncClient client;

	private software.amazon.awssdk.services.s3.presigner.S3Presigner presigner;

	public void start() throws Exception {
		this.core.beforeEach();
		this.client = settings().clientBuilder().build();
		this.presigner = settings().presigner();
	}

	public void stop() {
		this.client.close();
		this.presigner.close();
		this.core.afterEach();
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stop();
	}

	public S3AsyncClient client() {
		return this.client;
	}

	public URI uri() {
		return this.core.getUri();
	}

	public S3ClientSettings settings() {
		return new S3ClientSettings("us-east-1", uri(), true, this.core.getAccessKey(), this.core.getSecretKey(), null,
				null, false, Duration.ofSeconds(5), Duration.ofSeconds(5));
	}

	/** A storage on a new bucket, sharing the server's client (not closed with the storage). */
	public S3Storage storage(String name, String bucket, S3StorageOptions options, DataBufferFactory bufferFactory) {
		this.client.createBucket(request -> request.bucket(bucket)).join();
		return new S3Storage(name, this.client, this.presigner, bucket, options, bufferFactory, null);
	}

}
