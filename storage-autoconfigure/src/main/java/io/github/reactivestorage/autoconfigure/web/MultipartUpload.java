package io.github.reactivestorage.autoconfigure.web;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.function.server.ServerRequest;

import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.ObjectAlreadyExistsException;
import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UnsupportedStorageOperationException;

/**
 * A multipart upload, all or nothing. Every file part is stored create-only, so the request never
 * replaces or damages an object that existed before it (an existing key fails the request with
 * {@code 412}); when the request fails or is cancelled (a limit, a malformed part, a backend error,
 * a disconnect, the idle timeout), every object it created is deleted again, on the etag it was
 * stored with where the mount offers conditional deletes, so a newer write by someone else survives.
 */
final class MultipartUpload {

	private static final Log logger = LogFactory.getLog(StorageHandler.class);

	private final StorageWebProperties properties;

	MultipartUpload(StorageWebProperties properties) {
		this.properties = properties;
	}

	/**
	 * Store the file parts of the request under {@code prefix}; completes with the stored objects after
	 * the whole body was read.
	 */
	Mono<List<StoredObject>> store(ServerRequest request, ReactiveStorage storage, String prefix) {
		long max = StorageHandler.maxUploadSize(this.properties);
		int maxParts = this.properties.getMaxParts();
		AtomicLong total = new AtomicLong();
		AtomicInteger parts = new AtomicInteger();
		Flux<PartEvent> events = onEventLoop(request, request.bodyToFlux(PartEvent.class))
			.timeout(this.properties.getIdleTimeout(), Flux.error(() -> StorageHandler.idle()));
		return Mono.usingWhen(Mono.fromSupplier(Created::new),
				created -> events.windowUntil(PartEvent::isLast)
					.concatMap(part -> {
						if (parts.incrementAndGet() > maxParts) {
							// read through (counted, released) rather than leave its events queued in the window
							return drop(part, max, total).then(Mono.error(new UploadLimitExceededException(
									"More than " + maxParts + " parts (storage.web.max-parts)")));
						}
						return part.switchOnFirst((first, partEvents) -> {
							if (first.hasValue() && first.get() instanceof FilePartEvent filePart) {
								String key = prefix + filePart.filename();
								String contentType = (filePart.headers().getContentType() != null)
										? filePart.headers().getContentType().toString() : null;
								Flux<DataBuffer> content = StorageHandler.limit(partEvents.map(PartEvent::content),
										max, total);
								return createOnly(storage, key, content, contentType).doOnNext(created::add);
							}
							return drop(partEvents, max, total).then(Mono.empty());
						});
					})
					.collectList(),
				created -> Mono.empty(), (created, error) -> created.rollback(storage),
				created -> created.rollback(storage));
	}

	/**
	 * A put that never replaces an existing object: create-only where the mount can do it atomically,
	 * otherwise after checking that nothing is there (a writer between the check and the put can
	 * still be replaced on such a mount).
	 */
	private static Mono<StoredObject> createOnly(ReactiveStorage storage, String key, Flux<DataBuffer> content,
			@Nullable String contentType) {
		PutOptions.Builder options = PutOptions.builder().contentType(contentType);
		if (storage.supports(StorageCapability.CONDITIONAL_PUT)) {
			return storage.put(key, content, options.createOnly(true).build());
		}
		return storage.exists(key).flatMap(exists -> exists
				? Mono.error(new ObjectAlreadyExistsException("An object exists under the key", key, null))
				: storage.put(key, content, options.build()));
	}

	/** Reads a part that is not stored (a form field, a part over the count): its bytes count too. */
	private static Mono<Void> drop(Flux<PartEvent> events, long max, AtomicLong total) {
		return StorageHandler.limit(events.map(PartEvent::content), max, total).doOnNext(DataBufferUtils::release).then();
	}

	/** The objects a request created so far, to delete if it does not complete. */
	private static final class Created {

		private final Queue<StoredObject> objects = new ConcurrentLinkedQueue<>();

		void add(StoredObject object) {
			this.objects.add(object);
		}

		Mono<Void> rollback(ReactiveStorage storage) {
			boolean conditional = storage.supports(StorageCapability.CONDITIONAL_WRITE);
			return Flux.fromIterable(this.objects)
				.concatMap(object -> delete(storage, object, conditional).onErrorResume(ex -> {
						logger.warn("Could not remove '" + object.key() + "' of mount '" + storage.name()
								+ "' after a failed multipart upload", ex);
						return Mono.empty();
					}))
				.then();
		}

		/**
		 * A delete of the object as this request stored it. A decorator may declare conditional writes
		 * without forwarding the conditional delete: then the delete is unconditional.
		 */
		private static Mono<Void> delete(ReactiveStorage storage, StoredObject object, boolean conditional) {
			if (!conditional || object.etag() == null) {
				return storage.delete(object.key());
			}
			return storage.delete(object.key(), DeleteOptions.ifMatch(object.etag()))
				.onErrorResume(UnsupportedStorageOperationException.class, ex -> storage.delete(object.key()))
				.onErrorResume(PreconditionFailedException.class, ex -> Mono.empty());
		}

	}

	/**
	 * Subscribes to the part events, and sends them every request, on the connection's event loop when the
	 * server is Reactor Netty. The stores ask for more from other threads (a file mount asks from the thread
	 * that completed the previous write), and a request that reaches Spring's multipart reader from another
	 * thread while the event loop emits can race inside it: its {@code concatMap} hands each part event out
	 * through a scalar subscription that two threads may both trigger (see
	 * {@code Operators.MultiSubscriptionSubscriber.set/request} and {@code FluxConcatMap.WeakScalarSubscription}),
	 * which emits an event twice (its buffer is then released twice, which frees sibling request chunks that
	 * share its parent's reference count) or loses one.
	 */
	private static Flux<PartEvent> onEventLoop(ServerRequest request, Flux<PartEvent> events) {
		Executor eventLoop = REACTOR_NETTY ? ReactorNettyEventLoop.of(request) : null;
		return (eventLoop != null) ? events.subscribeOn(Schedulers.fromExecutor(eventLoop), true) : events;
	}

	private static final boolean REACTOR_NETTY = ClassUtils.isPresent("reactor.netty.Connection",
			MultipartUpload.class.getClassLoader());

	/** Kept apart so that the handler loads without Reactor Netty on the class path. */
	private static final class ReactorNettyEventLoop {

		static @Nullable Executor of(ServerRequest request) {
			ServerHttpRequest serverRequest = request.exchange().getRequest();
			while (serverRequest instanceof ServerHttpRequestDecorator decorator) {
				serverRequest = decorator.getDelegate();
			}
			if (!(serverRequest instanceof AbstractServerHttpRequest server)) {
				return null;
			}
			try {
				return (server.getNativeRequest() instanceof reactor.netty.Connection connection)
						? connection.channel().eventLoop() : null;
			}
			catch (IllegalStateException ex) {
				// A mock request (WebTestClient bound to a router) has no native request
				return null;
			}
		}

	}

}
