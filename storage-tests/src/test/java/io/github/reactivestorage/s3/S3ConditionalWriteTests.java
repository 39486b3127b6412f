package io.github.reactivestorage.s3;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;

import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.conformance.LeakTrackingDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditional multipart uploads on S3Proxy: a stale etag is refused before any part is sent, and a
 * CompleteMultipartUpload refused by its {@code If-Match} is aborted, leaving no upload behind.
 */
class S3ConditionalWriteTests {

	private static final int MIB = 1024 * 1024;

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@RegisterExtension
	static final S3ProxyServer server = new S3ProxyServer();

	private final LeakTrackingDataBufferFactory bufferFactory = new LeakTrackingDataBufferFactory();

	private String bucket;

	private S3Storage storage;

	@BeforeEach
	void createStorage() {
		this.bucket = "cas-" + UUID.randomUUID().toString().substring(0, 13);
		this.storage = server.storage("s3", this.bucket, S3ProxyServer.SMALL_PARTS, this.bufferFactory);
	}

	@AfterEach
	void checkLeaks() {
		this.bufferFactory.checkForLeaks(Duration.ofSeconds(5));
	}

	@Test
	void aStaleEtagFailsAMultipartPutBeforeAnyPartIsSent() {
		StoredObject base = put("a.bin", "one");
		put("a.bin", "newer");
		AtomicLong pulled = new AtomicLong();
		Flux<DataBuffer> body = chunks(40).doOnNext(buffer -> pulled.addAndGet(buffer.readableByteCount()));
		StepVerifier.create(this.storage.put("a.bin", body, PutOptions.builder().ifMatch(base.etag()).build()))
			.expectError(PreconditionFailedException.class)
			.verify(TIMEOUT);
		// the first part is cut to learn that the upload is multipart; the HEAD then refuses it
		assertThat(pulled.get()).isLessThan(40L * MIB);
		assertThat(text("a.bin")).isEqualTo("newer");
		assertNoUploads();
	}

	@Test
	void aCompletionRefusedByItsIfMatchIsAborted() {
		StoredObject base = put("b.bin", "one");
		Flux<DataBuffer> body = chunks(12)
			.concatWith(Mono.defer(() -> this.storage.put("b.bin", "sneaked in".getBytes(StandardCharsets.UTF_8)))
				.then(Mono.<DataBuffer>empty()));
		StepVerifier.create(this.storage.put("b.bin", body, PutOptions.builder().ifMatch(base.etag()).build()))
			.expectError(PreconditionFailedException.class)
			.verify(TIMEOUT);
		assertThat(text("b.bin")).isEqualTo("sneaked in");
		assertNoUploads();
	}

	private Flux<DataBuffer> chunks(int mebibytes) {
		return Flux.range(0, mebibytes).map(i -> {
			DataBuffer buffer = this.bufferFactory.allocateBuffer(MIB);
			buffer.write(new byte[MIB]);
			return buffer;
		});
	}

	private StoredObject put(String key, String content) {
		return this.storage.put(key, content.getBytes(StandardCharsets.UTF_8)).block(TIMEOUT);
	}

	private String text(String key) {
		return new String(this.storage.getBytes(key).block(TIMEOUT), StandardCharsets.UTF_8);
	}

	private void assertNoUploads() {
		assertThat(server.client().listMultipartUploads(request -> request.bucket(this.bucket)).join().uploads())
			.isEmpty();
	}

}
