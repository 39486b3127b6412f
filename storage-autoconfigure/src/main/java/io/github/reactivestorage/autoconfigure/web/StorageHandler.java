package io.github.reactivestorage.autoconfigure.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.util.UriUtils;

import io.github.reactivestorage.InvalidKeyException;
import io.github.reactivestorage.InvalidMetadataException;
import io.github.reactivestorage.InvalidRangeException;
import io.github.reactivestorage.KeyConflictException;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.StoragePermissionException;
import io.github.reactivestorage.StorageQuotaExceededException;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UnsupportedStorageOperationException;

/**
 * Handles the storage endpoints: streams uploads into and downloads out of the exposed mounts, with
 * ranges, conditional requests and RFC 9457 problem details. Keys are taken from the raw request path
 * and percent-decoded exactly once; the key rules then apply, so {@code ..} in any encoding never
 * reaches a backend. Nothing is buffered whole: bodies flow between the connection and the mount.
 */
public class StorageHandler {

	private static final Log logger = LogFactory.getLog(StorageHandler.class);

	private final StorageMounts mounts;

	private final StorageWebProperties properties;

	private final String basePath;

	public StorageHandler(StorageMounts mounts, StorageWebProperties properties) {
		this.mounts = mounts;
		this.properties = properties;
		String base = properties.getBasePath();
		this.basePath = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
	}

	// ---- downloads ----

	/**
	 * {@code GET {base}/{mount}/{key}} (one {@code read}: headers and bytes of one version) and
	 * {@code HEAD}; see {@link StorageDownloads}.
	 */
	public Mono<ServerResponse> download(ServerRequest request) {
		return Mono.defer(() -> {
			Target target = target(request);
			return StorageDownloads.download(request, target.mount(), target.storage(), target.key());
		}).onErrorResume(StorageException.class, this::error).onErrorResume(IllegalArgumentException.class,
				ex -> problem(HttpStatus.BAD_REQUEST, ex.getMessage(), null, null)).onErrorResume(this::unexpected);
	}

	// ---- uploads ----

	/** {@code PUT {base}/{mount}/{key}} with the raw body. */
	public Mono<ServerResponse> upload(ServerRequest request) {
		return Mono.defer(() -> {
			Target target = target(request);
			requireWritable();
			long declared = request.headers().contentLength().orElse(-1);
			long max = maxUploadSize();
			if (max >= 0 && declared > max) {
				return Mono.error(tooLarge(max));
			}
			PutOptions.Builder options = PutOptions.builder()
				.contentType(request.headers().contentType().map(MediaType::toString).orElse(null))
				.contentLength(declared);
			if ("*".equals(request.headers().firstHeader(HttpHeaders.IF_NONE_MATCH))) {
				options.createOnly(true);
			}
			Flux<DataBuffer> body = limit(request.bodyToFlux(DataBuffer.class), max, new AtomicLong());
			return target.storage()
				.put(target.key(), body, options.build())
				.flatMap(stored -> ServerResponse.created(location(request, target.mount(), stored.key()))
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue(json(stored)));
		}).onErrorResume(StorageException.class, this::error).onErrorResume(this::unexpected);
	}

