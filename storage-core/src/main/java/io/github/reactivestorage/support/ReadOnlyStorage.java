package io.github.reactivestorage.support;

import java.net.URI;
import java.util.EnumSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.PostPolicy;
import io.github.reactivestorage.PostPolicyOptions;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.StoragePermissionException;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UrlOptions;

/**
 * A read-only view of a mount: every write ({@code put}, {@code delete}, {@code copy}, {@code move},
 * PUT URLs), even of a missing key, is a {@link StoragePermissionException} naming the mount, signalled
 * before any I/O and before a body is subscribed. An invalid key is still an
 * {@link io.github.reactivestorage.InvalidKeyException} first.
 */
public class ReadOnlyStorage extends ForwardingReactiveStorage {

	public ReadOnlyStorage(ReactiveStorage delegate) {
		super(delegate);
	}

	@Override
	public Set<StorageCapability> capabilities() {
		Set<StorageCapability> capabilities = EnumSet.noneOf(StorageCapability.class);
		capabilities.addAll(getDelegate().capabilities());
		capabilities.removeAll(EnumSet.of(StorageCapability.WRITE, StorageCapability.URL_PUT,
				StorageCapability.CONDITIONAL_PUT, StorageCapability.CONDITIONAL_WRITE,
				StorageCapability.SERVER_SIDE_COPY, StorageCapability.POST_POLICY));
		return capabilities;
	}

	@Override
	public Mono<StoredContent> read(String key, @Nullable ByteRange range) {
		return getDelegate().read(key, range);
	}

	@Override
	public Mono<StoredObject> put(String key, Publisher<DataBuffer> body, PutOptions options) {
		return denied(key);
	}

	@Override
	public Mono<Void> delete(String key) {
		return denied(key);
	}

	@Override
	public Mono<Void> delete(String key, DeleteOptions options) {
		return denied(key);
	}

	@Override
	public Mono<StoredObject> copy(String source, String destination) {
		return Mono.defer(() -> {
			StorageKeys.normalize(source);
			return denied(destination);
		});
	}

	@Override
	public Mono<StoredObject> move(String source, String destination) {
		return Mono.defer(() -> {
			StorageKeys.normalize(source);
			return denied(destination);
		});
	}

	@Override
	public Mono<URI> url(String key, UrlOptions options) {
		if (options.method() == UrlOptions.Method.PUT) {
			return denied(key);
		}
		return super.url(key, options);
	}

	/** A browser upload form is a write: refused like {@code put}. */
	@Override
	public Mono<PostPolicy> postPolicy(PostPolicyOptions options) {
		return Mono.<PostPolicy>defer(() -> {
			PostPolicyOptions checked = options.normalized();
			String location = (checked.key() != null) ? checked.key() : checked.keyPrefix();
			return Mono.error(new StoragePermissionException("Mount '" + name() + "' is read-only", location, null)
				.withMountIfAbsent(name()));
		}).onErrorMap(io.github.reactivestorage.StorageException.class, ex -> ex.withMountIfAbsent(name()));
	}

	private <T> Mono<T> denied(String key) {
		return Mono.<T>defer(() -> {
			String normalized = StorageKeys.normalize(key);
			return Mono.error(new StoragePermissionException("Mount '" + name() + "' is read-only", normalized, null)
				.withMountIfAbsent(name()));
		}).onErrorMap(io.github.reactivestorage.StorageException.class, ex -> ex.withMountIfAbsent(name()));
	}

}
