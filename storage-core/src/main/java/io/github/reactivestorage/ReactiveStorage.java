package io.github.reactivestorage;

import java.net.URI;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * One mount of an object store: a flat namespace of keys, each naming an immutable blob of bytes
 * with a content type and user metadata.
 *
 * <h2>When work happens</h2> Every method is lazy: nothing happens until subscription, and every
 * subscription does the work again (a retried {@code get} reads again; a {@code put} re-subscribes
 * its body, which must then be re-subscribable). Nothing blocks the subscribing thread; backends on
 * blocking SDKs run their calls on a bounded scheduler. Keys, prefixes, options and permissions are
 * checked at subscription, before any I/O and before a {@code put} body is subscribed; a broken rule
 * is signalled as an error, never thrown from the method call.
 *
 * <h2>Missing objects</h2> {@link #get}, {@link #info}, {@link #delete}, {@link #copy} and
 * {@link #move} of a missing key signal {@link ObjectNotFoundException}; {@link #exists} emits
 * {@code false}.
 *
 * <h2>Buffers</h2> Whoever consumes a {@link DataBuffer} releases it. Buffers emitted by
 * {@link #get} belong to the subscriber, which must release each one
 * ({@link DataBufferUtils#release}); cancelling a {@code get} frees what the backend held. Buffers
 * of a {@code put} body are consumed, and released, by the backend, also when the put fails.
 *
 * <h2>Errors</h2> Every error is a {@link StorageException} subclass carrying the key and mount name,
 * with the backend's own exception as cause, except the error of a {@code put} body, which reaches
 * the subscriber unwrapped, and {@link IllegalArgumentException} for malformed options.
 *
 * <p>Implement through {@link AbstractReactiveStorage}, which checks the rules and supplies the
 * conveniences, so that a backend implements seven methods.
 */
public interface ReactiveStorage extends AutoCloseable {

	/** The mount name, used in error messages, logs and metrics. */
	String name();

	/** What this mount supports beyond reading. */
	Set<StorageCapability> capabilities();

	/** Whether this mount supports the capability. */
	default boolean supports(StorageCapability capability) {
		return capabilities().contains(capability);
	}

	/** The factory this mount allocates the buffers of {@link #get} with. */
	DataBufferFactory bufferFactory();

	/**
	 * Store the body under the key, replacing any object there atomically: readers see the old or the
	 * new object, never a mix. The body is streamed (length may be unknown); if it errors or the
	 * subscription is cancelled, nothing is stored and a previous version stays intact, and the body's
	 * error reaches the subscriber unwrapped.
	 * @return the stored object, with the etag a later {@link #info} returns
	 */
	Mono<StoredObject> put(String key, Publisher<DataBuffer> body, PutOptions options);

	/** Store the body with {@link PutOptions#defaults()}. */
	default Mono<StoredObject> put(String key, Publisher<DataBuffer> body) {
		return put(key, body, PutOptions.defaults());
	}

	/** Store the bytes. The array is not copied: do not change it until the put completes. */
	default Mono<StoredObject> put(String key, byte[] content) {
		return put(key, content, PutOptions.defaults());
	}

	/** Store the bytes with the options (the content length is set from the array). */
	default Mono<StoredObject> put(String key, byte[] content, PutOptions options) {
		PutOptions withLength = options.toBuilder().contentLength(content.length).build();
		return put(key, Mono.fromSupplier(() -> bufferFactory().wrap(content)), withLength);
	}

	/**
	 * Stream the object's content in chunks. The subscriber releases each buffer.
	 */
	Flux<DataBuffer> get(String key);

	/**
	 * Stream a range of the object's content; see {@link ByteRange} for how it meets the size.
	 */
	Flux<DataBuffer> get(String key, ByteRange range);

	/**
	 * The whole content as one array: for small objects only, as it holds the object in memory.
	 */
	default Mono<byte[]> getBytes(String key) {
		return ContentBytes.collect(get(key));
	}

	/**
	 * The object's information and its content (or the range of it), from one lookup where the backend
	 * can: the information describes the very bytes of the content, even under a concurrent overwrite.
	 * The receiver subscribes to {@link StoredContent#content()} or calls {@link StoredContent#discard()}.
	 * A range is resolved against the size ({@link ByteRange#resolve}); an unsatisfiable one is
	 * {@link InvalidRangeException}.
	 *
	 * <p>The default makes two calls, {@link #info} then {@link #get}, so that a decorator overriding
	 * those is not bypassed; backends that can do better override it.
	 */
	default Mono<StoredContent> read(String key, @Nullable ByteRange range) {
		return info(key).map(object -> {
			if (range == null) {
				return StoredContent.whole(object, get(key), Mono.empty());
			}
			long[] span = range.resolve(object.size());
			Flux<DataBuffer> content = (span[1] < span[0]) ? Flux.empty()
					: get(key, ByteRange.of(span[0], span[1]));
			return StoredContent.range(object, span[0], span[1], content, Mono.empty());
		});
	}

	/** What the backend knows about the object, without reading its content. */
	Mono<StoredObject> info(String key);

	/** Whether an object exists under the key (a key that is only a "directory" does not). */
	Mono<Boolean> exists(String key);

	/** Delete the object; a missing key is {@link ObjectNotFoundException}. */
	Mono<Void> delete(String key);

	/**
	 * Delete the object under the options' conditions; see {@link DeleteOptions}. The default supports
	 * only the unconditional delete and signals {@link UnsupportedStorageOperationException} for an
	 * etag condition.
	 */
	default Mono<Void> delete(String key, DeleteOptions options) {
		if (options.ifMatch() == null) {
			return delete(key);
		}
		return Mono.error(new UnsupportedStorageOperationException(
				"Mount '" + name() + "' does not support conditional deletes (capability CONDITIONAL_WRITE)", key,
				null));
	}

	/** Every object whose key starts with the prefix, in ascending UTF-8 byte order, paged lazily. */
	default Flux<StoredObject> list(@Nullable String prefix) {
		return list(ListOptions.prefix(prefix));
	}

	/** The entries the options select, in ascending UTF-8 byte order, paged lazily. */
	Flux<StoredObject> list(ListOptions options);

	/**
	 * A URL for the object: signed where the backend signs, public or local otherwise. Does no I/O
	 * where the backend can sign offline and does not check that the object exists. A backend that
	 * cannot give one signals {@link UnsupportedStorageOperationException}, never an unsigned link to
	 * a private object.
	 */
	Mono<URI> url(String key, UrlOptions options);

	/**
	 * A signed form a browser uploads a file with straight to the backend, which enforces the options'
	 * key or prefix, expiry, size range, content type and metadata (capability
	 * {@link StorageCapability#POST_POLICY}). Does no I/O beyond resolving credentials; does not check
	 * whether an object exists. The default signals {@link UnsupportedStorageOperationException}.
	 */
	default Mono<PostPolicy> postPolicy(PostPolicyOptions options) {
		return Mono.error(new UnsupportedStorageOperationException(
				"Mount '" + name() + "' cannot sign browser upload forms (capability POST_POLICY)", options.key(),
				null));
	}

	/**
	 * Copy the object with its content type and metadata, server-side where the backend can, else
	 * streamed. Copying onto the same key returns the object unchanged.
	 */
	Mono<StoredObject> copy(String source, String destination);

	/** Copy then delete the source (a rename where the backend can). */
	Mono<StoredObject> move(String source, String destination);

	/**
	 * The backend's native client or this storage's own implementation type, to reach what the API
	 * does not expose.
	 * @throws IllegalArgumentException if neither is of the type
	 */
	default <T> T unwrap(Class<T> type) {
		if (type.isInstance(this)) {
			return type.cast(this);
		}
		throw new IllegalArgumentException("Mount '" + name() + "' cannot be unwrapped to " + type.getName());
	}

	/** Release what the mount holds (clients it created). Idempotent. */
	@Override
	default void close() {
	}

}
