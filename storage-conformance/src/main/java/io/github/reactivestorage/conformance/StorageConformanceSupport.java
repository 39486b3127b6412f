package io.github.reactivestorage.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StoredObject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Lifecycle, gates and helpers of {@link StorageConformanceTests}: one fresh storage per test built by
 * {@link #createStorage(StorageTestContext)}, a leak check of every buffer after each test, and
 * helpers to write, read and digest content without holding large objects.
 */
public abstract class StorageConformanceSupport {

	/** How long a single reactive step of the suite may take. */
	protected static final Duration TIMEOUT = Duration.ofSeconds(60);

	protected static final int CHUNK = 64 * 1024;

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

	/**
	 * Names the backend reserves as a key's first segment (the filesystem backend's {@code .storage});
	 * the key and listing cases check that no key, prefix or start-after value can name them and that
	 * no listing shows them. Default: none, and those cases are skipped.
	 */
	protected Set<String> reservedNames() {
		return Set.of();
	}

	/**
	 * Whether the backend's {@code read} gives one version under concurrent overwrites (one lookup, as
	 * every built-in backend does). A backend on {@code AbstractReactiveStorage}'s default {@code doRead}
	 * (its {@code info}, then its {@code get}) cannot promise it and answers {@code false}: the case that
	 * races readers against a writer is then skipped, with this reason.
	 */
	protected boolean readsOneVersion() {
		return true;
	}

	/** The mount name the suite gives the storage. */
	protected String mountName() {
		return "conformance";
	}

	/** The size of the large objects the streaming cases write and read (default 8 MiB). */
	protected long largeObjectSize() {
		return 8L * 1024 * 1024;
	}

	/** How many keys the large listing case writes (default 1,500; paged backends page at 1,000). */
	protected int largeListingSize() {
		return 1500;
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
		assumeTrue(this.storage.supports(capability), () -> "backend does not declare capability " + capability);
	}

	protected void assumeLacking(StorageCapability capability) {
		assumeFalse(this.storage.supports(capability), () -> "backend declares capability " + capability);
	}

	protected void assumeReadsOneVersion() {
		assumeTrue(readsOneVersion(), "backend reads with the default info-then-get (not one version)");
	}

	protected void assumeReservedNames() {
		assumeFalse(reservedNames().isEmpty(), "backend reserves no names");
	}

	protected void assumeNoLimitation(KnownLimitation limitation) {
		assumeFalse(knownLimitations().contains(limitation), () -> "test server has known limitation " + limitation);
	}

	// ---- helpers ----

	protected static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	protected static String text(byte[] value) {
		return new String(value, StandardCharsets.UTF_8);
	}

	protected StoredObject put(String key, byte[] content) {
		return put(key, content, PutOptions.defaults());
	}

	protected StoredObject put(String key, byte[] content, PutOptions options) {
		return await(this.storage.put(key, body(content), options));
	}

	/** A lazily allocated body of one buffer from the tracked factory. */
	protected Flux<DataBuffer> body(byte[] content) {
		return Flux.defer(() -> Flux.just(this.bufferFactory.wrap(content.clone())));
	}

	protected byte[] get(String key) {
		return readAll(this.storage.get(key));
	}

	protected byte[] get(String key, ByteRange range) {
		return readAll(this.storage.get(key, range));
	}

	protected StoredObject info(String key) {
		return await(this.storage.info(key));
	}

	protected boolean exists(String key) {
		return await(this.storage.exists(key));
	}

	protected List<StoredObject> list(ListOptions options) {
		AtomicReference<List<StoredObject>> result = new AtomicReference<>();
		StepVerifier.create(this.storage.list(options).collectList())
			.consumeNextWith(result::set)
			.expectComplete()
			.verify(TIMEOUT);
		return result.get();
	}

	protected static List<String> keys(List<StoredObject> objects) {
		return objects.stream().map(StoredObject::key).toList();
	}

	protected <T> T await(Mono<T> mono) {
		AtomicReference<T> result = new AtomicReference<>();
		StepVerifier.create(mono).consumeNextWith(result::set).expectComplete().verify(TIMEOUT);
		return result.get();
	}

	protected void awaitEmpty(Mono<?> mono) {
		StepVerifier.create(mono).expectComplete().verify(TIMEOUT);
	}

	protected void expectError(Publisher<?> publisher, Class<? extends Throwable> type) {
		StepVerifier.create(publisher).expectError(type).verify(TIMEOUT);
	}

	/** Read a flux of buffers into one array, releasing each buffer. */
	protected static byte[] readAll(Flux<DataBuffer> content) {
		AtomicReference<byte[]> result = new AtomicReference<>();
		StepVerifier.create(content.reduce(new ByteArrayOutputStream(), (out, buffer) -> {
			try {
				byte[] chunk = new byte[buffer.readableByteCount()];
				buffer.read(chunk);
				out.write(chunk, 0, chunk.length);
				return out;
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}).map(ByteArrayOutputStream::toByteArray).defaultIfEmpty(new byte[0]))
			.consumeNextWith(result::set)
			.expectComplete()
			.verify(TIMEOUT);
		return result.get();
	}

	/**
	 * A body of {@code size} pseudo-random bytes (a function of the seed), produced lazily in 64 KiB
	 * buffers of the tracked factory: never held whole.
	 */
	protected Flux<DataBuffer> generate(long size, long seed) {
		return Flux.<DataBuffer, Long>generate(() -> 0L, (offset, sink) -> {
			if (offset >= size) {
				sink.complete();
				return offset;
			}
			int length = (int) Math.min(CHUNK, size - offset);
			DataBuffer buffer = this.bufferFactory.allocateBuffer(length);
			buffer.write(chunk(seed, offset / CHUNK, length));
			sink.next(buffer);
			return offset + length;
		});
	}

	/** The SHA-256 of what {@link #generate(long, long)} produces. */
	protected static String digestOfGenerated(long size, long seed) {
		MessageDigest digest = sha256();
		for (long offset = 0; offset < size; offset += CHUNK) {
			int length = (int) Math.min(CHUNK, size - offset);
			digest.update(chunk(seed, offset / CHUNK, length));
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	/** The SHA-256 of a stream of buffers, releasing each; the stream is never held whole. */
	protected static String digestOf(Flux<DataBuffer> content) {
		AtomicReference<String> result = new AtomicReference<>();
		StepVerifier.create(content.reduce(sha256(), (digest, buffer) -> {
			try (DataBuffer.ByteBufferIterator iterator = buffer.readableByteBuffers()) {
				while (iterator.hasNext()) {
					ByteBuffer byteBuffer = iterator.next();
					digest.update(byteBuffer);
				}
			}
			finally {
				DataBufferUtils.release(buffer);
			}
			return digest;
		}).map(digest -> HexFormat.of().formatHex(digest.digest())))
			.consumeNextWith(result::set)
			.expectComplete()
			.verify(TIMEOUT);
		return result.get();
	}

	private static byte[] chunk(long seed, long index, int length) {
		byte[] bytes = new byte[length];
		new SplittableRandom(seed * 1_000_003L + index).nextBytes(bytes);
		return bytes;
	}

	protected static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A body that records whether it was subscribed. */
	protected static final class WatchedBody {

		private final AtomicBoolean subscribed = new AtomicBoolean();

		private final Flux<DataBuffer> flux;

		public WatchedBody(Flux<DataBuffer> source) {
			this.flux = source.doOnSubscribe(subscription -> this.subscribed.set(true));
		}

		public Flux<DataBuffer> flux() {
			return this.flux;
		}

		public boolean wasSubscribed() {
			return this.subscribed.get();
		}

	}

	protected WatchedBody watched(byte[] content) {
		return new WatchedBody(body(content));
	}

}
