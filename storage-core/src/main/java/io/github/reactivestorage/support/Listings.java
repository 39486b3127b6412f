package io.github.reactivestorage.support;

import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.StoredObject;

/**
 * Applies {@link ListOptions} to a stream of objects already sorted by key in
 * {@link StorageKeys#ORDER}: keeps keys under the prefix, rolls keys up into common prefixes when a
 * delimiter is set (each prefix once, at its place in the order), drops entries not strictly after
 * {@code startAfter}, and stops at the limit. Lazy and constant in memory.
 */
public final class Listings {

	private Listings() {
	}

	/**
	 * Apply the options to sorted objects. The source may hold keys outside the prefix (they are
	 * skipped) but must be sorted.
	 */
	public static Flux<StoredObject> apply(Flux<StoredObject> sorted, ListOptions options) {
		String prefix = options.prefix();
		String delimiter = options.delimiter();
		String startAfter = options.startAfter();
		AtomicReference<@Nullable String> lastPrefix = new AtomicReference<>();
		Flux<StoredObject> entries = sorted.filter(object -> object.key().startsWith(prefix)).<StoredObject>handle(
				(object, sink) -> {
					StoredObject entry = rollUp(object, prefix, delimiter);
					if (entry.isPrefix()) {
						if (entry.key().equals(lastPrefix.get())) {
							return;
						}
						lastPrefix.set(entry.key());
					}
					if (startAfter != null && StorageKeys.compare(entry.key(), startAfter) <= 0) {
						return;
					}
					sink.next(entry);
				});
		return options.hasLimit() ? entries.take(options.limit(), true) : entries;
	}

	/**
	 * The entry a key becomes in a delimited listing: the object itself, or the common prefix (up to
	 * and including the first delimiter after the listing prefix).
	 */
	public static StoredObject rollUp(StoredObject object, String prefix, @Nullable String delimiter) {
		if (delimiter == null) {
			return object;
		}
		int index = object.key().indexOf(delimiter, prefix.length());
		if (index < 0) {
			return object;
		}
		return StoredObject.ofPrefix(object.key().substring(0, index + delimiter.length()));
	}

	/**
	 * Whether a key is one the options could still return after {@code startAfter} (for backends that
	 * seek): a key sorting at or before {@code startAfter} can only matter if it rolls up into a
	 * prefix after it, which cannot happen, so such keys may be skipped.
	 */
	public static boolean isAfter(String key, @Nullable String startAfter) {
		return startAfter == null || StorageKeys.compare(key, startAfter) > 0;
	}

}
