package io.github.reactivestorage.autoconfigure.web;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;

import io.github.reactivestorage.ChecksumMismatchException;
import io.github.reactivestorage.InvalidKeyException;
import io.github.reactivestorage.InvalidMetadataException;
import io.github.reactivestorage.InvalidRangeException;
import io.github.reactivestorage.KeyConflictException;
import io.github.reactivestorage.ObjectAlreadyExistsException;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StoragePermissionException;
import io.github.reactivestorage.StorageQuotaExceededException;
import io.github.reactivestorage.UnsupportedStorageOperationException;

/**
 * Turns failures into RFC 9457 problem details. The {@code detail} is a fixed text per kind of error,
 * never an exception's message: backends put hosts, bucket policies, service accounts and SDK messages
 * there. The body names the mount, the key and the request id; the log line with the same request id
 * holds the full cause.
 */
final class StorageProblems {

	private static final Log logger = LogFactory.getLog(StorageHandler.class);

	static final String FAILED = "The storage operation failed";

	/** Context key of the {@link StorageAccessRequest} a handler serves. */
	static final String TARGET = StorageProblems.class.getName() + ".target";

	private StorageProblems() {
	}

	static HttpStatus status(StorageException ex) {
		if (ex instanceof ObjectNotFoundException || ex instanceof StorageHandler.MountNotExposedException) {
			return HttpStatus.NOT_FOUND;
		}
		if (ex instanceof InvalidKeyException || ex instanceof InvalidMetadataException
				|| ex instanceof ChecksumMismatchException || ex instanceof DigestFields.InvalidDigestFieldException) {
			return HttpStatus.BAD_REQUEST;
		}
		if (ex instanceof InvalidRangeException) {
			return HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE;
		}
		if (ex instanceof StoragePermissionException) {
			return HttpStatus.FORBIDDEN;
		}
		if (ex instanceof UploadLimitExceededException) {
			return HttpStatus.CONTENT_TOO_LARGE;
		}
		if (ex instanceof StorageQuotaExceededException) {
			return HttpStatus.INSUFFICIENT_STORAGE;
		}
		if (ex instanceof PreconditionFailedException) {
			return HttpStatus.PRECONDITION_FAILED;
		}
		if (ex instanceof KeyConflictException) {
			return HttpStatus.CONFLICT;
		}
		if (ex instanceof RequestIdleTimeoutException) {
			return HttpStatus.REQUEST_TIMEOUT;
		}
		if (ex instanceof UnsupportedStorageOperationException) {
			return HttpStatus.NOT_IMPLEMENTED;
		}
		if (ex instanceof StorageConnectionException) {
			return HttpStatus.SERVICE_UNAVAILABLE;
		}
		return HttpStatus.INTERNAL_SERVER_ERROR;
	}

	/** The fixed text of a kind of error: says what went wrong with the request, nothing about the server. */
	static String detail(StorageException ex) {
		if (ex instanceof StorageHandler.MountNotExposedException) {
			return "No exposed mount of that name";
		}
		if (ex instanceof ObjectNotFoundException) {
			return "No object under the key";
		}
		if (ex instanceof InvalidKeyException) {
			return "The key or prefix breaks the key rules (empty, '.' or '..' segments, control characters, "
					+ "invalid UTF-8, reserved names, too long)";
		}
		if (ex instanceof InvalidMetadataException) {
			return "The metadata cannot be stored on this mount";
		}
		if (ex instanceof ChecksumMismatchException) {
			return "The content does not match its digest; nothing was stored";
		}
		if (ex instanceof DigestFields.InvalidDigestFieldException) {
			return "The Content-Digest or Repr-Digest field is malformed, names no supported algorithm "
					+ "(sha-256, crc32c, md5), or the two disagree";
		}
		if (ex instanceof InvalidRangeException) {
			return "The range is not satisfiable";
		}
		if (ex instanceof StoragePermissionException) {
			return "The mount does not allow this operation";
		}
		if (ex instanceof UploadLimitExceededException) {
			return "The upload is larger than the endpoint allows (size or number of parts)";
		}
		if (ex instanceof StorageQuotaExceededException) {
			return "The mount has no room for the object";
		}
		if (ex instanceof ObjectAlreadyExistsException) {
			return "An object already exists under the key";
		}
		if (ex instanceof PreconditionFailedException) {
			return "The object does not match the request's precondition";
		}
		if (ex instanceof KeyConflictException) {
			return "The key cannot coexist with another key of the mount: one of them would have to be "
					+ "the other's directory";
		}
		if (ex instanceof RequestIdleTimeoutException) {
			return "The request body paused for longer than the endpoint allows";
		}
		if (ex instanceof UnsupportedStorageOperationException) {
			return "The mount does not support this operation";
		}
		if (ex instanceof StorageConnectionException) {
			return "The mount's store is unreachable; try again later";
		}
		return FAILED;
	}

	/**
	 * The answer to a failed request, logged with its full cause and the exchange's log prefix: at error
	 * level for server failures, at debug level for the client's own mistakes.
	 */
	static Mono<ServerResponse> respond(StorageException ex) {
		return Mono.deferContextual(context -> {
			ServerWebExchange exchange = context.getOrDefault(StorageWebFilters.EXCHANGE, null);
			StorageAccessRequest target = context.getOrDefault(TARGET, null);
			HttpStatus status = status(ex);
			log(exchange, status, ex);
			String mount = (ex.getMount() != null || target == null) ? ex.getMount() : target.mount();
			String key = (ex.getKey() != null || target == null || target.prefix()) ? ex.getKey() : target.key();
			return problem(status, detail(ex), mount, key, exchange);
		});
	}

	/** The answer to a failure that is not a storage error. */
	static Mono<ServerResponse> respond(HttpStatus status, String detail, @Nullable Throwable cause) {
		return Mono.deferContextual(context -> {
			ServerWebExchange exchange = context.getOrDefault(StorageWebFilters.EXCHANGE, null);
			if (cause != null) {
				log(exchange, status, cause);
			}
			return problem(status, detail, null, null, exchange);
		});
	}

	private static void log(@Nullable ServerWebExchange exchange, HttpStatus status, Throwable cause) {
		String prefix = (exchange != null) ? exchange.getLogPrefix() : "";
		if (status.is5xxServerError()) {
			logger.error(prefix + "Storage request failed with " + status.value() + ": " + cause.getMessage(), cause);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(prefix + "Storage request answered " + status.value() + ": " + cause.getMessage(), cause);
		}
	}

	static Mono<ServerResponse> problem(HttpStatus status, String detail, @Nullable String mount, @Nullable String key,
			@Nullable ServerWebExchange exchange) {
		return ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyValue(body(status, detail, mount, key, exchange));
	}

	static ProblemDetail body(HttpStatus status, String detail, @Nullable String mount, @Nullable String key,
			@Nullable ServerWebExchange exchange) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		if (mount != null) {
			problem.setProperty("mount", mount);
		}
		if (key != null) {
			problem.setProperty("key", key);
		}
		if (exchange != null) {
			problem.setProperty("requestId", requestId(exchange));
		}
		return problem;
	}

	/** The id Spring puts in the exchange's log prefix ({@code [id] }), so body and log line match. */
	static String requestId(ServerWebExchange exchange) {
		Object logId = exchange.getAttribute(ServerWebExchange.LOG_ID_ATTRIBUTE);
		return (logId != null) ? logId.toString() : exchange.getRequest().getId();
	}

}
