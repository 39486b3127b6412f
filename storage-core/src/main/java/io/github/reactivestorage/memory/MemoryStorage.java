package io.github.reactivestorage.memory;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.AbstractReactiveStorage;
import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.ChecksumVerifyingBody;
import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.ObjectAlreadyExistsException;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.StorageQuotaExceededException;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.support.ContentHash;
import io.github.reactivestorage.support.Listings;

/**
 * Objects held in a sorted in-memory map: for tests and development. The only backend that holds a
 * whole body in memory (while a put is in flight, and once stored). Thread-safe; writes of the same
 * key are serialised and atomic. With a {@code maxSize}, the bytes of all stored objects are capped:
 * a put that would pass the cap fails with {@link StorageQuotaExceededException} while its body
 * streams in, storing nothing; an overwrite counts as a replacement. {@code url} gives
 * {@code memory://{mount}/{key}} URIs, which only this JVM understands. Etags are a 128-bit hash of
 * the content ({@link ContentHash}): equal content has equal etags, on every memory mount.
 * Conditional puts and deletes ({@code ifMatch}) compare the etag under the write lock, so they are
 * compare-and-swap ({@link StorageCapability#CONDITIONAL_WRITE}); as etags are content hashes, a put
 * of the same bytes keeps the etag.
 */
public class MemoryStorage extends AbstractReactiveStorage {

	private static final int CHUNK_SIZE = 64 * 1024;

	private static final int PRESIZE_LIMIT = 1024 * 1024;

	private static final Set<StorageCapability> CAPABILITIES = EnumSet.of(StorageCapability.WRITE,
			StorageCapability.LIST, StorageCapability.DELIMITER_LIST, StorageCapability.RANGE_READ,
			StorageCapability.CONDITIONAL_PUT, StorageCapability.CONDITIONAL_WRITE, StorageCapability.SERVER_SIDE_COPY, StorageCapability.URL_GET,
			StorageCapability.USER_METADATA, StorageCapability.CHECKSUMS);

	private final ConcurrentNavigableMap<String, Entry> objects = new ConcurrentSkipListMap<>(StorageKeys.ORDER);

	private final long maxSize;

	private final Object writeLock = new Object();

	private long usedBytes;

	/** Bytes of puts in flight, guarded by the write lock. */
	private long reservedBytes;

	/** Per key, the put in flight that may count the stored object as replaced; guarded by the write lock. */
	private final Map<String, Reservation> replacing = new HashMap<>();

	/** An unbounded memory mount. */
	public MemoryStorage(String name) {
		this(name, DefaultDataBufferFactory.sharedInstance, -1);
	}

	/**
	 * @param maxSize the most bytes all objects together may take, or {@code -1} for no limit
	 */
	public MemoryStorage(String name, DataBufferFactory bufferFactory, long maxSize) {
		super(name, bufferFactory);
		this.maxSize = maxSize;
	}

	@Override
	public Set<StorageCapability> capabilities() {
		return CAPABILITIES;
	}

	/** The bytes all stored objects take together. */
	public long usedBytes() {
		synchronized (this.writeLock) {
			return this.usedBytes;
		}
	}

	/**
	 * The bytes puts in flight have received so far (counted against {@code max-size} with
	 * {@link #usedBytes()}); always 0 without a {@code max-size}.
	 */
	public long reservedBytes() {
		synchronized (this.writeLock) {
			return this.reservedBytes;
		}
	}

	/** The cap on {@link #usedBytes()}, or {@code -1}. */
	public long maxSize() {
		return this.maxSize;
	}

