package io.github.reactivestorage.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.support.ForwardingReactiveStorage;

/**
 * A read-through cache in front of a slow origin mount, using a fast mount (memory or filesystem) as
 * the cache.
 *
 * <h2>Reads</h2> {@code get}, {@code info} and {@code exists} of a key whose complete entry is cached
 * (and younger than the ttl) are served from the cache; {@code info} then returns the origin's
 * {@link StoredObject} as it was when the entry was filled, without any I/O. On a miss, {@code get}
 * (and {@code read}) makes one origin {@code read}, whose information is recorded with the very bytes
 * it streams to the caller while writing
 * a copy into the cache through the cache's {@code put} (atomic on memory and filesystem mounts):
 * memory stays constant (one buffer and its copy in flight) and the origin is read no faster than the
 * slower of the caller and the cache. The caller's {@code get} completes once the entry is stored.
 * A miss of {@code info} or {@code exists} asks the origin and fills nothing. A range {@code get}
 * is served from a cached entry, else from the origin without filling.
 *
 * <h2>What is never cached</h2> If the caller cancels, or the origin fails mid-body, the fill is
 * abandoned: the cache's put is cancelled, so no entry, partial or whole, becomes visible. An object
 * larger than {@code maxSize} streams from the origin without filling. A failing cache never fails a
 * read: the content still streams from the origin, uncached.
 *
 * <h2>Concurrent misses</h2> Misses of one key fetch the origin once: the first subscriber fills,
 * the others wait until the fill ends and then read the cache. If the fill failed with an origin
 * error, they get that error; if it was abandoned (cancelled) or not cached, they try again (one of
 * them fills).
 *
 * <h2>Writes and the rest</h2> {@code put}, {@code delete}, {@code copy} and {@code move} go to the
 * origin, then drop the cache entries of the keys they wrote or removed (also when a delete fails); a
 * fill running while a write completes is not recorded. {@code list}, {@code url} and the
 * capabilities are the origin's. The index of entries lives in this object: cache content written by
 * an earlier process is not reused (it is overwritten by the next fill), and changes made to the
 * origin by anything but this storage are seen only after the ttl.
 *
 * <h2>Eviction</h2> With a {@code maxSize}, the least recently used entries are deleted from the
 * cache once the cached objects add up to more than it.
 *
 * <p>{@link #close()} closes neither mount: both are owned by whoever built them.
 */
public class CachingStorage extends ForwardingReactiveStorage {

	private final String name;

	private final ReactiveStorage cache;

	private final CacheIndex index;

	private final ConcurrentHashMap<String, Fill> fills = new ConcurrentHashMap<>();

	/**
	 * @param name the mount name
	 * @param origin the slow mount reads fall back to and writes go to
	 * @param cache the fast mount entries are kept in; it should be dedicated to this cache
	 * @param maxSize the most bytes cached objects may add up to, or a negative number for no limit
	 * @param ttl how long an entry is served after it was filled, or {@code null} for no expiry
	 */
	public CachingStorage(String name, ReactiveStorage origin, ReactiveStorage cache, long maxSize,
			@Nullable Duration ttl) {
		this(name, origin, cache, maxSize, ttl, Clock.systemUTC());
	}

