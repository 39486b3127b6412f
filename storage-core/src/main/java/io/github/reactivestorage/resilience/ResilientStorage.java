package io.github.reactivestorage.resilience;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

import org.springframework.core.io.buffer.DataBuffer;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.PostPolicy;
import io.github.reactivestorage.PostPolicyOptions;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.support.ForwardingReactiveStorage;

/**
 * A decorator that bounds each operation by a timeout and retries idempotent operations on
 * {@link StorageConnectionException} (the transient error) with exponential backoff and jitter.
 *
 * <ul>
 * <li>Retried: {@code info}, {@code exists}, {@code url}, {@code list} (only while it has emitted
 * nothing), {@code get} (only while it has emitted no buffer: a retry never repeats bytes), and
 * {@code put(key, byte[])} whose body can be sent again, unless it is conditional.</li>
 * <li>Never retried: {@code put} of a {@code Publisher} body (a one-shot stream cannot be replayed
 * silently), {@code delete} (a retry after a lost answer would report not-found for a delete that
 * succeeded), conditional puts and deletes ({@code ifMatch}, create-only: a retry after a lost
 * answer would fail its precondition against the very write that succeeded, so the caller could not
 * tell a lost race from its own success; the {@link StorageConnectionException} is passed on and
 * {@code info} tells what happened), {@code copy} and {@code move}.</li>
 * <li>A timeout is a {@link StorageConnectionException} with the {@link TimeoutException} as cause;
 * for {@code get} and {@code list} it bounds the wait for the first element.</li>
 * </ul>
 */
public class ResilientStorage extends ForwardingReactiveStorage {

	private final ResilienceSettings settings;

	public ResilientStorage(ReactiveStorage delegate, ResilienceSettings settings) {
		super(delegate);
		this.settings = settings;
	}

	public ResilienceSettings getSettings() {
		return this.settings;
	}

	@Override
	public Mono<StoredObject> put(String key, Publisher<DataBuffer> body, PutOptions options) {
		return timeout(super.put(key, body, options), key);
	}

	@Override
	public Mono<StoredObject> put(String key, byte[] content, PutOptions options) {
		Mono<StoredObject> put = timeout(super.put(key, content, options), key);
		return (options.ifMatch() != null || options.createOnly()) ? put : retry(put);
	}

	@Override
	public Flux<DataBuffer> get(String key) {
		return retryBeforeFirst(() -> super.get(key), key);
	}

	@Override
	public Flux<DataBuffer> get(String key, ByteRange range) {
		return retryBeforeFirst(() -> super.get(key, range), key);
	}

	/**
	 * Retried and timed like {@code info}: the lookup is idempotent; once the content is handed out,
	 * its bytes are not retried.
	 */
	@Override
	public Mono<StoredContent> read(String key, @Nullable ByteRange range) {
		return retry(timeout(getDelegate().read(key, range), key));
	}

	@Override
	public Mono<StoredObject> info(String key) {
		return retry(timeout(super.info(key), key));
	}

	@Override
	public Mono<Boolean> exists(String key) {
		return retry(timeout(super.exists(key), key));
	}

	@Override
	public Mono<Void> delete(String key) {
		return timeout(super.delete(key), key);
	}

	@Override
	public Mono<Void> delete(String key, DeleteOptions options) {
		return timeout(super.delete(key, options), key);
	}

	@Override
	public Flux<StoredObject> list(ListOptions options) {
		return retryBeforeFirst(() -> super.list(options), null);
	}

	@Override
	public Mono<URI> url(String key, UrlOptions options) {
		return retry(timeout(super.url(key, options), key));
	}

	/** Signing is local, but resolving credentials may meet a transient failure: retried like {@code url}. */
	@Override
	public Mono<PostPolicy> postPolicy(PostPolicyOptions options) {
		return retry(timeout(super.postPolicy(options), (options.key() != null) ? options.key() : options.keyPrefix()));
	}

	@Override
	public Mono<StoredObject> copy(String source, String destination) {
		return timeout(super.copy(source, destination), source);
	}

	@Override
	public Mono<StoredObject> move(String source, String destination) {
		return timeout(super.move(source, destination), source);
	}

	private <T> Mono<T> timeout(Mono<T> operation, @Nullable String key) {
		Duration timeout = this.settings.timeout();
		if (timeout == null) {
			return operation;
		}
		return operation.timeout(timeout, Mono.defer(() -> Mono.error(timedOut(timeout, key))));
	}

	private <T> Flux<T> retryBeforeFirst(Supplier<Flux<T>> operation, @Nullable String key) {
		Duration timeout = this.settings.timeout();
		return Flux.defer(() -> {
			AtomicBoolean emitted = new AtomicBoolean();
			Flux<T> attempt = Flux.defer(() -> {
				Flux<T> flux = operation.get();
				if (timeout != null) {
					flux = flux.timeout(Mono.delay(timeout), item -> Mono.never(),
							Flux.defer(() -> Flux.error(timedOut(timeout, key))));
				}
				return flux.doOnNext(item -> emitted.set(true));
			});
			if (this.settings.maxAttempts() <= 1) {
				return attempt;
			}
			return attempt.retryWhen(spec().filter(ex -> !emitted.get() && isTransient(ex)));
		});
	}

	private <T> Mono<T> retry(Mono<T> operation) {
		if (this.settings.maxAttempts() <= 1) {
			return operation;
		}
		return operation.retryWhen(spec().filter(ResilientStorage::isTransient));
	}

	private RetryBackoffSpec spec() {
		return Retry.backoff(this.settings.maxAttempts() - 1L, this.settings.initialBackoff())
			.maxBackoff(this.settings.maxBackoff())
			.jitter(this.settings.jitter())
			.onRetryExhaustedThrow((spec, signal) -> signal.failure());
	}

	private static boolean isTransient(Throwable ex) {
		return ex instanceof StorageConnectionException;
	}

	private StorageConnectionException timedOut(Duration timeout, @Nullable String key) {
		StorageConnectionException ex = new StorageConnectionException(
				"Operation on mount '" + name() + "' timed out after " + timeout, key,
				new TimeoutException(timeout.toString()));
		ex.withMountIfAbsent(name());
		return ex;
	}

}
