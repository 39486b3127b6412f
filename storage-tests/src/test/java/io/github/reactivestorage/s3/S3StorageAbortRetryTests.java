package io.github.reactivestorage.s3;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import org.springframework.core.io.buffer.DataBuffer;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.conformance.LeakTrackingDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against S3Proxy, with the SDK's own interceptor hook refusing {@code AbortMultipartUpload}
 * requests before they are sent: a failed abort is retried, and one that keeps failing is given up
 * after four attempts with a warning naming the upload.
 */
class S3StorageAbortRetryTests {

	private static final int MIB = 1024 * 1024;

	@RegisterExtension
	static final S3ProxyServer server = new S3ProxyServer();

	private final LeakTrackingDataBufferFactory bufferFactory = new LeakTrackingDataBufferFactory();

	private final AtomicInteger abortAttempts = new AtomicInteger();

	private volatile int abortsToRefuse;

	private S3AsyncClient client;

	private String bucket;

	private S3Storage storage;

	@BeforeEach
	void createStorage() {
		ExecutionInterceptor refuseAborts = new ExecutionInterceptor() {
			@Override
			public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
				if (context.request() instanceof AbortMultipartUploadRequest
						&& S3StorageAbortRetryTests.this.abortAttempts.incrementAndGet() <= S3StorageAbortRetryTests.this.abortsToRefuse) {
					throw SdkClientException.create("abort refused by the test");
				}
			}
		};
		this.client = server.settings()
			.clientBuilder()
			.overrideConfiguration((config) -> config.addExecutionInterceptor(refuseAborts))
			.build();
		this.bucket = "abort-" + UUID.randomUUID().toString().substring(0, 13);
		this.client.createBucket((request) -> request.bucket(this.bucket)).join();
		this.storage = new S3Storage("s3", this.client, null, this.bucket, S3ProxyServer.SMALL_PARTS,
				this.bufferFactory, null);
	}

	@AfterEach
	void close() {
		this.bufferFactory.checkForLeaks(Duration.ofSeconds(10));
		this.client.close();
	}

	@Test
	void aFailedAbortIsRetried() {
		this.abortsToRefuse = 2;
		failUpload("retried.bin");
		assertThat(this.abortAttempts).hasValue(3);
		assertThat(uploads()).isEmpty();
	}

	@Test
	void anAbortThatKeepsFailingIsLoggedWithTheUploadId() {
		this.abortsToRefuse = Integer.MAX_VALUE;
		// the tests log through Logback (S3Proxy brings it): listen to the backend's logger
		Logger logger = (Logger) LoggerFactory.getLogger(S3Storage.class);
		ListAppender<ILoggingEvent> captured = new ListAppender<>();
		captured.start();
		logger.addAppender(captured);
		try {
			failUpload("stuck.bin");
		}
		finally {
			logger.detachAppender(captured);
		}
		assertThat(this.abortAttempts).hasValue(4);
		List<MultipartUpload> left = uploads();
		assertThat(left).hasSize(1);
		assertThat(captured.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage()).contains("Could not abort multipart upload " + left.get(0).uploadId())
				.contains("stuck.bin")
				.contains("AbortIncompleteMultipartUpload");
		});
		server.client().abortMultipartUpload((request) -> request.bucket(this.bucket)
			.key("stuck.bin")
			.uploadId(left.get(0).uploadId())).join();
	}

	/** A put of two parts whose body then fails: the error arrives once the abort has run. */
	private void failUpload(String key) {
		Flux<DataBuffer> body = Flux.range(0, 48)
			.map((i) -> this.bufferFactory.wrap(new byte[MIB / 4]))
			.concatWith(Mono.error(new IllegalStateException("client went away")));
		StepVerifier.create(this.storage.put(key, body, PutOptions.defaults()))
			.expectErrorMessage("client went away")
			.verify(Duration.ofSeconds(60));
	}

	private List<MultipartUpload> uploads() {
		return server.client().listMultipartUploads((request) -> request.bucket(this.bucket)).join().uploads();
	}

}