	/** As {@link #CachingStorage(String, ReactiveStorage, ReactiveStorage, long, Duration)}, with the clock ttl is measured by. */
	public CachingStorage(String name, ReactiveStorage origin, ReactiveStorage cache, long maxSize,
			@Nullable Duration ttl, Clock clock) {
		super(origin);
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("Mount name must not be empty");
		}
		if (origin == cache) {
			throw new IllegalArgumentException("The cache of mount '" + name + "' must not be its origin");
		}
		if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
			throw new IllegalArgumentException("The ttl of mount '" + name + "' must be positive: " + ttl);
		}
		this.name = name;
		this.cache = cache;
		this.index = new CacheIndex(maxSize, ttl, clock);
	}

	@Override
	public String name() {
		return this.name;
	}

	/** The mount reads fall back to and writes go to. */
	public ReactiveStorage origin() {
		return getDelegate();
	}

	/** The mount entries are kept in. */
	public ReactiveStorage cache() {
		return this.cache;
	}

	/** How many entries are cached. */
	public int cachedCount() {
		return this.index.count();
	}

	/** How many bytes the cached entries add up to. */
	public long cachedSize() {
		return this.index.size();
	}

	// ---- reads ----

	@Override
	public Flux<DataBuffer> get(String key) {
		return decorate(Flux.defer(() -> read(StorageKeys.normalize(key))));
	}

	@Override
	public Flux<DataBuffer> get(String key, ByteRange range) {
		return decorate(Flux.defer(() -> {
			String normalized = StorageKeys.normalize(key);
			if (this.index.lookup(normalized) == null) {
				return origin().get(normalized, range);
			}
			return check(normalized).flatMapMany((checked) -> checked.cached()
					? fromCache(normalized, this.cache.get(normalized, range), () -> origin().get(normalized, range))
					: origin().get(normalized, range));
		}));
	}

	/**
	 * A hit is one lookup of the cache mount, described by the origin's information of the entry; a
	 * range miss is the origin's own {@code read}; a whole-object miss is one origin {@code read} that
	 * fills the cache as {@code get} does (single-flight included).
	 */
	@Override
	public Mono<StoredContent> read(String key, @Nullable ByteRange range) {
		return decorate(Mono.defer(() -> {
			String normalized = StorageKeys.normalize(key);
			if (this.index.lookup(normalized) == null) {
				return (range != null) ? origin().read(normalized, range) : readMiss(normalized);
			}
			// a hit is revalidated (check) exactly as for get, then served from the cache mount
			return check(normalized).flatMap((checked) -> {
				if (!checked.cached()) {
					return (range != null) ? origin().read(normalized, range) : readMiss(normalized);
				}
				StoredObject object = checked.object();
				return this.cache.read(normalized, range)
					.map((content) -> content.withObject(object))
					.onErrorResume(ObjectNotFoundException.class, (ex) -> {
						this.index.remove(normalized);
						return read(normalized, range);
					});
			});
		}));
	}

	@Override
	public Mono<StoredObject> info(String key) {
		return decorate(Mono.defer(() -> {
			String normalized = StorageKeys.normalize(key);
			if (this.index.lookup(normalized) == null) {
				return origin().info(normalized);
			}
			return check(normalized).flatMap((checked) -> (checked.object() != null) ? Mono.just(checked.object())
					: origin().info(normalized));
		}));
	}

	@Override
	public Mono<Boolean> exists(String key) {
		return decorate(Mono.defer(() -> {
			String normalized = StorageKeys.normalize(key);
			if (this.index.lookup(normalized) == null) {
				return origin().exists(normalized);
			}
			return check(normalized).flatMap((checked) -> (checked.object() != null) ? Mono.just(true)
					: origin().exists(normalized))
				.onErrorResume(ObjectNotFoundException.class, (ex) -> Mono.just(false));
		}));
	}

	/**
	 * Whether the cached entry of the key may be served: yes while it is fresh (younger than the ttl);
	 * otherwise the origin's {@code info} decides: the same version (etag) confirms the entry for
	 * another ttl, any other drops it and answers with the origin's object. An object the origin no
	 * longer has drops the entry and is {@link ObjectNotFoundException}; any other origin failure
	 * reaches the caller (a stale entry is never served in its place).
	 */
	private Mono<Checked> check(String key) {
		return Mono.defer(() -> {
			CacheIndex.Hit hit = this.index.lookup(key);
			if (hit == null) {
				return Mono.just(new Checked(null, false));
			}
			if (hit.fresh()) {
				return Mono.just(new Checked(hit.object(), true));
			}
			return origin().info(key).flatMap((current) -> {
				if (sameVersion(hit.object(), current)) {
					this.index.confirm(key, hit.object());
					return Mono.just(new Checked(hit.object(), true));
				}
				return invalidate(key).thenReturn(new Checked(current.withKey(key), false));
			}).onErrorResume(ObjectNotFoundException.class, (ex) -> invalidate(key).then(Mono.error(ex)));
		});
	}

	/**
	 * Etags when the origin gives them (they change when the content does); without etags, size and
	 * last-modified time, and without those, never the same (the entry is refilled).
	 */
	private static boolean sameVersion(StoredObject cached, StoredObject current) {
		if (cached.etag() != null || current.etag() != null) {
			return java.util.Objects.equals(cached.etag(), current.etag());
		}
		return cached.lastModified() != null && cached.lastModified().equals(current.lastModified())
				&& cached.size() == current.size();
	}

	private Flux<DataBuffer> read(String key) {
		if (this.index.lookup(key) != null) {
			return check(key).flatMapMany((checked) -> checked.cached()
					? fromCache(key, this.cache.get(key), () -> read(key)) : miss(key));
		}
		return miss(key);
	}

	private Flux<DataBuffer> miss(String key) {
		Fill fill = new Fill();
		Fill running = this.fills.putIfAbsent(key, fill);
		if (running != null) {
			// the entry the leader records was validated by its own info: its followers serve it as is
			return running.done.asMono().thenMany(Flux.defer(() -> {
				CacheIndex.Hit hit = this.index.lookup(key);
				return (hit != null && hit.object() == running.recorded)
						? fromCache(key, this.cache.get(key), () -> read(key)) : read(key);
			}));
		}
		return miss(key, fill).flatMapMany(StoredContent::content);
	}

	/** The {@code read} form of {@link #read(String)}'s miss: single-flight, then one origin read. */
	private Mono<StoredContent> readMiss(String key) {
		Fill fill = new Fill();
		Fill running = this.fills.putIfAbsent(key, fill);
		if (running != null) {
			return running.done.asMono().then(Mono.defer(() -> read(key, null)));
		}
		return miss(key, fill);
	}

	/**
	 * A whole-object miss: one {@code read} of the origin, whose content goes to the caller and, if it
	 * fits, into the cache, recorded with that read's information (of the very bytes stored). The fill
	 * ends when the content ends or the read is discarded.
	 */
	private Mono<StoredContent> miss(String key, Fill fill) {
		Runnable end = () -> {
			this.fills.remove(key, fill);
			fill.finish();
		};
		return origin().read(key, null).map((content) -> {
			StoredObject object = content.object();
			Flux<DataBuffer> body = this.index.fits(object.size()) ? fill(key, object, content.content(), fill)
					: content.content();
			return content.withContent(body.doOnError(fill::fail).doFinally((signal) -> end.run()))
				.withDiscard(content.discard().doFinally((signal) -> end.run()));
		}).doOnError((ex) -> {
			fill.fail(ex);
			end.run();
		}).doOnCancel(end);
	}

	/**
	 * Cached content; an entry that vanished from the cache (evicted, deleted behind our back) before
	 * any byte was read is dropped from the index and read from the fallback.
	 */
	private Flux<DataBuffer> fromCache(String key, Flux<DataBuffer> cached, FallbackRead fallback) {
		AtomicBoolean emitted = new AtomicBoolean();
		return cached.doOnNext((buffer) -> emitted.set(true))
			.onErrorResume(ObjectNotFoundException.class, (ex) -> {
				if (emitted.get()) {
					return Flux.error(ex);
				}
				this.index.remove(key);
				return fallback.read();
			});
	}

	/** Stream the origin's content to the caller while the cache stores a copy. */
	private Flux<DataBuffer> fill(String key, StoredObject object, Flux<DataBuffer> origin, Fill fill) {
		CacheFeed feed = new CacheFeed(this.cache.bufferFactory());
		PutOptions options = PutOptions.builder()
			.contentType(object.contentType())
			.metadata(object.metadata())
			.contentLength(object.size())
			.build();
		Mono<Void> store = this.cache.put(key, feed, options)
			.flatMap((stored) -> record(key, object, fill))
			// a failing cache never fails the read: the caller still gets the origin's content
			.onErrorResume((ex) -> Mono.empty())
			// a put that failed before subscribing its body must not leave the origin stream waiting
			.doFinally((signal) -> feed.abandon());
		Flux<DataBuffer> body = origin.concatMap(feed::offer, 1).doOnComplete(feed::complete);
		return Flux.merge(1, body, store.then(Mono.<DataBuffer>empty()))
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release);
	}

	private Mono<Void> record(String key, StoredObject object, Fill fill) {
		List<String> evicted;
		synchronized (fill) {
			if (fill.stale) {
				return deleteFromCache(key);
			}
			StoredObject entry = object.withKey(key);
			evicted = this.index.add(key, entry);
			fill.recorded = entry;
		}
		return Flux.fromIterable(evicted).concatMap(this::deleteFromCache).then();
	}

	// ---- writes: through to the origin, then invalidate ----

	@Override
	public Mono<StoredObject> put(String key, Publisher<DataBuffer> body, PutOptions options) {
		return origin().put(key, body, options).flatMap((stored) -> invalidate(key).thenReturn(stored));
	}

	@Override
	public Mono<Void> delete(String key) {
		return origin().delete(key)
			.then(invalidate(key))
			.onErrorResume((ex) -> invalidate(key).then(Mono.error(ex)));
	}

	@Override
	public Mono<Void> delete(String key, DeleteOptions options) {
		// a failed conditional delete changed nothing, but the entry is dropped as for any failed
		// delete: the origin may have answered after deleting (a lost response)
		return origin().delete(key, options)
			.then(invalidate(key))
			.onErrorResume((ex) -> invalidate(key).then(Mono.error(ex)));
	}

	@Override
	public Mono<StoredObject> copy(String source, String destination) {
		return origin().copy(source, destination).flatMap((copied) -> invalidate(destination).thenReturn(copied));
	}

	@Override
	public Mono<StoredObject> move(String source, String destination) {
		return origin().move(source, destination)
			.flatMap((moved) -> invalidate(source).then(invalidate(destination)).thenReturn(moved));
	}

	/** Drop the entry of a key the origin changed; a fill of it running now will not be recorded. */
	private Mono<Void> invalidate(String rawKey) {
		return Mono.defer(() -> {
			if (!StorageKeys.isValid(rawKey)) {
				return Mono.empty();
			}
			String key = StorageKeys.normalize(rawKey);
			Fill running = this.fills.get(key);
			if (running != null) {
				synchronized (running) {
					running.stale = true;
				}
			}
			boolean cached = this.index.remove(key);
			return cached ? deleteFromCache(key) : Mono.empty();
		});
	}

	private Mono<Void> deleteFromCache(String key) {
		return this.cache.delete(key).onErrorResume((ex) -> Mono.empty());
	}

	private <T> Flux<T> decorate(Flux<T> flux) {
		return flux.onErrorMap(StorageException.class, (ex) -> ex.withMountIfAbsent(this.name));
	}

	private <T> Mono<T> decorate(Mono<T> mono) {
		return mono.onErrorMap(StorageException.class, (ex) -> ex.withMountIfAbsent(this.name));
	}

	/** Closes nothing: the origin and the cache belong to whoever built them. */
	@Override
	public void close() {
	}

	@Override
	public String toString() {
		return "CachingStorage[" + this.name + ": " + origin() + " cached in " + this.cache + "]";
	}

	/**
	 * The outcome of a check: the object to answer with ({@code null} when nothing is cached), and
	 * whether the cache's content is that object.
	 */
	private record Checked(@Nullable StoredObject object, boolean cached) {
	}

	@FunctionalInterface
	private interface FallbackRead {

		Flux<DataBuffer> read();

	}

	/** One running fill of a key: its followers wait for {@link #done}. */
	private static final class Fill {

		final Sinks.Empty<Void> done = Sinks.empty();

		/** A write to the key completed while the fill ran: its content may be outdated. Guarded by this. */
		boolean stale;

		/** The entry this fill recorded, if it did. */
		volatile @Nullable StoredObject recorded;

		private volatile @Nullable Throwable error;

		void fail(Throwable ex) {
			this.error = ex;
		}

		void finish() {
			Throwable failure = this.error;
			if (failure != null) {
				this.done.tryEmitError(failure);
			}
			else {
				this.done.tryEmitEmpty();
			}
		}

	}

}
