package io.github.reactivestorage.observation;

import java.net.URI;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.core.io.buffer.DataBuffer;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.PostPolicy;
import io.github.reactivestorage.PostPolicyOptions;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.support.ForwardingReactiveStorage;

/**
 * A decorator that records every operation as a Micrometer {@link Observation} named
 * {@value #OBSERVATION_NAME} (a timer in metrics, a span in tracing) and counts the bytes streamed.
 * Tags are low-cardinality only: {@code storage.mount}, {@code storage.type}, {@code storage.operation},
 * {@code outcome} ({@code success}, {@code error}, {@code cancelled}) and {@code exception} (the
 * simple class name, or {@code none}). The key is never a tag.
 */
public class ObservedStorage extends ForwardingReactiveStorage {

	/** The name of the observations. */
	public static final String OBSERVATION_NAME = "storage.operation";

	private final ObservationRegistry registry;

	private final String type;

	private final ByteCounter bytes;

	public ObservedStorage(ReactiveStorage delegate, ObservationRegistry registry, String type, ByteCounter bytes) {
		super(delegate);
		this.registry = registry;
		this.type = type;
		this.bytes = bytes;
	}

	@Override
	public Mono<StoredObject> put(String key, Publisher<DataBuffer> body, PutOptions options) {
		Flux<DataBuffer> counted = Flux.from(body).doOnNext(buffer -> this.bytes.written(buffer.readableByteCount()));
		return observe("put", () -> super.put(key, counted, options));
	}

	@Override
	public Flux<DataBuffer> get(String key) {
		return observeMany("get", () -> super.get(key).doOnNext(this::countRead));
	}

	@Override
	public Flux<DataBuffer> get(String key, ByteRange range) {
		return observeMany("get", () -> super.get(key, range).doOnNext(this::countRead));
	}

	/**
	 * Observed as {@code read} from the lookup until the content completes, fails or is cancelled, or
	 * the read is discarded or sent from its file. Bytes sent from {@link StoredContent#file()}
	 * (zero-copy) are counted when the receiver reports them {@link StoredContent#sent() sent}.
	 */
	@Override
	public Mono<StoredContent> read(String key, @Nullable ByteRange range) {
		return Mono.defer(() -> {
			Observation observation = start("read");
			AtomicBoolean stopped = new AtomicBoolean();
			Consumer<SignalType> stop = signal -> {
				if (stopped.compareAndSet(false, true)) {
					stop(observation, signal);
				}
			};
			return getDelegate().read(key, range)
				.map(content -> observed(content, observation, stop))
				.doOnError(observation::error)
				.doOnError(ex -> stop.accept(SignalType.ON_ERROR))
				.doOnCancel(() -> stop.accept(SignalType.CANCEL))
				.contextWrite(context -> context.put(ObservationThreadLocalAccessor.KEY, observation));
		});
	}

	private StoredContent observed(StoredContent content, Observation observation, Consumer<SignalType> stop) {
		Flux<DataBuffer> bytes = content.content()
			.doOnNext(this::countRead)
			.doOnError(observation::error)
			.doFinally(stop::accept);
		StoredContent observed = content.withContent(bytes);
		FileChannel file = content.file();
		if (file != null) {
			// withContent dropped the file; offer it again, counting its bytes when reported sent
			observed = observed.withFile(file, content.discard())
				.withSent(content.sent().then(Mono.fromRunnable(() -> this.bytes.read(content.length()))));
		}
		return observed.withDiscard(observed.discard().doFinally(signal -> stop.accept(SignalType.CANCEL)))
			.withSent(observed.sent().doFinally(signal -> stop.accept(SignalType.ON_COMPLETE)));
	}

	@Override
	public Mono<StoredObject> info(String key) {
		return observe("info", () -> super.info(key));
	}

	@Override
	public Mono<Boolean> exists(String key) {
		return observe("exists", () -> super.exists(key));
	}

	@Override
	public Mono<Void> delete(String key) {
		return observe("delete", () -> super.delete(key));
	}

	@Override
	public Mono<Void> delete(String key, DeleteOptions options) {
		return observe("delete", () -> super.delete(key, options));
	}

	@Override
	public Flux<StoredObject> list(ListOptions options) {
		return observeMany("list", () -> super.list(options));
	}

	@Override
	public Mono<URI> url(String key, UrlOptions options) {
		return observe("url", () -> super.url(key, options));
	}

	@Override
	public Mono<PostPolicy> postPolicy(PostPolicyOptions options) {
		return observe("postPolicy", () -> super.postPolicy(options));
	}

	@Override
	public Mono<StoredObject> copy(String source, String destination) {
		return observe("copy", () -> super.copy(source, destination));
	}

	@Override
	public Mono<StoredObject> move(String source, String destination) {
		return observe("move", () -> super.move(source, destination));
	}

	private void countRead(DataBuffer buffer) {
		this.bytes.read(buffer.readableByteCount());
	}

	private <T> Mono<T> observe(String operation, Supplier<Mono<T>> call) {
		return Mono.defer(() -> {
			Observation observation = start(operation);
			return call.get()
				.doOnError(observation::error)
				.doFinally(signal -> stop(observation, signal))
				.contextWrite(context -> context.put(ObservationThreadLocalAccessor.KEY, observation));
		});
	}

	private <T> Flux<T> observeMany(String operation, Supplier<Flux<T>> call) {
		return Flux.defer(() -> {
			Observation observation = start(operation);
			return call.get()
				.doOnError(observation::error)
				.doFinally(signal -> stop(observation, signal))
				.contextWrite(context -> context.put(ObservationThreadLocalAccessor.KEY, observation));
		});
	}

	private Observation start(String operation) {
		return Observation.createNotStarted(OBSERVATION_NAME, this.registry)
			.lowCardinalityKeyValues(KeyValues.of("storage.mount", name(), "storage.type", this.type,
					"storage.operation", operation))
			.start();
	}

	private void stop(Observation observation, SignalType signal) {
		Throwable error = observation.getContext().getError();
		String outcome = (error != null) ? "error" : (signal == SignalType.CANCEL) ? "cancelled" : "success";
		observation.lowCardinalityKeyValue("outcome", outcome);
		observation.lowCardinalityKeyValue("exception", (error != null) ? error.getClass().getSimpleName() : "none");
		observation.stop();
	}

}