	/** {@code POST {base}/{mount}?prefix=p} with {@code multipart/form-data}: each file part is stored. */
	public Mono<ServerResponse> uploadMultipart(ServerRequest request) {
		return Mono.defer(() -> {
			Target target = mountTarget(request);
			requireWritable();
			String prefix = request.queryParam("prefix").map(StorageHandler::directoryPrefix).orElse("");
			long max = maxUploadSize();
			AtomicLong total = new AtomicLong();
			List<String> stored = new ArrayList<>();
			ReactiveStorage storage = target.storage();
			return onEventLoop(request, request.bodyToFlux(PartEvent.class))
				.windowUntil(PartEvent::isLast)
				.concatMap(part -> part.switchOnFirst((first, events) -> {
					if (first.hasValue() && first.get() instanceof FilePartEvent filePart) {
						String key = prefix + filePart.filename();
						String contentType = filePart.headers().getContentType() != null
								? filePart.headers().getContentType().toString() : null;
						Flux<DataBuffer> content = limit(events.map(PartEvent::content), max, total);
						return storage.put(key, content, PutOptions.builder().contentType(contentType).build())
							.doOnNext(object -> stored.add(object.key()));
					}
					return events.doOnNext(event -> DataBufferUtils.release(event.content())).then(Mono.empty());
				}))
				.collectList()
				.flatMap(objects -> ServerResponse.status(HttpStatus.CREATED)
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue(objects.stream().map(StorageHandler::json).toList()))
				.onErrorResume(ex -> Flux.fromIterable(stored)
					.concatMap(key -> storage.delete(key).onErrorResume(cleanup -> Mono.empty()))
					.then(Mono.error(ex)));
		}).onErrorResume(StorageException.class, this::error).onErrorResume(IllegalArgumentException.class,
				ex -> problem(HttpStatus.BAD_REQUEST, ex.getMessage(), null, null)).onErrorResume(this::unexpected);
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
			StorageHandler.class.getClassLoader());

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

	private static String directoryPrefix(String prefix) {
		String trimmed = prefix.startsWith("/") ? prefix.substring(1) : prefix;
		return (trimmed.isEmpty() || trimmed.endsWith("/")) ? trimmed : trimmed + "/";
	}

	private Flux<DataBuffer> limit(Flux<DataBuffer> body, long max, AtomicLong total) {
		if (max < 0) {
			return body;
		}
		return body.handle((buffer, sink) -> {
			if (total.addAndGet(buffer.readableByteCount()) > max) {
				DataBufferUtils.release(buffer);
				sink.error(tooLarge(max));
			}
			else {
				sink.next(buffer);
			}
		});
	}

	private StorageQuotaExceededException tooLarge(long max) {
		return new StorageQuotaExceededException("Upload is larger than the " + max + " bytes allowed (storage.web.max-upload-size)");
	}

	private long maxUploadSize() {
		return (this.properties.getMaxUploadSize() != null) ? this.properties.getMaxUploadSize().toBytes() : -1;
	}

	private void requireWritable() {
		if (this.properties.isReadOnly()) {
			throw new StoragePermissionException("The storage endpoints are read-only (storage.web.read-only)");
		}
	}

	private URI location(ServerRequest request, String mount, String key) {
		StringBuilder path = new StringBuilder(this.basePath).append('/')
			.append(UriUtils.encodePathSegment(mount, StandardCharsets.UTF_8));
		for (String segment : key.split("/", -1)) {
			path.append('/').append(UriUtils.encodePathSegment(segment, StandardCharsets.UTF_8));
		}
		return URI.create(path.toString());
	}

	// ---- delete and list ----

	/** {@code DELETE {base}/{mount}/{key}}. */
	public Mono<ServerResponse> delete(ServerRequest request) {
		return Mono.defer(() -> {
			Target target = target(request);
			requireWritable();
			return target.storage().delete(target.key()).then(ServerResponse.noContent().build());
		}).onErrorResume(StorageException.class, this::error).onErrorResume(this::unexpected);
	}

