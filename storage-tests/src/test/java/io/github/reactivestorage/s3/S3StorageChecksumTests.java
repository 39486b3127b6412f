package io.github.reactivestorage.s3;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.ChecksumAlgorithm;
import io.github.reactivestorage.Checksums;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StoredObject;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checksums an S3 mount sends for S3 to verify, as they leave the SDK (recorded by an
 * {@link ExecutionInterceptor}) against S3Proxy: an expected SHA-256, CRC32C or MD5 on a single
 * PutObject, and an expected CRC32C as a full-object checksum of a multipart upload (the part's own
 * CRC32C on every part, the whole object's on the completion).
 */
class S3StorageChecksumTests {

	@RegisterExtension
	static final S3ProxyServer server = new S3ProxyServer();

	private static final int PART = 5 * 1024 * 1024;

	private final List<Map.Entry<String, Map<String, List<String>>>> requests = new CopyOnWriteArrayList<>();

	private S3AsyncClient client;

	private S3Storage storage;

	@BeforeEach
	void setUp() {
		ExecutionInterceptor recorder = new ExecutionInterceptor() {
			@Override
			public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
				S3StorageChecksumTests.this.requests.add(Map.entry(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
						context.httpRequest().headers()));
			}
		};
		this.client = server.settings().clientBuilder().overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build();
		String bucket = "sums" + System.nanoTime();
		this.client.createBucket(request -> request.bucket(bucket)).join();
		this.storage = new S3Storage("sums", this.client, null, bucket, S3ProxyServer.SMALL_PARTS,
				DefaultDataBufferFactory.sharedInstance, null);
	}

	@AfterEach
	void tearDown() {
		this.client.close();
	}

	private List<String> header(String operation, String name) {
		return this.requests.stream()
			.filter(r -> r.getKey().equals(operation))
			.map(r -> r.getValue()
				.entrySet()
				.stream()
				.filter(e -> e.getKey().equalsIgnoreCase(name))
				.map(e -> e.getValue().get(0))
				.findFirst()
				.orElse(null))
			.toList();
	}

	private static byte[] content(int size) {
		byte[] bytes = new byte[size];
		new java.util.Random(size).nextBytes(bytes);
		return bytes;
	}

	@Test
	void expectedValuesOfASinglePutAreSentAsS3sOwnHeaders() {
		byte[] content = content(1000);
		for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
			this.storage.put("a.bin", content, PutOptions.builder().checksum(algorithm, Checksums.of(algorithm, content)).build())
				.block(Duration.ofSeconds(30));
		}
		assertThat(header("PutObject", "x-amz-checksum-sha256")).contains(Checksums.of(ChecksumAlgorithm.SHA_256, content));
		assertThat(header("PutObject", "x-amz-checksum-crc32c")).contains(Checksums.of(ChecksumAlgorithm.CRC32C, content));
		assertThat(header("PutObject", "Content-MD5")).contains(Checksums.of(ChecksumAlgorithm.MD5, content));
	}

	@Test
	void anExpectedCrc32cOfAMultipartUploadIsAFullObjectChecksumWithOnePerPart() {
		byte[] content = content(2 * PART + 100);
		String expected = Checksums.of(ChecksumAlgorithm.CRC32C, content);
		Flux<DataBuffer> body = Flux.range(0, 3)
			.map(i -> DefaultDataBufferFactory.sharedInstance.wrap(java.util.Arrays.copyOfRange(content, i * PART,
					Math.min(content.length, (i + 1) * PART))));
		StoredObject stored = this.storage.put("big.bin", body, PutOptions.builder().checksum(ChecksumAlgorithm.CRC32C, expected).build())
			.block(Duration.ofSeconds(60));
		assertThat(stored.checksums()).containsEntry("crc32c", expected);
		assertThat(header("CreateMultipartUpload", "x-amz-checksum-algorithm")).containsExactly("CRC32C");
		assertThat(header("CreateMultipartUpload", "x-amz-checksum-type")).containsExactly("FULL_OBJECT");
		assertThat(header("UploadPart", "x-amz-checksum-crc32c")).containsExactlyInAnyOrder(
				Checksums.of(ChecksumAlgorithm.CRC32C, java.util.Arrays.copyOfRange(content, 0, PART)),
				Checksums.of(ChecksumAlgorithm.CRC32C, java.util.Arrays.copyOfRange(content, PART, 2 * PART)),
				Checksums.of(ChecksumAlgorithm.CRC32C, java.util.Arrays.copyOfRange(content, 2 * PART, content.length)));
		assertThat(header("CompleteMultipartUpload", "x-amz-checksum-crc32c")).containsExactly(expected);
		assertThat(header("CompleteMultipartUpload", "x-amz-checksum-type")).containsExactly("FULL_OBJECT");
	}

	@Test
	void withoutAChecksumNoneIsSent() {
		this.storage.put("a.bin", content(10)).block(Duration.ofSeconds(30));
		assertThat(this.requests).allSatisfy(r -> assertThat(r.getValue().keySet())
			.noneMatch(name -> name.toLowerCase().startsWith("x-amz-checksum") || name.equalsIgnoreCase("Content-MD5")));
	}

}
