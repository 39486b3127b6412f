package io.github.reactivestorage.conformance;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;

import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageCapability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The storage contract as an abstract JUnit 5 suite. Extend it, build the backend in
 * {@link #createStorage(StorageTestContext)} with the context's leak-tracking buffer factory, and
 * every case runs against it. Optional behaviour is gated on the backend's declared
 * {@link StorageCapability capabilities}; gaps of a test server are declared with
 * {@link #knownLimitations()}. Gated cases are reported as skipped, with the reason.
 *
 * <p>Each test gets a fresh storage ({@link StorageTestContext#uniqueId()} lets a backend on a shared
 * server use a fresh bucket, container or root per test). After each test, every buffer the storage
 * allocated must have been released.
 */
public abstract class StorageConformanceTests {

	/** How long a single reactive step of the suite may take. */
	protected static final Duration TIMEOUT = Duration.ofSeconds(30);

	protected final LeakTrackingDataBufferFactory bufferFactory = new LeakTrackingDataBufferFactory();

	protected ReactiveStorage storage;

	protected StorageTestContext context;

	/**
	 * Build the storage under test. Called before each test.
	 */
	protected abstract ReactiveStorage createStorage(StorageTestContext context) throws Exception;

	/**
	 * Gaps of the test server this class runs against; cases needing them are skipped.
	 */
	protected Set<KnownLimitation> knownLimitations() {
		return Set.of();
	}

	/** The mount name the suite gives the storage. */
	protected String mountName() {
		return "conformance";
	}

	@BeforeEach
	void createStorageUnderTest(TestInfo testInfo) throws Exception {
		String uniqueId = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
		this.context = new StorageTestContext(mountName(), this.bufferFactory, uniqueId);
		this.storage = createStorage(this.context);
	}

	@AfterEach
	void checkBuffersAndClose() throws Exception {
		try {
			this.bufferFactory.checkForLeaks(Duration.ofSeconds(5));
		}
		finally {
			if (this.storage != null) {
				this.storage.close();
			}
		}
	}

	// ---- gates ----

	protected void assumeCapability(StorageCapability capability) {
		assumeTrue(this.storage.supports(capability),
				() -> "backend does not declare capability " + capability);
	}

	protected void assumeNoLimitation(KnownLimitation limitation) {
		assumeFalse(knownLimitations().contains(limitation),
				() -> "test server has known limitation " + limitation);
	}

	// ---- helpers ----

	/** Read a flux of buffers into one array, releasing each buffer. */
	protected static byte[] readAll(Flux<DataBuffer> content) {
		java.util.concurrent.atomic.AtomicReference<byte[]> result = new java.util.concurrent.atomic.AtomicReference<>();
		StepVerifier.create(content.reduce(new java.io.ByteArrayOutputStream(), (out, buffer) -> {
			try {
				byte[] chunk = new byte[buffer.readableByteCount()];
				buffer.read(chunk);
				out.write(chunk, 0, chunk.length);
				return out;
			}
			finally {
				org.springframework.core.io.buffer.DataBufferUtils.release(buffer);
			}
		}).map(java.io.ByteArrayOutputStream::toByteArray).defaultIfEmpty(new byte[0]))
			.consumeNextWith(result::set)
			.expectComplete()
			.verify(TIMEOUT);
		return result.get();
	}

	// ---- cases (grouped further in the kit) ----

	@Test
	void putThenGetRoundTripsBytes() {
		byte[] content = "hello, storage".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		assumeCapability(StorageCapability.WRITE);
		StepVerifier.create(this.storage.put("greeting.txt", content))
			.assertNext(object -> assertThat(object.size()).isEqualTo(content.length))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(readAll(this.storage.get("greeting.txt"))).isEqualTo(content);
	}

	@Test
	void getOfMissingKeyIsNotFound() {
		StepVerifier.create(this.storage.get("missing.txt"))
			.expectError(ObjectNotFoundException.class)
			.verify(TIMEOUT);
	}

}
