package io.github.reactivestorage.support;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.PostPolicy;
import io.github.reactivestorage.PostPolicyOptions;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UrlOptions;

/**
 * A mount rooted at a sub-path of another: key {@code k} is stored as {@code prefix/k}, listings see
 * only keys under the prefix, and the keys users see (in results and in exceptions) never include it.
 * The prefix follows the key rules and is used as a directory ({@code media} and {@code media/} are
 * the same). Listing prefixes and start-after values pass the key rules
 * ({@link StorageKeys#normalizePrefix}) before they are joined to the prefix, and entries a delegate
 * returns from outside it are dropped, so that {@code ../} never lists the neighbouring prefix.
 */
public class PrefixedStorage extends ForwardingReactiveStorage {

	private final String prefix;

	public PrefixedStorage(ReactiveStorage delegate, String prefix) {
		super(delegate);
		String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
		this.prefix = StorageKeys.normalize(trimmed) + "/";
	}

	/** The prefix, ending with {@code /}. */
	public String getPrefix() {
		return this.prefix;
	}

	@Override
	public Mono<StoredObject> put(String key, Publisher<DataBuffer> body, PutOptions options) {
		return Mono.defer(() -> getDelegate().put(full(key), body, options)).map(this::strip).onErrorMap(
				StorageException.class, ex -> relative(ex, key));
	}

	@Override
	public Flux<DataBuffer> get(String key) {
		return Flux.defer(() -> getDelegate().get(full(key))).onErrorMap(StorageException.class,
				ex -> relative(ex, key));
	}

	@Override
	public Flux<DataBuffer> get(String key, ByteRange range) {
		return Flux.defer(() -> getDelegate().get(full(key), range)).onErrorMap(StorageException.class,
				ex -> relative(ex, key));
	}

	@Override
	public Mono<StoredContent> read(String key, @Nullable ByteRange range) {
		return Mono.defer(() -> getDelegate().read(full(key), range))
			.map(content -> content.withObject(strip(content.object())))
			.onErrorMap(StorageException.class, ex -> relative(ex, key));
	}

	@Override
	public Mono<StoredObject> info(String key) {
		return Mono.defer(() -> getDelegate().info(full(key))).map(this::strip).onErrorMap(
				StorageException.class, ex -> relative(ex, key));
	}

	@Override
	public Mono<Boolean> exists(String key) {
		return Mono.defer(() -> getDelegate().exists(full(key))).onErrorMap(StorageException.class,
				ex -> relative(ex, key));
	}

	@Override
	public Mono<Void> delete(String key) {
		return Mono.defer(() -> getDelegate().delete(full(key))).onErrorMap(StorageException.class,
				ex -> relative(ex, key));
	}

	@Override
	public Mono<Void> delete(String key, DeleteOptions options) {
		return Mono.defer(() -> getDelegate().delete(full(key), options)).onErrorMap(StorageException.class,
				ex -> relative(ex, key));
	}

	@Override
	public Flux<StoredObject> list(ListOptions options) {
		return Flux.defer(() -> {
			// checked here, not only by the delegate: a delegate that does not check (a custom backend)
			// must not turn "../" into a listing of the neighbouring prefix
			ListOptions.Builder inner = options.toBuilder()
				.prefix(this.prefix + StorageKeys.normalizePrefix(options.prefix()));
			if (options.startAfter() != null) {
				inner.startAfter(this.prefix + StorageKeys.normalizePrefix(options.startAfter()));
			}
			return getDelegate().list(inner.build());
		})
			.filter(object -> object.key().startsWith(this.prefix))
			.map(this::strip)
			.onErrorMap(StorageException.class, ex -> ex.withMountIfAbsent(name()));
	}

	@Override
	public Mono<URI> url(String key, UrlOptions options) {
		return Mono.defer(() -> getDelegate().url(full(key), options)).onErrorMap(StorageException.class,
				ex -> relative(ex, key));
	}

	/**
	 * The delegate's policy for the prefixed key, or for this prefix followed by the options' prefix:
	 * S3's {@code starts-with} and GCS's compare bytes, so no key the form can name lies outside this
	 * mount's prefix. The policy's keys are returned without the prefix.
	 */
	@Override
	public Mono<PostPolicy> postPolicy(PostPolicyOptions options) {
		String userKey = (options.key() != null) ? options.key() : options.keyPrefix();
		return Mono.defer(() -> {
			PostPolicyOptions checked = options.normalized();
			PostPolicyOptions inner = (checked.key() != null) ? checked.withKeyOrPrefix(this.prefix + checked.key(), null)
					: checked.withKeyOrPrefix(null, this.prefix + checked.keyPrefix());
			return getDelegate().postPolicy(inner)
				.map(policy -> policy.withKeys(stripKey(policy.key()), stripKey(policy.keyPrefix())));
		}).onErrorMap(StorageException.class, ex -> relative(ex, userKey));
	}

	private @Nullable String stripKey(@Nullable String key) {
		return (key != null && key.startsWith(this.prefix)) ? key.substring(this.prefix.length()) : key;
	}

	@Override
	public Mono<StoredObject> copy(String source, String destination) {
		return Mono.defer(() -> getDelegate().copy(full(source), full(destination))).map(this::strip).onErrorMap(
				StorageException.class, ex -> relative(ex, source));
	}

	@Override
	public Mono<StoredObject> move(String source, String destination) {
		return Mono.defer(() -> getDelegate().move(full(source), full(destination))).map(this::strip).onErrorMap(
				StorageException.class, ex -> relative(ex, source));
	}

	private String full(String key) {
		return this.prefix + StorageKeys.normalize(key);
	}

	private StoredObject strip(StoredObject object) {
		String key = object.key();
		return key.startsWith(this.prefix) ? object.withKey(key.substring(this.prefix.length())) : object;
	}

	private StorageException relative(StorageException ex, String userKey) {
		String key = ex.getKey();
		if (key != null && key.startsWith(this.prefix)) {
			ex.withKey(key.substring(this.prefix.length()));
		}
		else if (key == null || !StorageKeys.isValid(userKey)) {
			ex.withKey(userKey);
		}
		return ex.withMountIfAbsent(name());
	}

	@Override
	public String toString() {
		return "PrefixedStorage[" + this.prefix + " of " + getDelegate() + "]";
	}

}
