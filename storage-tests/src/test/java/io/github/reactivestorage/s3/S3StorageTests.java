package io.github.reactivestorage.s3;

import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.conformance.LeakTrackingDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S3-specific behaviour against S3Proxy in-process, beside {@code S3StorageIntegrationTests}: a
 * 40 MiB unknown-length upload in 5 MiB parts checked by digest, a cancelled upload aborted,
 * path-style and virtual-host signed URLs, and a missing bucket.
 */
class S3StorageTests {

	private static final int MIB = 1024 * 1024;

	@RegisterExtension
	static final S3ProxyServer server = new S3ProxyServer();

	private final LeakTrackingDataBufferFactory bufferFactory = new LeakTrackingDataBufferFactory();

	private String bucket;

	private S3Storage storage;

	@BeforeEach
	void createStorage() {
		this.bucket = "s3-" + UUID.randomUUID().toString().substring(0, 13);
		this.storage = server.storage("s3", this.bucket, new S3StorageOptions(5L * MIB, 5 * MIB, 3),
				this.bufferFactory);
	}

	@AfterEach
	void checkLeaks() {
		this.bufferFactory.checkForLeaks(Duration.ofSeconds(5));
	}

	@Test
	void unknownLengthBodyIsUploadedInParts() throws Exception {
		int chunk = 64 * 1024;
		int chunks = 40 * MIB / chunk + 3;
		MessageDigest expected = MessageDigest.getInstance("SHA-256");
		Random random = new Random(42);
		Flux<DataBuffer> body = Flux.range(0, chunks).map(i -> {
			byte[] bytes = new byte[chunk];
			random.nextBytes(bytes);
			expected.update(bytes);
			return this.bufferFactory.wrap(bytes);
		});
		StepVerifier.create(this.storage.put("big.bin", body, PutOptions.defaults()))
			.assertNext(object -> assertThat(object.size()).isEqualTo((long) chunks * chunk))
			.verifyComplete();
		String etag = server.client().headObject(request -> request.bucket(this.bucket).key("big.bin")).join().eTag();
		assertThat(etag).as("multipart ETag").endsWith("-9\"");
		MessageDigest actual = MessageDigest.getInstance("SHA-256");
		StepVerifier.create(this.storage.get("big.bin").doOnNext(buffer -> {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			actual.update(bytes);
			DataBufferUtils.release(buffer);
		})).thenConsumeWhile(buffer -> true).verifyComplete();
		assertThat(HexFormat.of().formatHex(actual.digest())).isEqualTo(HexFormat.of().formatHex(expected.digest()));
	}

	@Test
	void cancelledPutAbortsTheMultipartUpload() throws Exception {
		Flux<DataBuffer> body = Flux.range(0, 12)
			.map(i -> this.bufferFactory.wrap(new byte[MIB]))
			.concatWith(Flux.never());
		StepVerifier.create(this.storage.put("cancelled.bin", body, PutOptions.defaults()))
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(2))
			.thenCancel()
			.verify();
		ListMultipartUploadsResponse uploads = null;
		for (int i = 0; i < 50; i++) {
			uploads = server.client().listMultipartUploads(request -> request.bucket(this.bucket)).join();
			if (uploads.uploads().isEmpty()) {
				break;
			}
			Thread.sleep(100);
		}
		assertNoObjectAndNoUploads("cancelled.bin");
	}

	private void assertNoObjectAndNoUploads(String key) {
		StepVerifier.create(this.storage.info(key)).expectError(ObjectNotFoundException.class).verify();
		ListMultipartUploadsResponse uploads = server.client()
			.listMultipartUploads(request -> request.bucket(this.bucket))
			.join();
		assertThat(uploads.uploads()).isEmpty();
	}

	@Test
	void pathStyleAndVirtualHostUrls() {
		S3ClientSettings pathStyle = server.settings();
		S3ClientSettings virtualHost = new S3ClientSettings("us-east-1", URI.create("http://storage.example.com"), false,
				"a", "b", null, null, false, Duration.ofSeconds(1), Duration.ofSeconds(1));
		try (S3Storage path = new S3Storage("p", server.client(), pathStyle.presigner(), "bkt", S3StorageOptions.DEFAULTS,
				this.bufferFactory, null);
				S3Storage host = new S3Storage("h", server.client(), virtualHost.presigner(), "bkt",
						S3StorageOptions.DEFAULTS, this.bufferFactory, null)) {
			URI pathUrl = path.url("x/y", UrlOptions.get()).block();
			assertThat(pathUrl.getPath()).isEqualTo("/bkt/x/y");
			URI hostUrl = host.url("x/y", UrlOptions.get()).block();
			assertThat(hostUrl.getHost()).isEqualTo("bkt.storage.example.com");
			assertThat(hostUrl.getPath()).isEqualTo("/x/y");
		}
	}

	@Test
	void missingBucketIsNotFoundAndSaysSo() {
		try (S3Storage missing = new S3Storage("m", server.client(), null, "no-such-bucket-" + UUID.randomUUID(),
				S3StorageOptions.DEFAULTS, this.bufferFactory, null)) {
			StepVerifier.create(missing.list(""))
				.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(ObjectNotFoundException.class)
					.hasMessageContaining("bucket"))
				.verify();
		}
	}

}
