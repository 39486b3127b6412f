package io.github.reactivestorage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.core.io.buffer.DataBuffer;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.conformance.LeakTrackingDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against S3Proxy: puts cancelled at many points (before the create has completed, while a part
 * is in flight, between parts) leave no multipart upload and no object, run after run; and
 * presigning (whose credential lookup may block) never runs on the caller's non-blocking thread.
 */
class S3StorageCancelledUploadTests {

	private static final int MIB = 1024 * 1024;

	private static final int RUNS = 30;

	@RegisterExtension
	static final S3ProxyServer server = new S3ProxyServer();

	private final LeakTrackingDataBufferFactory bufferFactory = new LeakTrackingDataBufferFactory();

	private String bucket;

	private S3Storage storage;

	@BeforeEach
	void createStorage() {
		this.bucket = "cancel-" + UUID.randomUUID().toString().substring(0, 13);
		this.storage = server.storage("s3", this.bucket, S3ProxyServer.SMALL_PARTS, this.bufferFactory);
	}

	@AfterEach
	void checkLeaks() {
		this.bufferFactory.checkForLeaks(Duration.ofSeconds(10));
	}

	@Test
	void putsCancelledAtAnyPointLeaveNoUploadAndNoObject() throws InterruptedException {
		int cancelledWhileSending = 0;
		for (int run = 0; run < RUNS; run++) {
			// 6, 11 or 16 MiB arrive (1, 2 or 3 full parts, the first only once the create is sent),
			// then the body stalls; the cancel comes 0 to ~300 ms after the subscription
			int mebibytes = 6 + 5 * (run % 3);
			long delay = (run * 37L) % 311;
			AtomicInteger sent = new AtomicInteger();
			AtomicBoolean stalled = new AtomicBoolean();
			// every other run cancels from inside the body, at a buffer that moves through the parts, so
			// that cancels while sending happen however fast the machine is
			int cancelAt = (run % 2 == 1) ? 1 + (run * 7) % (mebibytes * 4) : -1;
			AtomicReference<Disposable> self = new AtomicReference<>();
			AtomicBoolean cancelledInside = new AtomicBoolean();
			Flux<DataBuffer> body = Flux.range(0, mebibytes * 4)
				.map((i) -> this.bufferFactory.wrap(new byte[MIB / 4]))
				.doOnNext((buffer) -> {
					if (sent.incrementAndGet() == cancelAt && self.get() != null) {
						cancelledInside.set(true);
						self.get().dispose();
					}
				})
				.concatWith(Flux.<DataBuffer>never().doOnSubscribe((s) -> stalled.set(true)));
			Disposable put = this.storage.put("run-" + run + ".bin", body, PutOptions.defaults())
				.subscribeOn(Schedulers.parallel())
				.subscribe();
			self.set(put);
			Thread.sleep(delay);
			if (cancelledInside.get() || !stalled.get()) {
				cancelledWhileSending++;
			}
			put.dispose();
		}
		ListMultipartUploadsResponse uploads = awaitNoUploads(Duration.ofSeconds(30));
		assertThat(uploads.uploads()).as("open multipart uploads").isEmpty();
		// and none appears later (a create still in flight would be listed once it lands)
		Thread.sleep(1000);
		uploads = server.client().listMultipartUploads((request) -> request.bucket(this.bucket)).join();
		assertThat(uploads.uploads()).as("open multipart uploads a second later").isEmpty();
		assertThat(server.client().listObjectsV2((request) -> request.bucket(this.bucket)).join().contents())
			.as("objects").isEmpty();
		assertThat(cancelledWhileSending).as("runs cancelled before the body stalled").isPositive();
	}

	@Test
	void aFailingBodyAbortsBeforeTheErrorArrives() {
		Flux<DataBuffer> body = Flux.range(0, 44)
			.map((i) -> this.bufferFactory.wrap(new byte[MIB / 4]))
			.concatWith(Mono.error(new IllegalStateException("client went away")));
		StepVerifier.create(this.storage.put("failed.bin", body, PutOptions.defaults()))
			.expectErrorMessage("client went away")
			.verify(Duration.ofSeconds(30));
		// the error follows the abort: nothing is left by the time it arrives
		assertThat(server.client().listMultipartUploads((request) -> request.bucket(this.bucket)).join().uploads())
			.isEmpty();
	}

	@Test
	void presigningRunsOffTheCallersNonBlockingThread() {
		AtomicReference<String> signingThread = new AtomicReference<>();
		AtomicBoolean nonBlocking = new AtomicBoolean(true);
		AwsCredentialsProvider recording = () -> {
			// a real provider may refresh here with blocking I/O (STS, instance metadata)
			signingThread.set(Thread.currentThread().getName());
			nonBlocking.set(Schedulers.isInNonBlockingThread());
			return AwsBasicCredentials.create("access", "secret-key-for-tests");
		};
		try (S3Presigner presigner = S3Presigner.builder()
			.credentialsProvider(recording)
			.region(Region.US_EAST_1)
			.endpointOverride(server.uri())
			.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
			.build()) {
			S3Storage signing = new S3Storage("s3", server.client(), presigner, this.bucket, S3ProxyServer.SMALL_PARTS,
					this.bufferFactory, null);
			StepVerifier.create(Mono.defer(() -> signing.url("a.txt", UrlOptions.get()))
				.subscribeOn(Schedulers.parallel()))
				.assertNext((url) -> assertThat(url).isInstanceOf(URI.class))
				.verifyComplete();
		}
		assertThat(signingThread.get()).as("signing thread").isNotNull().doesNotStartWith("parallel");
		assertThat(nonBlocking).as("signed on a non-blocking thread").isFalse();
	}

	private ListMultipartUploadsResponse awaitNoUploads(Duration within) throws InterruptedException {
		long deadline = System.nanoTime() + within.toNanos();
		while (true) {
			ListMultipartUploadsResponse uploads = server.client()
				.listMultipartUploads((request) -> request.bucket(this.bucket))
				.join();
			if (uploads.uploads().isEmpty() || System.nanoTime() > deadline) {
				return uploads;
			}
			Thread.sleep(100);
		}
	}

}