	/** {@code GET {base}/{mount}?prefix=&limit=&after=&delimiter=}: one JSON page. */
	public Mono<ServerResponse> list(ServerRequest request) {
		return Mono.defer(() -> {
			Target target = mountTarget(request);
			String prefix = request.queryParam("prefix").orElse("");
			int limit = limit(request.queryParam("limit").orElse(null));
			String after = request.queryParam("after").filter(value -> !value.isEmpty()).orElse(null);
			String delimiter = request.queryParam("delimiter").filter(value -> !value.isEmpty()).orElse(null);
			ListOptions options = ListOptions.builder()
				.prefix(prefix)
				.limit(limit)
				.startAfter(after)
				.delimiter(delimiter)
				.build();
			return target.storage().list(options).map(StorageHandler::json).collectList().flatMap(items -> {
				Map<String, Object> page = new LinkedHashMap<>();
				page.put("mount", target.mount());
				page.put("prefix", prefix);
				page.put("delimiter", delimiter);
				page.put("after", after);
				page.put("limit", limit);
				page.put("items", items);
				page.put("next", (items.size() == limit) ? items.get(items.size() - 1).get("key") : null);
				return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(page);
			});
		}).onErrorResume(StorageException.class, this::error).onErrorResume(IllegalArgumentException.class,
				ex -> problem(HttpStatus.BAD_REQUEST, ex.getMessage(), null, null)).onErrorResume(this::unexpected);
	}

	private int limit(@Nullable String value) {
		if (value == null || value.isEmpty()) {
			return this.properties.getDefaultPageSize();
		}
		int limit;
		try {
			limit = Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("limit must be a positive integer: '" + value + "'");
		}
		if (limit <= 0 || limit > this.properties.getMaxPageSize()) {
			throw new IllegalArgumentException(
					"limit must be between 1 and " + this.properties.getMaxPageSize() + ": " + value);
		}
		return limit;
	}

	// ---- addressing ----

	private record Target(String mount, ReactiveStorage storage, String key) {
	}

	/** The mount and key of a {@code {base}/{mount}/{key}} request. */
	private Target target(ServerRequest request) {
		String rest = pathAfterBase(request);
		int slash = rest.indexOf('/');
		if (slash < 0 || slash == rest.length() - 1) {
			throw new InvalidKeyException("The path names no key");
		}
		String mount = decode(rest.substring(0, slash));
		String key = decode(rest.substring(slash + 1));
		return new Target(mount, mount(mount), StorageKeys.normalize(key));
	}

	/** The mount of a {@code {base}/{mount}} request. */
	private Target mountTarget(ServerRequest request) {
		String rest = pathAfterBase(request);
		if (rest.endsWith("/")) {
			rest = rest.substring(0, rest.length() - 1);
		}
		String mount = decode(rest);
		return new Target(mount, mount(mount), "");
	}

	/**
	 * The raw (still percent-encoded) path after the base path. The base is the part of the matched
	 * route pattern before {@code /{mount}}, so routes nested under other paths by the application
	 * work too; without a matched pattern the configured base path is used.
	 */
	private String pathAfterBase(ServerRequest request) {
		int baseSegments = baseSegments(request);
		if (baseSegments >= 0) {
			// the exchange's own path: nested routes shorten the request's path, not the merged pattern
			String path = request.exchange().getRequest().getPath().pathWithinApplication().value();
			int index = 0;
			for (int i = 0; i < baseSegments; i++) {
				index = path.indexOf('/', index + 1);
				if (index < 0) {
					throw new ObjectNotFoundException("Not a storage path");
				}
			}
			if (index < path.length() - 1 && path.charAt(index) == '/') {
				return path.substring(index + 1);
			}
			throw new ObjectNotFoundException("Not a storage path");
		}
		String path = request.requestPath().pathWithinApplication().value();
		if (!path.startsWith(this.basePath + "/")) {
			throw new ObjectNotFoundException("Not a storage path");
		}
		return path.substring(this.basePath.length() + 1);
	}

	private static int baseSegments(ServerRequest request) {
		Object pattern = request.attribute(RouterFunctions.MATCHING_PATTERN_ATTRIBUTE).orElse(null);
		if (pattern == null) {
			return -1;
		}
		String text = pattern.toString();
		int mount = text.indexOf("/{mount}");
		if (mount < 0) {
			return -1;
		}
		int segments = 0;
		for (int i = 0; i < mount; i++) {
			if (text.charAt(i) == '/') {
				segments++;
			}
		}
		return segments;
	}

