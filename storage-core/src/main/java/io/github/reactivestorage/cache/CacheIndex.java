package io.github.reactivestorage.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.github.reactivestorage.StoredObject;

/**
 * What the cache holds: the origin's {@link StoredObject} of every complete entry, in least recently
 * used order, with the time it was filled. Thread-safe.
 */
final class CacheIndex {

	private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

	private final long maxSize;

	private final @Nullable Duration ttl;

	private final Clock clock;

	private long size;

	/**
	 * @param maxSize the most bytes the entries may add up to, or a negative number for no limit
	 * @param ttl how long an entry is served after it was filled, or {@code null} for ever
	 */
	CacheIndex(long maxSize, @Nullable Duration ttl, Clock clock) {
		this.maxSize = maxSize;
		this.ttl = ttl;
		this.clock = clock;
	}

	/** Whether an object of the size may be cached at all (it fits in {@code max-size}). */
	boolean fits(long objectSize) {
		return this.maxSize < 0 || objectSize <= this.maxSize;
	}

	/** The live entry under the key (marking it recently used), or {@code null}; expired ones are removed. */
	synchronized @Nullable StoredObject lookup(String key) {
		Entry entry = this.entries.get(key);
		if (entry == null) {
			return null;
		}
		if (this.ttl != null && !this.clock.instant().isBefore(entry.filled().plus(this.ttl))) {
			remove(key);
			return null;
		}
		return entry.object();
	}

	/**
	 * Record a complete entry.
	 * @return the keys evicted to make room, least recently used first (never the new key)
	 */
	synchronized List<String> add(String key, StoredObject object) {
		remove(key);
		this.entries.put(key, new Entry(object, this.clock.instant()));
		this.size += object.size();
		List<String> evicted = new ArrayList<>();
		if (this.maxSize >= 0) {
			Iterator<Map.Entry<String, Entry>> eldest = this.entries.entrySet().iterator();
			while (this.size > this.maxSize && eldest.hasNext()) {
				Map.Entry<String, Entry> candidate = eldest.next();
				if (candidate.getKey().equals(key)) {
					continue;
				}
				eldest.remove();
				this.size -= candidate.getValue().object().size();
				evicted.add(candidate.getKey());
			}
		}
		return evicted;
	}

	/** Forget the entry; whether there was one. */
	synchronized boolean remove(String key) {
		Entry removed = this.entries.remove(key);
		if (removed != null) {
			this.size -= removed.object().size();
		}
		return removed != null;
	}

	/** The bytes the entries add up to. */
	synchronized long size() {
		return this.size;
	}

	/** How many entries there are. */
	synchronized int count() {
		return this.entries.size();
	}

	private record Entry(StoredObject object, Instant filled) {
	}

}
