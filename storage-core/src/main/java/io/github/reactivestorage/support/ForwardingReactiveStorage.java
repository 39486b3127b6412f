package io.github.reactivestorage.support;

import java.net.URI;
import java.util.Set;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.PostPolicy;
import io.github.reactivestorage.PostPolicyOptions;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UrlOptions;

/**
 * A {@link ReactiveStorage} that forwards every call to a delegate: the base of decorators
 * ({@link PrefixedStorage}, {@link ReadOnlyStorage}, and users' own). {@link #unwrap} looks through
 * the decorator to the delegate.
 *
 * <p>{@link #read} is deliberately not forwarded: the interface's default reads through this
 * decorator's own {@code info} and {@code get}, so a subclass that overrides those is never bypassed.
 * A decorator that leaves both alone (or handles {@code read} itself) overrides {@code read} to
 * forward it and keep the delegate's single lookup.
 */
public abstract class ForwardingReactiveStorage implements ReactiveStorage {

	private final ReactiveStorage delegate;

	protected ForwardingReactiveStorage(ReactiveStorage delegate) {
		this.delegate = delegate;
	}

	/** The storage this one forwards to. */
	public ReactiveStorage getDelegate() {
		return this.delegate;
	}

	@Override
	public String name() {
		return this.delegate.name();
	}

	@Override
	public Set<StorageCapability> capabilities() {
		return this.delegate.capabilities();
	}

	@Override
	public DataBufferFactory bufferFactory() {
		return this.delegate.bufferFactory();
	}

	@Override
	public Mono<StoredObject> put(String key, Publisher<DataBuffer> body, PutOptions options) {
		return this.delegate.put(key, body, options);
	}

	@Override
	public Flux<DataBuffer> get(String key) {
		return this.delegate.get(key);
	}

	@Override
	public Flux<DataBuffer> get(String key, ByteRange range) {
		return this.delegate.get(key, range);
	}

	@Override
	public Mono<StoredObject> info(String key) {
		return this.delegate.info(key);
	}

	@Override
	public Mono<Boolean> exists(String key) {
		return this.delegate.exists(key);
	}

	@Override
	public Mono<Void> delete(String key) {
		return this.delegate.delete(key);
	}

	@Override
	public Mono<Void> delete(String key, DeleteOptions options) {
		return this.delegate.delete(key, options);
	}

	@Override
	public Flux<StoredObject> list(ListOptions options) {
		return this.delegate.list(options);
	}

	@Override
	public Mono<URI> url(String key, UrlOptions options) {
		return this.delegate.url(key, options);
	}

	@Override
	public Mono<PostPolicy> postPolicy(PostPolicyOptions options) {
		return this.delegate.postPolicy(options);
	}

	@Override
	public Mono<StoredObject> copy(String source, String destination) {
		return this.delegate.copy(source, destination);
	}

	@Override
	public Mono<StoredObject> move(String source, String destination) {
		return this.delegate.move(source, destination);
	}

	@Override
	public <T> T unwrap(Class<T> type) {
		if (type.isInstance(this)) {
			return type.cast(this);
		}
		return this.delegate.unwrap(type);
	}

	@Override
	public void close() {
		this.delegate.close();
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.delegate + "]";
	}

}