	@Override
	protected Mono<StoredObject> doPut(String key, Publisher<DataBuffer> body, PutOptions options) {
		return Mono.defer(() -> {
			if (options.createOnly() && this.objects.containsKey(key)) {
				return Mono.error(new ObjectAlreadyExistsException("An object already exists", key, null));
			}
			// a stale etag fails before the body is read; store() checks again under the lock
			if (options.ifMatch() != null) {
				checkEtag(key, this.objects.get(key), options.ifMatch());
			}
			// sized exactly for a known small length (no copy at the end), never trusting a large one
			int expected = (options.contentLength() >= 0 && options.contentLength() <= PRESIZE_LIMIT)
					? (int) options.contentLength() : 256;
			Accumulator content = new Accumulator(expected);
			Reservation reservation = new Reservation(key);
			ChecksumVerifyingBody verifying = ChecksumVerifyingBody.of(body);
			// Each buffer is copied and released in map, and only its byte count travels on: an
			// operator that discards what it drops (collect on an error, then) must never see a
			// released DataBuffer, as a discard hook in the subscriber's context (Spring WebFlux adds
			// one when it encodes a controller's Mono) would release it again.
			return Flux.from(body).map(buffer -> {
				try {
					int count = buffer.readableByteCount();
					reserve(reservation, count);
					content.append(buffer, count);
					return count;
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			})
				.then(Mono.fromSupplier(() -> store(key, content.toArray(), options, reservation,
						(verifying != null) ? verifying.checksums() : Map.of())))
				.doFinally(signal -> release(reservation));
		});
	}

	/**
	 * Reserve the bytes of a buffer that arrived, atomically with every other put in flight: the
	 * stored objects and the reservations of all puts together never pass {@code max-size}. The first
	 * put in flight of a key may count the object it replaces as free (an overwrite is a replacement);
	 * others of that key may not, so one object is never counted free twice.
	 */
	private void reserve(Reservation reservation, int count) {
		if (this.maxSize < 0) {
			return;
		}
		synchronized (this.writeLock) {
			this.replacing.putIfAbsent(reservation.key, reservation);
			if (this.usedBytes + this.reservedBytes + count - replaceable() > this.maxSize) {
				throw quotaExceeded(reservation.key);
			}
			reservation.bytes += count;
			this.reservedBytes += count;
		}
	}

	/** Give back what a put reserved (it stored its object, failed, or was cancelled). Idempotent. */
	private void release(Reservation reservation) {
		if (this.maxSize < 0) {
			return;
		}
		synchronized (this.writeLock) {
			this.reservedBytes -= reservation.bytes;
			reservation.bytes = 0;
			this.replacing.remove(reservation.key, reservation);
		}
	}

	/** The bytes of the stored objects that puts in flight replace. Guarded by the write lock. */
	private long replaceable() {
		long total = 0;
		for (String key : this.replacing.keySet()) {
			Entry existing = this.objects.get(key);
			total += (existing != null) ? existing.content.length : 0;
		}
		return total;
	}

	private StorageQuotaExceededException quotaExceeded(String key) {
		return new StorageQuotaExceededException("Mount '" + name() + "' is limited to " + this.maxSize
				+ " bytes (max-size); this object does not fit", key, null);
	}

	private StoredObject store(String key, byte[] content, PutOptions options) {
		return store(key, content, options, null, Map.of());
	}

	private StoredObject store(String key, byte[] content, PutOptions options, @Nullable Reservation reservation,
			Map<String, String> checksums) {
		if (options.contentLength() >= 0 && options.contentLength() != content.length) {
			throw new StorageException("Body has " + content.length + " bytes but the content length given was "
					+ options.contentLength(), key, null);
		}
		synchronized (this.writeLock) {
			Entry existing = this.objects.get(key);
			if (options.createOnly() && existing != null) {
				throw new ObjectAlreadyExistsException("An object already exists", key, null);
			}
			if (options.ifMatch() != null) {
				checkEtag(key, existing, options.ifMatch());
			}
			long replaced = (existing != null) ? existing.content.length : 0;
			if (reservation != null) {
				release(reservation);
			}
			// the object as stored plus what other puts hold reserved, with the new object's size
			// where it is theirs to replace, must still fit
			if (this.maxSize >= 0 && this.usedBytes - replaced + content.length + this.reservedBytes
					- replaceable() + (this.replacing.containsKey(key) ? replaced - content.length : 0) > this.maxSize) {
				throw quotaExceeded(key);
			}
			Entry entry = new Entry(content, options.contentType(), ContentHash.hex(content), now(), options.metadata(),
					checksums);
			this.objects.put(key, entry);
			this.usedBytes += content.length - replaced;
			return entry.toStoredObject(key);
		}
	}

	@Override
	protected Flux<DataBuffer> doGet(String key, @Nullable ByteRange range) {
		return Flux.defer(() -> {
			Entry entry = this.objects.get(key);
			if (entry == null) {
				return Flux.error(notFound(key));
			}
			if (range == null) {
				return chunks(entry.content, 0, entry.content.length);
			}
			long[] resolved = range.resolve(entry.content.length);
			return chunks(entry.content, (int) resolved[0], (int) (resolved[1] + 1));
		});
	}

	/** The snapshot of one entry: information and bytes of the same version. */
	@Override
	protected Mono<StoredContent> doRead(String key, @Nullable ByteRange range) {
		return Mono.fromCallable(() -> {
			Entry entry = this.objects.get(key);
			if (entry == null) {
				throw notFound(key);
			}
			StoredObject object = entry.toStoredObject(key);
			if (range == null) {
				return StoredContent.whole(object, chunks(entry.content, 0, entry.content.length), Mono.empty());
			}
			long[] resolved = range.resolve(entry.content.length);
			return StoredContent.range(object, resolved[0], resolved[1],
					chunks(entry.content, (int) resolved[0], (int) (resolved[1] + 1)), Mono.empty());
		});
	}

	private Flux<DataBuffer> chunks(byte[] content, int startOffset, int end) {
		return Flux.<DataBuffer, Integer>generate(() -> startOffset, (offset, sink) -> {
			if (offset >= end) {
				sink.complete();
				return offset;
			}
			int length = Math.min(CHUNK_SIZE, end - offset);
			DataBuffer buffer = bufferFactory().allocateBuffer(length);
			buffer.write(content, offset, length);
			sink.next(buffer);
			return offset + length;
		});
	}

	@Override
	protected Mono<byte[]> doGetBytes(String key) {
		return Mono.defer(() -> {
			Entry entry = this.objects.get(key);
			return (entry != null) ? Mono.just(entry.content.clone()) : Mono.error(notFound(key));
		});
	}

	@Override
	protected Mono<StoredObject> doInfo(String key) {
		return Mono.defer(() -> {
			Entry entry = this.objects.get(key);
			return (entry != null) ? Mono.just(entry.toStoredObject(key)) : Mono.error(notFound(key));
		});
	}

	@Override
	protected Mono<Boolean> doExists(String key) {
		return Mono.fromSupplier(() -> this.objects.containsKey(key));
	}

	@Override
	protected Mono<Void> doDelete(String key) {
		return Mono.defer(() -> {
			synchronized (this.writeLock) {
				Entry removed = this.objects.remove(key);
				if (removed == null) {
					return Mono.error(notFound(key));
				}
				this.usedBytes -= removed.content.length;
			}
			return Mono.empty();
		});
	}

	@Override
	protected Mono<Void> doDelete(String key, DeleteOptions options) {
		return Mono.fromRunnable(() -> {
			synchronized (this.writeLock) {
				checkEtag(key, this.objects.get(key), options.ifMatch());
				Entry removed = this.objects.remove(key);
				this.usedBytes -= removed.content.length;
			}
		});
	}

	/** The compare of compare-and-swap; a missing object never matches (HTTP If-Match answers 412). */
	private static void checkEtag(String key, @Nullable Entry current, @Nullable String expected) {
		if (current == null) {
			throw new PreconditionFailedException("No object under the key to match the etag", key, null);
		}
		if (!current.etag.equals(expected)) {
			throw new PreconditionFailedException("The object's etag does not match", key, null);
		}
	}

	@Override
	protected Flux<StoredObject> doList(ListOptions options) {
		return Flux.defer(() -> {
			String from = options.prefix();
			String startAfter = options.startAfter();
			if (startAfter != null && StorageKeys.compare(startAfter, from) > 0) {
				from = startAfter;
			}
			Map<String, Entry> tail = this.objects.tailMap(from, true);
			String prefix = options.prefix();
			Flux<StoredObject> sorted = Flux.fromIterable(tail.entrySet())
				.takeWhile(e -> e.getKey().startsWith(prefix))
				.map(e -> e.getValue().toStoredObject(e.getKey()));
			return Listings.apply(sorted, options);
		});
	}

	@Override
	protected Mono<URI> doUrl(String key, UrlOptions options) {
		return Mono.fromCallable(() -> new URI("memory", name(), "/" + key, null));
	}

	@Override
	protected Mono<StoredObject> doCopy(String source, String destination) {
		return Mono.defer(() -> {
			Entry entry = this.objects.get(source);
			if (entry == null) {
				return Mono.error(notFound(source));
			}
			PutOptions options = PutOptions.builder()
				.contentType(entry.contentType)
				.metadata(entry.metadata)
				.build();
			return Mono.fromSupplier(() -> store(destination, entry.content, options, null, entry.checksums()));
		});
	}

	private static ObjectNotFoundException notFound(String key) {
		return new ObjectNotFoundException("No object under the key", key, null);
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

	@Override
	public void close() {
	}

	/** What one put in flight holds of {@code max-size}. Guarded by the write lock. */
	private static final class Reservation {

		final String key;

		long bytes;

		Reservation(String key) {
			this.key = key;
		}

	}

	/** The body's bytes as they arrive; sized up front when the length is known. */
	private static final class Accumulator {

		private byte[] bytes;

		private int size;

		Accumulator(int expected) {
			this.bytes = new byte[expected];
		}

		void append(DataBuffer buffer, int count) {
			if (this.size + count > this.bytes.length) {
				long grown = Math.max(this.size + (long) count, this.bytes.length * 2L);
				if (grown > Integer.MAX_VALUE - 8) {
					throw new StorageException("Objects in a memory mount are limited to 2 GiB");
				}
				this.bytes = Arrays.copyOf(this.bytes, (int) grown);
			}
			buffer.read(this.bytes, this.size, count);
			this.size += count;
		}

		byte[] toArray() {
			return (this.size == this.bytes.length) ? this.bytes : Arrays.copyOf(this.bytes, this.size);
		}

	}

	private record Entry(byte[] content, @Nullable String contentType, String etag, Instant lastModified,
			Map<String, String> metadata, Map<String, String> checksums) {

		StoredObject toStoredObject(String key) {
			return StoredObject.builder(key)
				.size(this.content.length)
				.contentType(this.contentType)
				.etag(this.etag)
				.lastModified(this.lastModified)
				.metadata(this.metadata)
				.checksums(this.checksums)
				.build();
		}

	}

}