	private static String decode(String raw) {
		try {
			return UriUtils.decode(raw, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidKeyException("Malformed percent-encoding in the path");
		}
	}

	private ReactiveStorage mount(String name) {
		List<String> exposed = this.properties.getMounts();
		ReactiveStorage storage = this.mounts.asMap().get(name);
		if (storage == null || (!exposed.isEmpty() && !exposed.contains(name))) {
			throw new MountNotExposedException(name);
		}
		return storage;
	}

	/** A request for a mount that does not exist or is not exposed: 404, without telling which. */
	static final class MountNotExposedException extends StorageException {

		private static final long serialVersionUID = 1L;

		MountNotExposedException(String mount) {
			super("No exposed mount named '" + mount + "'");
		}

	}

	// ---- errors ----

	/**
	 * Anything that is not a {@link StorageException}: a malformed request body is {@code 400}, any
	 * other failure a {@code 500} whose body says nothing about the cause (it is logged instead).
	 */
	private Mono<ServerResponse> unexpected(Throwable ex) {
		if (ex instanceof DecodingException || ex instanceof ServerWebInputException) {
			return problem(HttpStatus.BAD_REQUEST, "The request body could not be read", null, null);
		}
		if (ex instanceof ResponseStatusException statusException) {
			HttpStatus status = HttpStatus.resolve(statusException.getStatusCode().value());
			if (status != null && status.is4xxClientError()) {
				return problem(status, status.getReasonPhrase(), null, null);
			}
		}
		logger.error("Storage endpoint failed", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "The storage operation failed", null, null);
	}

	private Mono<ServerResponse> error(StorageException ex) {
		HttpStatus status = status(ex);
		String detail = (status == HttpStatus.INTERNAL_SERVER_ERROR) ? "The storage operation failed" : ex.getReason();
		return problem(status, detail, ex.getMount(), ex.getKey());
	}

	static HttpStatus status(StorageException ex) {
		if (ex instanceof ObjectNotFoundException || ex instanceof MountNotExposedException) {
			return HttpStatus.NOT_FOUND;
		}
		if (ex instanceof InvalidKeyException || ex instanceof InvalidMetadataException) {
			return HttpStatus.BAD_REQUEST;
		}
		if (ex instanceof InvalidRangeException) {
			return HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE;
		}
		if (ex instanceof StoragePermissionException) {
			return HttpStatus.FORBIDDEN;
		}
		if (ex instanceof StorageQuotaExceededException) {
			return HttpStatus.CONTENT_TOO_LARGE;
		}
		if (ex instanceof PreconditionFailedException) {
			return HttpStatus.PRECONDITION_FAILED;
		}
		if (ex instanceof KeyConflictException) {
			return HttpStatus.CONFLICT;
		}
		if (ex instanceof UnsupportedStorageOperationException) {
			return HttpStatus.NOT_IMPLEMENTED;
		}
		if (ex instanceof StorageConnectionException) {
			return HttpStatus.SERVICE_UNAVAILABLE;
		}
		return HttpStatus.INTERNAL_SERVER_ERROR;
	}

	static Mono<ServerResponse> problem(HttpStatus status, @Nullable String detail, @Nullable String mount,
			@Nullable String key) {
		return ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyValue(problemBody(status, detail, mount, key));
	}

	static ProblemDetail problemBody(HttpStatus status, @Nullable String detail, @Nullable String mount,
			@Nullable String key) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, (detail != null) ? detail : status.getReasonPhrase());
		if (mount != null) {
			problem.setProperty("mount", mount);
		}
		if (key != null) {
			problem.setProperty("key", key);
		}
		return problem;
	}

	static Map<String, Object> json(StoredObject object) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("key", object.key());
		json.put("size", object.size());
		json.put("contentType", object.contentType());
		json.put("etag", object.etag());
		json.put("lastModified", (object.lastModified() != null) ? object.lastModified().toString() : null);
		json.put("metadata", object.metadata());
		json.put("prefix", object.isPrefix());
		return json;
	}

}
