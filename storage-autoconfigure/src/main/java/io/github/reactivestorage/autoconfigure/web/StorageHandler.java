package io.github.reactivestorage.autoconfigure.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.util.UriUtils;

import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.InvalidKeyException;
import io.github.reactivestorage.InvalidRangeException;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.StoragePermissionException;
import io.github.reactivestorage.StorageQuotaExceededException;
import io.github.reactivestorage.StoredObject;

/**
 * Handles the storage endpoints: streams uploads into and downloads out of the exposed mounts, with
 * ranges, conditional requests and RFC 9457 problem details. Keys are taken from the raw request path
 * and percent-decoded exactly once; the key rules then apply, so {@code ..} in any encoding never
 * reaches a backend. Nothing is buffered whole: bodies flow between the connection and the mount.
 */
public class StorageHandler {


	private final StorageMounts mounts;

	private final StorageWebProperties properties;

	private final String basePath;

	private final StorageAccessPolicy accessPolicy;

	private final ActiveContentPolicy activeContent;

	private final MultipartUpload multipart;

	/**
	 * Endpoints that grant every request to the exposed mounts.
	 * @param mounts the mounts
	 * @param properties the endpoints' properties
	 */
	public StorageHandler(StorageMounts mounts, StorageWebProperties properties) {
		this(mounts, properties, StorageAccessPolicy.permitAll());
	}

	/**
	 * Endpoints that ask {@code accessPolicy} about every request before any I/O.
	 * @param mounts the mounts
	 * @param properties the endpoints' properties
	 * @param accessPolicy decides every request
	 */
	public StorageHandler(StorageMounts mounts, StorageWebProperties properties, StorageAccessPolicy accessPolicy) {
		this.mounts = mounts;
		this.properties = properties;
		String base = properties.getBasePath();
		this.basePath = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
		this.accessPolicy = accessPolicy;
		this.activeContent = new ActiveContentPolicy(properties.getInlineTypes());
		this.multipart = new MultipartUpload(properties);
	}

	/** The idle timeout of request and response bodies. */
	Duration idleTimeout() {
		return this.properties.getIdleTimeout();
	}

	// ---- downloads ----

	/**
	 * {@code GET {base}/{mount}/{key}} (one {@code read}: headers and bytes of one version) and
	 * {@code HEAD}; see {@link StorageDownloads}.
	 */
	public Mono<ServerResponse> download(ServerRequest request) {
		return Mono.defer(() -> {
			Target target = target(request);
			return StorageDownloads.download(request, target.mount(), target.storage(), target.key(), this.activeContent);
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
				.contentLength(declared)
				.checksum(DigestFields.checksumOf(request.headers().asHttpHeaders()));
			boolean createOnly = "*".equals(request.headers().firstHeader(HttpHeaders.IF_NONE_MATCH));
			Flux<DataBuffer> body = limit(idleTimeout(request.bodyToFlux(DataBuffer.class)), max, new AtomicLong());
			// If-Match / If-Unmodified-Since: checked before the body is read, then made atomic with the write
			return WritePreconditions.resolve(request, target.storage(), target.key()).flatMap(condition -> {
				if (createOnly && condition.ifMatch() != null) {
					return Mono.error(new PreconditionFailedException("The object cannot both exist and be missing",
							target.key(), null));
				}
				return target.storage()
					.put(target.key(), body, options.createOnly(createOnly || condition.createOnly())
						.ifMatch(condition.ifMatch())
						.build());
			})
				.flatMap(stored -> ServerResponse.created(location(request, target.mount(), stored.key()))
					.headers(headers -> reprDigest(headers, stored))
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue(json(stored)));
		}).onErrorResume(StorageException.class, this::error)
			// the client's own header, not a server failure
			.onErrorResume(InvalidMediaTypeException.class,
					ex -> StorageProblems.respond(HttpStatus.BAD_REQUEST, "The Content-Type header is malformed", ex))
			.onErrorResume(this::unexpected);
	}

	/** {@code Repr-Digest} of the checksums the object has (RFC 9530), when it has any. */
	static void reprDigest(HttpHeaders headers, StoredObject object) {
		String value = DigestFields.reprDigest(object.checksums());
		if (value != null) {
			headers.set(DigestFields.REPR_DIGEST, value);
		}
	}

