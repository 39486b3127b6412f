package io.github.reactivestorage.autoconfigure.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebInputException;

import io.github.reactivestorage.PostPolicy;
import io.github.reactivestorage.PostPolicyOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.StorageMounts;

/**
 * {@code POST {base}/{mount}/direct-uploads}: a signed form (a POST policy of the mount's backend) for
 * one upload straight from the browser to the backend, under a key the server picks:
 * {@code prefix + random id + extension}, the extension taken from the request's {@code filename} only
 * when it is 1 to 16 ASCII letters and digits. The backend enforces the size cap, the content type and
 * the key; nothing goes through this server.
 *
 * <p>The request body is optional JSON: {@code filename}, {@code contentType} (must be one of
 * {@code storage.web.direct-uploads.content-types} when that list is set), {@code size} (declared
 * size, then bound exactly; at most {@code max-size}). The answer is JSON: {@code mount}, {@code key},
 * {@code method}, {@code url}, {@code fields} (in order), {@code fileField}, {@code expiresAt},
 * {@code maxSize}. Only the mounts named in {@code storage.web.mounts} are served (an empty list serves
 * none). Errors are problem details, as on the other endpoints: an unexposed mount 404, a
 * read-only one 403, one that cannot sign forms 501, a bad request 400, a declared size over the cap
 * 413.
 */
public class DirectUploadHandler {


