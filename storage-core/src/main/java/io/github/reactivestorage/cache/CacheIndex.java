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
 * used order, with the time it was filled or last confirmed by the origin. Thread-safe.
 */
final class CacheIndex {

	private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

	private final long maxSize;

	private final @Nullable Duration ttl;

	private final Clock clock;

	private long size;

	/**
	 * @param maxSize the most bytes the entries may add up to, or a negative number for no limit
	 * @param ttl how long an entry is served without asking the origin, or {@code null} to ask on every read
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

	/**
	 * The entry under the key (marking it recently used), or {@code null}. It is fresh while younger
	 * than the ttl (checked, or filled, that long ago); without a ttl it is never fresh: it must be
	 * revalidated against the origin before it is served.
	 */
	synchronized @Nullable Hit lookup(String key) {
		Entry entry = this.entries.get(key);
		if (entry == null) {
			return null;
		}
		boolean fresh = this.ttl != null && this.clock.instant().isBefore(entry.checked().plus(this.ttl));
		return new Hit(entry.object(), fresh);
	}

	/**
	 * The origin confirmed that the entry is still the object it holds: it is fresh for another ttl.
	 * Nothing happens if the entry was replaced or removed meanwhile.
	 */
	synchronized void confirm(String key, StoredObject confirmed) {
		Entry entry = this.entries.get(key);
		if (entry != null && entry.object() == confirmed) {
			this.entries.put(key, new Entry(entry.object(), this.clock.instant()));
		}
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

	/** An entry found, and whether it may be served without asking the origin. */
	record Hit(StoredObject object, boolean fresh) {
	}

	/** @param checked when the entry was filled or last confirmed by the origin */
	private record Entry(StoredObject object, Instant checked) {
	}

}