	/**
	 * {@code POST {base}/{mount}?prefix=p} with {@code multipart/form-data}: each file part is stored,
	 * all or nothing ({@link MultipartUpload}).
	 */
	public Mono<ServerResponse> uploadMultipart(ServerRequest request) {
		return Mono.defer(() -> {
			Target target = mountTarget(request);
			requireWritable();
			String prefix = queryParam(request, "prefix").map(StorageHandler::directoryPrefix).orElse("");
			return this.multipart.store(request, target.storage(), prefix)
				.flatMap(objects -> ServerResponse.status(HttpStatus.CREATED)
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue(objects.stream().map(StorageHandler::json).toList()));
		}).onErrorResume(StorageException.class, this::error).onErrorResume(IllegalArgumentException.class,
				ex -> problem(HttpStatus.BAD_REQUEST, ex.getMessage(), null, null)).onErrorResume(this::unexpected);
	}

	private static String directoryPrefix(String prefix) {
		String trimmed = prefix.startsWith("/") ? prefix.substring(1) : prefix;
		return (trimmed.isEmpty() || trimmed.endsWith("/")) ? trimmed : trimmed + "/";
	}

	/** Ends the body with {@link RequestIdleTimeoutException} when it pauses longer than the idle timeout. */
	private Flux<DataBuffer> idleTimeout(Flux<DataBuffer> body) {
		return body.timeout(this.properties.getIdleTimeout(), Flux.error(StorageHandler::idle));
	}

	static RequestIdleTimeoutException idle() {
		return new RequestIdleTimeoutException("The request body paused for longer than storage.web.idle-timeout");
	}

