package io.github.reactivestorage.transfer;

import java.util.Objects;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageConfigurationException;
import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.support.ForwardingReactiveStorage;

/**
 * Copies and moves objects between mounts, any backend to any backend, streaming: the source's
 * {@code get} is the destination's {@code put} body, so memory stays constant whatever the size.
 * Content type and user metadata are kept. A move deletes the source only after the destination's
 * put completed. Addresses are {@code mount:key} ({@link MountKey#parse}); an unknown mount is a
 * {@link StorageConfigurationException}.
 */
public class StorageTransfer {

	private final StorageMounts mounts;

	public StorageTransfer(StorageMounts mounts) {
		this.mounts = Objects.requireNonNull(mounts, "mounts must not be null");
	}

	/** Copy {@code source} to {@code destination}, both {@code mount:key}. */
	public Mono<TransferResult> copy(String source, String destination, SkipRule skip) {
		return Mono.defer(() -> transfer(MountKey.parse(source), MountKey.parse(destination), skip, false));
	}

	/** Copy with {@link SkipRule#NEVER}. */
	public Mono<TransferResult> copy(String source, String destination) {
		return copy(source, destination, SkipRule.NEVER);
	}

	/** Move: copy, then delete the source once the destination is complete. */
	public Mono<TransferResult> move(String source, String destination, SkipRule skip) {
		return Mono.defer(() -> transfer(MountKey.parse(source), MountKey.parse(destination), skip, true));
	}

	/** Move with {@link SkipRule#NEVER}. */
	public Mono<TransferResult> move(String source, String destination) {
		return move(source, destination, SkipRule.NEVER);
	}

	/**
	 * Copy every object under the source mount's prefix to the destination mount, replacing the prefix
	 * with the destination prefix, at most {@code concurrency} objects at a time. Each object's outcome
	 * is one element, failures included (the flux itself fails only when listing fails).
	 * @param source {@code mount:prefix} (the prefix may be empty: {@code mount:})
	 * @param destination {@code mount:prefix}
	 */
	public Flux<TransferResult> copyPrefix(String source, String destination, SkipRule skip, int concurrency) {
		if (concurrency < 1) {
			return Flux.error(new IllegalArgumentException("concurrency must be at least 1: " + concurrency));
		}
		return Flux.defer(() -> {
			String[] from = splitPrefix(source);
			String[] to = splitPrefix(destination);
			ReactiveStorage sourceMount = mount(from[0]);
			mount(to[0]);
			return sourceMount.list(from[1])
				.filter((object) -> !object.isPrefix())
				.flatMap((object) -> {
					String relative = object.key().substring(from[1].length());
					MountKey sourceKey = new MountKey(from[0], object.key());
					MountKey destinationKey = new MountKey(to[0], to[1] + relative);
					return transfer(sourceKey, destinationKey, skip, false).onErrorResume(
							(ex) -> Mono.just(new TransferResult(sourceKey, destinationKey, TransferResult.Status.FAILED,
									0, ex)));
				}, concurrency);
		});
	}

	private Mono<TransferResult> transfer(MountKey source, MountKey destination, SkipRule skip, boolean move) {
		ReactiveStorage from = mount(source.mount());
		ReactiveStorage to = mount(destination.mount());
		return from.info(source.key()).flatMap((object) -> skip(object, from, to, destination, skip).flatMap((skipped) -> {
			if (skipped) {
				return Mono.just(new TransferResult(source, destination, TransferResult.Status.SKIPPED, 0, null));
			}
			PutOptions options = PutOptions.builder()
				.contentType(object.contentType())
				.metadata(object.metadata())
				.contentLength(object.size())
				.build();
			Mono<StoredObject> written = to.put(destination.key(), from.get(source.key()), options);
			Mono<StoredObject> done = move ? written.flatMap((stored) -> from.delete(source.key()).thenReturn(stored))
					: written;
			return done.map((stored) -> new TransferResult(source, destination, TransferResult.Status.COPIED,
					stored.size(), null));
		}));
	}

	private Mono<Boolean> skip(StoredObject object, ReactiveStorage from, ReactiveStorage to, MountKey destination,
			SkipRule skip) {
		if (skip == SkipRule.NEVER) {
			return Mono.just(false);
		}
		return to.exists(destination.key()).flatMap((exists) -> {
			if (!exists) {
				return Mono.just(false);
			}
			if (skip == SkipRule.IF_EXISTS) {
				return Mono.just(true);
			}
			return to.info(destination.key()).map((existing) -> switch (skip) {
				case IF_SAME_SIZE -> existing.size() == object.size();
				case IF_SAME_ETAG -> comparable(from, to) && object.etag() != null
						&& object.etag().equals(existing.etag());
				default -> false;
			});
		});
	}

	/** ETags are comparable between mounts of the same backend class (decorators unwrapped). */
	static boolean comparable(ReactiveStorage from, ReactiveStorage to) {
		return backend(from).getClass().equals(backend(to).getClass());
	}

	private static ReactiveStorage backend(ReactiveStorage storage) {
		ReactiveStorage current = storage;
		while (current instanceof ForwardingReactiveStorage forwarding) {
			current = forwarding.getDelegate();
		}
		return current;
	}

	private ReactiveStorage mount(String name) {
		return this.mounts.find(name)
			.orElseThrow(() -> new StorageConfigurationException(
					"Unknown mount '" + name + "'; known mounts: " + this.mounts.names()));
	}

	private static String[] splitPrefix(String address) {
		int colon = (address != null) ? address.indexOf(':') : -1;
		if (colon <= 0) {
			throw new IllegalArgumentException("Mount address '" + address + "' is not 'mount:prefix'");
		}
		return new String[] { address.substring(0, colon), StorageKeys.normalizePrefix(address.substring(colon + 1)) };
	}

}