	private static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9]{1,16}");

	private final StorageAccessPolicy accessPolicy;

	private final StorageMounts mounts;

	private final StorageWebProperties web;

	private final DirectUploadProperties properties;

	private final String prefix;

	private final List<MediaType> allowed;

	/**
	 * @throws IllegalArgumentException if the configured prefix breaks the key rules or a configured content
	 * type is not a media type
	 */
	public DirectUploadHandler(StorageMounts mounts, StorageWebProperties web, DirectUploadProperties properties) {
		this(mounts, web, properties, StorageAccessPolicy.permitAll());
	}

	/**
	 * A handler whose requests the access policy decides (operation {@code WRITE} on the configured
	 * prefix, as a prefix) before anything is read or signed.
	 */
	public DirectUploadHandler(StorageMounts mounts, StorageWebProperties web, DirectUploadProperties properties,
			StorageAccessPolicy accessPolicy) {
		this.accessPolicy = accessPolicy;
		this.mounts = mounts;
		this.web = web;
		this.properties = properties;
		this.allowed = properties.getContentTypes().stream().map(MediaType::parseMediaType).toList();
		String configured = StorageKeys.normalizePrefix(properties.getPrefix());
		this.prefix = (configured.isEmpty() || configured.endsWith("/")) ? configured : configured + "/";
	}

	/** The body of a request; every part optional. */
	public record DirectUploadRequest(@Nullable String filename, @Nullable String contentType, @Nullable Long size) {
	}

	public Mono<ServerResponse> create(ServerRequest request) {
		return Mono.defer(() -> {
			String mount = request.pathVariable("mount");
			ReactiveStorage storage = exposed(mount);
			if (storage == null) {
				return problem(HttpStatus.NOT_FOUND, "No exposed mount named '" + mount + "'", null);
			}
			StorageAccessRequest access = new StorageAccessRequest(request.exchange(), mount, StorageOperation.WRITE,
					this.prefix, true);
			return this.accessPolicy.check(access)
				.defaultIfEmpty(StorageAccessDecision.DENIED)
				.flatMap(decision -> switch (decision) {
					case GRANTED -> authorized(request, mount, storage);
					case DENIED -> problem(HttpStatus.FORBIDDEN, "Access to the mount is denied", mount);
					case UNAUTHENTICATED -> problem(HttpStatus.UNAUTHORIZED, "Authentication is required", mount);
				});
		}).onErrorResume(BadRequest.class, ex -> problem(ex.status, ex.getMessage(), ex.mount))
			.onErrorResume(IllegalArgumentException.class,
					ex -> problem(HttpStatus.BAD_REQUEST, "The request is not valid for a direct upload", null))
			.onErrorResume(ServerWebInputException.class,
					ex -> problem(HttpStatus.BAD_REQUEST, "The request body could not be read", null))
			// a fixed text per kind of error and the request id, never a backend's message (logged instead)
			.onErrorResume(StorageException.class, StorageProblems::respond)
			.onErrorResume(ex -> StorageProblems.respond(HttpStatus.INTERNAL_SERVER_ERROR,
					"The storage operation failed", ex));
	}

	private Mono<ServerResponse> authorized(ServerRequest request, String mount, ReactiveStorage storage) {
		if (this.web.isReadOnly() || !storage.supports(StorageCapability.WRITE)) {
			return problem(HttpStatus.FORBIDDEN, "The mount is read-only", mount);
		}
		// before the body is read: a mount that cannot sign forms answers the same whatever is asked
		if (!storage.supports(StorageCapability.POST_POLICY)) {
			return problem(HttpStatus.NOT_IMPLEMENTED,
					"Mount '" + mount + "' cannot sign browser upload forms (capability POST_POLICY)", mount);
		}
		return request.bodyToMono(DirectUploadRequest.class)
			.defaultIfEmpty(new DirectUploadRequest(null, null, null))
			.flatMap(body -> sign(mount, storage, body));
	}

	private Mono<ServerResponse> sign(String mount, ReactiveStorage storage, DirectUploadRequest body) {
		long max = this.properties.getMaxSize().toBytes();
		PostPolicyOptions.Builder options = PostPolicyOptions.forKey(this.prefix + UUID.randomUUID() + extension(body))
			.expiry(this.properties.getExpiry());
		if (body.size() != null) {
			if (body.size() < 0) {
				throw new BadRequest(HttpStatus.BAD_REQUEST, "size must not be negative", mount);
			}
			if (body.size() > max) {
				throw new BadRequest(HttpStatus.CONTENT_TOO_LARGE, "size is over the limit of " + max + " bytes",
						mount);
			}
			options.size(body.size(), body.size());
		}
		else {
			options.maxSize(max);
		}
		contentType(options, body.contentType(), mount);
		return storage.postPolicy(options.build())
			.flatMap(policy -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(json(mount, policy, (body.size() != null) ? body.size() : max)));
	}

	/** The requested type if admitted, else the one admitted type or type family; 400 otherwise. */
	private void contentType(PostPolicyOptions.Builder options, @Nullable String requested, String mount) {
		List<MediaType> allowed = this.allowed;
		if (requested != null) {
			MediaType type;
			try {
				type = MediaType.parseMediaType(requested);
			}
			catch (InvalidMediaTypeException ex) {
				throw new BadRequest(HttpStatus.BAD_REQUEST, "contentType is not a media type", mount);
			}
			if (type.isWildcardType() || type.isWildcardSubtype()) {
				throw new BadRequest(HttpStatus.BAD_REQUEST, "contentType must be a concrete type", mount);
			}
			if (!allowed.isEmpty() && allowed.stream().noneMatch(a -> a.includes(type))) {
				throw new BadRequest(HttpStatus.BAD_REQUEST, "contentType is not allowed here", mount);
			}
			options.contentType(type.toString());
			return;
		}
		if (allowed.size() == 1) {
			MediaType only = allowed.get(0);
			if (only.isWildcardSubtype() && !only.isWildcardType()) {
				options.contentTypePrefix(only.getType() + "/");
			}
			else if (!only.isWildcardType()) {
				options.contentType(only.toString());
			}
		}
		else if (!allowed.isEmpty()) {
			throw new BadRequest(HttpStatus.BAD_REQUEST, "contentType is required", mount);
		}
	}

	private static String extension(DirectUploadRequest body) {
		String filename = body.filename();
		if (filename == null) {
			return "";
		}
		int dot = filename.lastIndexOf('.');
		String extension = (dot >= 0) ? filename.substring(dot + 1) : "";
		return EXTENSION.matcher(extension).matches() ? "." + extension.toLowerCase(Locale.ROOT) : "";
	}

	/** Only mounts named in {@code storage.web.mounts}: an empty list signs nothing (fails closed). */
	private @Nullable ReactiveStorage exposed(String name) {
		return this.web.getMounts().contains(name) ? this.mounts.asMap().get(name) : null;
	}

	private static Map<String, Object> json(String mount, PostPolicy policy, long maxSize) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("mount", mount);
		json.put("key", policy.key());
		json.put("method", policy.method());
		json.put("url", policy.url().toString());
		json.put("fields", policy.fields());
		json.put("fileField", policy.fileField());
		json.put("expiresAt", policy.expiration().toString());
		json.put("maxSize", maxSize);
		return json;
	}

	private static Mono<ServerResponse> problem(HttpStatus status, @Nullable String detail, @Nullable String mount) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, (detail != null) ? detail : status.getReasonPhrase());
		if (mount != null) {
			problem.setProperty("mount", mount);
		}
		return ServerResponse.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).bodyValue(problem);
	}

	/** A request the endpoint refuses itself, with the status and a message for the client. */
	private static final class BadRequest extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final HttpStatus status;

		private final @Nullable String mount;

		BadRequest(HttpStatus status, String message, @Nullable String mount) {
			super(message, null, false, false);
			this.status = status;
			this.mount = mount;
		}

	}

}