	static Flux<DataBuffer> limit(Flux<DataBuffer> body, long max, AtomicLong total) {
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

	private static StorageQuotaExceededException tooLarge(long max) {
		return new UploadLimitExceededException("Upload is larger than the " + max + " bytes allowed (storage.web.max-upload-size)");
	}

	private long maxUploadSize() {
		return maxUploadSize(this.properties);
	}

	static long maxUploadSize(StorageWebProperties properties) {
		return (properties.getMaxUploadSize() != null) ? properties.getMaxUploadSize().toBytes() : -1;
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
			return WritePreconditions.resolve(request, target.storage(), target.key())
				.flatMap(condition -> target.storage()
					.delete(target.key(), (condition.ifMatch() != null) ? DeleteOptions.ifMatch(condition.ifMatch())
							: DeleteOptions.defaults()))
				.then(ServerResponse.noContent().build());
		}).onErrorResume(StorageException.class, this::error).onErrorResume(this::unexpected);
	}

	/** {@code GET {base}/{mount}?prefix=&limit=&after=&delimiter=}: one JSON page. */
	public Mono<ServerResponse> list(ServerRequest request) {
		return Mono.defer(() -> {
			Target target = mountTarget(request);
			String prefix = queryParam(request, "prefix").orElse("");
			int limit = limit(queryParam(request, "limit").orElse(null));
			String after = queryParam(request, "after").filter(value -> !value.isEmpty()).orElse(null);
			String delimiter = queryParam(request, "delimiter").filter(value -> !value.isEmpty()).orElse(null);
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

	/** A path part, percent-decoded once; malformed escapes and invalid UTF-8 are a 400. */
	private static String decode(String raw) {
		return StrictUriDecoding.decodePath(raw, "path");
	}

	/**
	 * A query parameter read from the raw query rather than {@code request.queryParam}, whose decoding
	 * turns malformed UTF-8 into U+FFFD: malformed escapes and invalid UTF-8 are a 400 instead.
	 */
	private static Optional<String> queryParam(ServerRequest request, String name) {
		return Optional.ofNullable(StrictUriDecoding.queryParam(request.uri().getRawQuery(), name));
	}

	private ReactiveStorage mount(String name) {
		List<String> exposed = this.properties.getMounts();
		ReactiveStorage storage = this.mounts.asMap().get(name);
		if (storage == null || !exposed.contains(name)) {
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

	// ---- access ----

	/**
	 * The authorization filter of every route: asks the {@link StorageAccessPolicy} about the request
	 * once its mount and key (or prefix) are known, before the handler does any I/O.
	 */
	Mono<ServerResponse> authorize(ServerRequest request, HandlerFunction<ServerResponse> next) {
		return Mono.defer(() -> {
			StorageAccessRequest access = accessRequest(request);
			return this.accessPolicy.check(access)
				.defaultIfEmpty(StorageAccessDecision.DENIED)
				.flatMap(decision -> switch (decision) {
					// errors the endpoints raise themselves (limits, timeouts) name the request's mount and key
					case GRANTED -> next.handle(request).contextWrite(Context.of(StorageProblems.TARGET, access));
					case DENIED -> StorageProblems.problem(HttpStatus.FORBIDDEN, "Access to the mount is denied",
							access.mount(), access.key(), request.exchange());
					case UNAUTHENTICATED -> StorageProblems.problem(HttpStatus.UNAUTHORIZED,
							"Authentication is required", access.mount(), access.key(), request.exchange());
				});
		}).onErrorResume(StorageException.class, this::error).onErrorResume(this::unexpected);
	}

	private StorageAccessRequest accessRequest(ServerRequest request) {
		String method = request.method().name();
		// prefixes in their normal form, as the mount lists them and as the keys written start with:
		// a policy comparing the raw value would be passed by a leading '/' the key rules drop
		if (method.equals("POST")) {
			String prefix = queryParam(request, "prefix").map(StorageHandler::directoryPrefix).orElse("");
			return new StorageAccessRequest(request.exchange(), mountTarget(request).mount(), StorageOperation.WRITE,
					StorageKeys.normalizePrefix(prefix), true);
		}
		String rest = pathAfterBase(request);
		int slash = rest.indexOf('/');
		if (method.equals("GET") && (slash < 0 || slash == rest.length() - 1)) {
			return new StorageAccessRequest(request.exchange(), mountTarget(request).mount(), StorageOperation.LIST,
					StorageKeys.normalizePrefix(queryParam(request, "prefix").orElse("")), true);
		}
		Target target = target(request);
		StorageOperation operation = switch (method) {
			case "PUT" -> StorageOperation.WRITE;
			case "DELETE" -> StorageOperation.DELETE;
			default -> StorageOperation.READ;
		};
		return new StorageAccessRequest(request.exchange(), target.mount(), operation, target.key(), false);
	}

	// ---- errors ----

	/**
	 * Anything that is not a {@link StorageException}: a malformed request body is {@code 400}, any
	 * other failure a {@code 500} whose body says nothing about the cause (it is logged instead).
	 */
	private Mono<ServerResponse> unexpected(Throwable ex) {
		if (ex instanceof DecodingException || ex instanceof ServerWebInputException) {
			return StorageProblems.respond(HttpStatus.BAD_REQUEST, "The request body could not be read", ex);
		}
		if (ex instanceof ResponseStatusException statusException) {
			HttpStatus status = HttpStatus.resolve(statusException.getStatusCode().value());
			if (status != null && status.is4xxClientError()) {
				return StorageProblems.respond(status, status.getReasonPhrase(), ex);
			}
		}
		return StorageProblems.respond(HttpStatus.INTERNAL_SERVER_ERROR, StorageProblems.FAILED, ex);
	}

	private Mono<ServerResponse> error(StorageException ex) {
		return StorageProblems.respond(ex);
	}

	static HttpStatus status(StorageException ex) {
		return StorageProblems.status(ex);
	}

	static Mono<ServerResponse> problem(HttpStatus status, @Nullable String detail, @Nullable String mount,
			@Nullable String key) {
		return ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyValue(problemBody(status, detail, mount, key));
	}

	static ProblemDetail problemBody(HttpStatus status, @Nullable String detail, @Nullable String mount,
			@Nullable String key) {
		return StorageProblems.body(status, (detail != null) ? detail : status.getReasonPhrase(), mount, key, null);
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
		if (!object.checksums().isEmpty()) {
			json.put("checksums", object.checksums());
		}
		return json;
	}

}
