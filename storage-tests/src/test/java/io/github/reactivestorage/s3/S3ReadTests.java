package io.github.reactivestorage.s3;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.conformance.LeakTrackingDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code read} on S3Proxy is one {@code GetObject} (counted by an SDK interceptor on every request
 * transmitted) for the whole object, a range, a suffix and a range {@code get}; an empty object's
 * suffix is the one case that needs a second request (S3 answers 416 to it).
 */
class S3ReadTests {

	@RegisterExtension
	static final S3ProxyServer server = new S3ProxyServer();

	private final LeakTrackingDataBufferFactory bufferFactory = new LeakTrackingDataBufferFactory();

	private final List<String> requests = new CopyOnWriteArrayList<>();

	private S3AsyncClient client;

	private S3Storage storage;

	@BeforeEach
	void createStorage() {
		ExecutionInterceptor counter = new ExecutionInterceptor() {

			// once per call the backend makes (the SDK's own retries of a transient failure are not calls)
			@Override
			public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
				S3ReadTests.this.requests.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
			}

		};
		this.client = server.settings()
			.clientBuilder()
			.overrideConfiguration(config -> config.addExecutionInterceptor(counter))
			.build();
		String bucket = "read-" + UUID.randomUUID().toString().substring(0, 13);
		this.client.createBucket(request -> request.bucket(bucket)).join();
		this.storage = new S3Storage("s3", this.client, null, bucket, S3StorageOptions.DEFAULTS, this.bufferFactory,
				null);
		this.storage.put("digits.txt", "0123456789".getBytes(StandardCharsets.UTF_8), PutOptions.defaults()).block();
		this.storage.put("empty.txt", new byte[0], PutOptions.defaults()).block();
		this.requests.clear();
	}

	@AfterEach
	void close() {
		this.client.close();
		this.bufferFactory.checkForLeaks(Duration.ofSeconds(5));
	}

	private String text(StoredContent content) {
		return DataBufferUtils.join(content.content()).map(buffer -> {
			String text = buffer.toString(StandardCharsets.UTF_8);
			DataBufferUtils.release(buffer);
			return text;
		}).defaultIfEmpty("").block();
	}

	@Test
	void wholeRangeAndSuffixReadsAreOneGetObjectEach() {
		StoredContent whole = this.storage.read("digits.txt", null).block();
		assertThat(text(whole)).isEqualTo("0123456789");
		assertThat(whole.object().size()).isEqualTo(10);
		StoredContent range = this.storage.read("digits.txt", ByteRange.of(2, 4)).block();
		assertThat(text(range)).isEqualTo("234");
		assertThat(range.object().size()).isEqualTo(10);
		assertThat(range.start()).isEqualTo(2);
		StoredContent suffix = this.storage.read("digits.txt", ByteRange.last(3)).block();
		assertThat(text(suffix)).isEqualTo("789");
		assertThat(suffix.start()).isEqualTo(7);
		assertThat(DataBufferUtils.join(this.storage.get("digits.txt", ByteRange.of(0, 1)))
			.map(buffer -> {
				String text = buffer.toString(StandardCharsets.UTF_8);
				DataBufferUtils.release(buffer);
				return text;
			})
			.block()).isEqualTo("01");
		assertThat(this.requests).containsExactly("GetObject", "GetObject", "GetObject", "GetObject");
	}

	@Test
	void discardedReadsAreOneRequestEachAndLeaveThePoolUsable() {
		for (int i = 0; i < 5; i++) {
			this.storage.read("digits.txt", null).flatMap(StoredContent::discard).block();
		}
		assertThat(text(this.storage.read("digits.txt", null).block())).isEqualTo("0123456789");
		assertThat(this.requests).hasSize(6).containsOnly("GetObject");
	}

	@Test
	void anEmptyObjectsSuffixIsEmpty() {
		StoredContent content = this.storage.read("empty.txt", ByteRange.last(5)).block();
		assertThat(content.length()).isZero();
		assertThat(text(content)).isEmpty();
		assertThat(this.requests).allMatch("GetObject"::equals).hasSizeBetween(1, 2);
	}

}
