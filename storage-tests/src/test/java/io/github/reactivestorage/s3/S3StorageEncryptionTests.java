package io.github.reactivestorage.s3;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
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
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Server-side encryption of an S3 mount: the headers of SSE-S3, SSE-KMS and SSE-C as they leave the
 * SDK (recorded by an {@link ExecutionInterceptor} on the client), on every kind of request against
 * S3Proxy, and the secrecy of the customer key. S3Proxy 4.1.0 does not encrypt: with
 * {@code ignoreUnknownHeaders()} it accepts and ignores the SSE headers, so what these tests prove is
 * what is sent, not what a store does with it.
 */
class S3StorageEncryptionTests {

	@RegisterExtension
	static final S3ProxyServer server = new S3ProxyServer();

	private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef"
		.getBytes(StandardCharsets.US_ASCII));

	private final List<Recorded> requests = new CopyOnWriteArrayList<>();

	private S3AsyncClient client;

	private int bucket;

	record Recorded(String operation, Map<String, List<String>> headers) {

		String first(String name) {
			List<String> values = this.headers.entrySet()
				.stream()
				.filter(e -> e.getKey().equalsIgnoreCase(name))
				.map(Map.Entry::getValue)
				.findFirst()
				.orElse(List.of());
			return values.isEmpty() ? null : values.get(0);
		}

	}

	@BeforeEach
	void setUp() {
		ExecutionInterceptor recorder = new ExecutionInterceptor() {
			@Override
			public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
				S3StorageEncryptionTests.this.requests.add(new Recorded(
						attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), context.httpRequest().headers()));
			}
		};
		this.client = server.settings().clientBuilder().overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build();
	}

	@AfterEach
	void tearDown() {
		this.client.close();
	}

	private S3Storage storage(S3ServerSideEncryption encryption) {
		String name = "enc" + System.nanoTime() + (this.bucket++);
		this.client.createBucket(request -> request.bucket(name)).join();
		return new S3Storage("enc", this.client, server.settings().presigner(), name,
				S3ProxyServer.SMALL_PARTS.withEncryption(encryption), DefaultDataBufferFactory.sharedInstance, null);
	}

	private static Flux<DataBuffer> large() {
		byte[] chunk = new byte[1024 * 1024];
		return Flux.range(0, 6).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(chunk.clone()));
	}

	/** Everything a mount does with objects: small and multipart puts, info, whole and ranged reads, copy. */
	private void exercise(S3Storage storage) {
		Duration timeout = Duration.ofSeconds(30);
		storage.put("small.txt", "secret".getBytes(StandardCharsets.UTF_8)).block(timeout);
		storage.put("large.bin", large(), PutOptions.defaults()).block(timeout);
		storage.info("small.txt").block(timeout);
		storage.get("small.txt").doOnNext(DataBufferUtils::release).blockLast(timeout);
		storage.get("small.txt", ByteRange.of(0, 2)).doOnNext(DataBufferUtils::release).blockLast(timeout);
		storage.copy("small.txt", "copy.txt").block(timeout);
	}

	private List<Recorded> of(String operation) {
		List<Recorded> matching = this.requests.stream().filter(r -> r.operation().equals(operation)).toList();
		assertThat(matching).as("recorded %s requests", operation).isNotEmpty();
		return matching;
	}

	@Test
	void customerKeyIsSentOnEveryRequestThatWritesOrReadsContent() throws Exception {
		exercise(storage(S3ServerSideEncryption.customerKey(KEY)));
		String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(Base64.getDecoder().decode(KEY)));
		for (String operation : List.of("PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload",
				"GetObject", "HeadObject", "CopyObject")) {
			for (Recorded request : of(operation)) {
				assertThat(request.first("x-amz-server-side-encryption-customer-algorithm")).as(operation).isEqualTo("AES256");
				assertThat(request.first("x-amz-server-side-encryption-customer-key")).as(operation).isEqualTo(KEY);
				assertThat(request.first("x-amz-server-side-encryption-customer-key-MD5")).as(operation).isEqualTo(md5);
				assertThat(request.first("x-amz-server-side-encryption")).as(operation).isNull();
			}
		}
		Recorded copy = of("CopyObject").get(0);
		assertThat(copy.first("x-amz-copy-source-server-side-encryption-customer-algorithm")).isEqualTo("AES256");
		assertThat(copy.first("x-amz-copy-source-server-side-encryption-customer-key")).isEqualTo(KEY);
		assertThat(copy.first("x-amz-copy-source-server-side-encryption-customer-key-MD5")).isEqualTo(md5);
	}

	@Test
	void customerKeyIsSetOnBothSidesOfAPartCopy() {
		// a multipart copy needs a source above 5 GiB: the request the mount builds is checked instead
		UploadPartCopyRequest.Builder request = UploadPartCopyRequest.builder();
		S3ServerSideEncryption.customerKey(KEY).partCopy(request);
		UploadPartCopyRequest built = request.build();
		assertThat(built.sseCustomerKey()).isEqualTo(KEY);
		assertThat(built.copySourceSSECustomerKey()).isEqualTo(KEY);
		assertThat(built.sseCustomerAlgorithm()).isEqualTo("AES256");
		assertThat(built.copySourceSSECustomerAlgorithm()).isEqualTo("AES256");
	}

	@Test
	void kmsKeyAndBucketKeyAreSentOnWritesOnly() {
		exercise(storage(S3ServerSideEncryption.kms("arn:aws:kms:us-east-1:111122223333:key/test", true)));
		for (String operation : List.of("PutObject", "CreateMultipartUpload", "CopyObject")) {
			for (Recorded request : of(operation)) {
				assertThat(request.first("x-amz-server-side-encryption")).as(operation).isEqualTo("aws:kms");
				assertThat(request.first("x-amz-server-side-encryption-aws-kms-key-id")).as(operation)
					.isEqualTo("arn:aws:kms:us-east-1:111122223333:key/test");
				assertThat(request.first("x-amz-server-side-encryption-bucket-key-enabled")).as(operation).isEqualTo("true");
			}
		}
		for (String operation : List.of("UploadPart", "GetObject", "HeadObject")) {
			for (Recorded request : of(operation)) {
				assertThat(request.first("x-amz-server-side-encryption")).as(operation).isNull();
			}
		}
	}

	@Test
	void s3ManagedKeysAreAes256OnWrites() {
		exercise(storage(S3ServerSideEncryption.s3Managed()));
		for (String operation : List.of("PutObject", "CreateMultipartUpload", "CopyObject")) {
			assertThat(of(operation)).allSatisfy(r -> assertThat(r.first("x-amz-server-side-encryption")).isEqualTo("AES256"));
		}
		assertThat(of("GetObject")).allSatisfy(r -> assertThat(r.first("x-amz-server-side-encryption-customer-key")).isNull());
	}

	@Test
	void withoutSettingsNoEncryptionHeaderIsSent() {
		exercise(storage(S3ServerSideEncryption.NONE));
		assertThat(this.requests).allSatisfy(r -> assertThat(r.headers().keySet())
			.noneMatch(name -> name.toLowerCase().contains("server-side-encryption")));
	}

	@Test
	void urlsThatCannotCarryTheEncryptionAreRefused() {
		S3Storage customer = storage(S3ServerSideEncryption.customerKey(KEY));
		assertThatThrownBy(() -> customer.url("a.txt", UrlOptions.get(Duration.ofMinutes(5))).block())
			.isInstanceOf(UnsupportedStorageOperationException.class)
			.hasMessageContaining("SSE_C");
		S3Storage kms = storage(S3ServerSideEncryption.kms(null, false));
		assertThatThrownBy(() -> kms.url("a.txt", UrlOptions.put(Duration.ofMinutes(5))).block())
			.isInstanceOf(UnsupportedStorageOperationException.class);
		assertThat(kms.url("a.txt", UrlOptions.get(Duration.ofMinutes(5))).block()).isNotNull();
	}

	@Test
	void theCustomerKeyIsNeverShownNorEchoedInErrors() {
		S3ServerSideEncryption encryption = S3ServerSideEncryption.customerKey(KEY);
		assertThat(encryption.toString()).doesNotContain(KEY).contains("******");
		assertThat(S3ProxyServer.SMALL_PARTS.withEncryption(encryption).toString()).doesNotContain(KEY);
		String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
		assertThatIllegalArgumentException().isThrownBy(() -> S3ServerSideEncryption.customerKey(shortKey))
			.withMessageNotContaining(shortKey)
			.withMessageContaining("32 random bytes");
		assertThatIllegalArgumentException().isThrownBy(() -> S3ServerSideEncryption.customerKey("not base64!"))
			.withMessageNotContaining("not base64!");
	}

}
