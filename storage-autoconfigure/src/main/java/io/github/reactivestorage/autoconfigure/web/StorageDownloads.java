package io.github.reactivestorage.autoconfigure.web;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.InvalidRangeException;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StoredObject;

/**
 * {@code GET} and {@code HEAD} of one object. A {@code GET} is one {@link ReactiveStorage#read}: its
 * information decides the preconditions, the range and every header, and its content is the body, so
 * the headers always describe the bytes sent. A {@code HEAD} is one {@code info}.
 */
final class StorageDownloads {

	private StorageDownloads() {
	}

	/** Errors are signalled for the caller to map ({@code StorageException}, {@code IllegalArgumentException}). */
	static Mono<ServerResponse> download(ServerRequest request, String mount, ReactiveStorage storage, String key,
			ActiveContentPolicy activeContent) {
		HttpHeaders headers = request.headers().asHttpHeaders();
		boolean head = request.method().matches("HEAD");
		ByteRange range = range(headers);
		if (head) {
			return storage.info(key).flatMap(object -> head(request, mount, object, range, activeContent));
		}
		return storage.read(key, range)
			.flatMap(content -> respond(request, mount, storage, key, content, range, activeContent))
			.onErrorResume(InvalidRangeException.class, ex -> (range == null) ? Mono.error(ex)
					: storage.info(key).flatMap(object -> unsatisfiable(object, ex, mount, key)));
	}

	private static Mono<ServerResponse> respond(ServerRequest request, String mount, ReactiveStorage storage,
			String key, StoredContent content, @Nullable ByteRange range, ActiveContentPolicy activeContent) {
		HttpHeaders headers = request.headers().asHttpHeaders();
		StoredObject object = content.object();
		HttpPreconditions.Outcome outcome = HttpPreconditions.evaluate(headers, object);
		if (outcome != HttpPreconditions.Outcome.PROCEED) {
			return content.discard().then(conditional(outcome, object));
		}
		if (range != null && !HttpPreconditions.rangeApplies(headers, object)) {
			// a stale If-Range: the whole object, read again (the client's copy is of another version anyway)
			return content.discard()
				.then(storage.read(key, null))
				.flatMap(whole -> respond(request, mount, storage, key, whole, null, activeContent));
		}
		HttpHeaders response = new HttpHeaders();
		representationHeaders(response, request, object, key, activeContent);
		response.setContentLength(content.length());
		// a suffix of an empty object selects no bytes, which Content-Range cannot name: 200, empty body
		boolean partial = content.isPartial() && content.length() > 0;
		if (partial) {
			response.set(HttpHeaders.CONTENT_RANGE,
					"bytes " + content.start() + "-" + content.end() + "/" + object.size());
		}
		HttpStatus status = partial ? HttpStatus.PARTIAL_CONTENT : HttpStatus.OK;
		return Mono.just(new ContentResponse(status, response, content));
	}

	private static Mono<ServerResponse> head(ServerRequest request, String mount, StoredObject object,
			@Nullable ByteRange range, ActiveContentPolicy activeContent) {
		HttpHeaders headers = request.headers().asHttpHeaders();
		HttpPreconditions.Outcome outcome = HttpPreconditions.evaluate(headers, object);
		if (outcome != HttpPreconditions.Outcome.PROCEED) {
			return conditional(outcome, object);
		}
		HttpHeaders response = new HttpHeaders();
		representationHeaders(response, request, object, object.key(), activeContent);
		HttpStatus status = HttpStatus.OK;
		long length = object.size();
		if (range != null && HttpPreconditions.rangeApplies(headers, object)) {
			long[] span;
			try {
				span = range.resolve(object.size());
			}
			catch (InvalidRangeException ex) {
				return unsatisfiable(object, ex, mount, object.key());
			}
			if (span[1] >= span[0]) {
				status = HttpStatus.PARTIAL_CONTENT;
				length = span[1] - span[0] + 1;
				response.set(HttpHeaders.CONTENT_RANGE, "bytes " + span[0] + "-" + span[1] + "/" + object.size());
			}
		}
		response.setContentLength(length);
		return Mono.just(new ContentResponse(status, response, null));
	}

	/**
	 * The one place where the headers of a {@code 200}, {@code 206} or {@code HEAD} response describing
	 * the object are set (validators, type, disposition); length and range are added by the caller.
	 */
	static void representationHeaders(HttpHeaders response, ServerRequest request, StoredObject object, String key,
			ActiveContentPolicy activeContent) {
		validators(response, object);
		response.set(HttpHeaders.ACCEPT_RANGES, "bytes");
		response.setContentType(mediaType(object.contentType()));
		if (request.queryParam("download").isPresent()) {
			response.setContentDisposition(contentDisposition(StorageKeys.filename(key)));
		}
		activeContent.apply(response, object, key);
	}

	private static Mono<ServerResponse> conditional(HttpPreconditions.Outcome outcome, StoredObject object) {
		if (outcome == HttpPreconditions.Outcome.NOT_MODIFIED) {
			return ServerResponse.status(HttpStatus.NOT_MODIFIED).headers(h -> validators(h, object)).build();
		}
		return StorageHandler.problem(HttpStatus.PRECONDITION_FAILED,
				"The object does not match the request's preconditions", null, null);
	}

	private static Mono<ServerResponse> unsatisfiable(StoredObject object, InvalidRangeException ex, String mount,
			String key) {
		return ServerResponse.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
			.header(HttpHeaders.CONTENT_RANGE, "bytes */" + object.size())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyValue(StorageHandler.problemBody(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, ex.getReason(), mount,
					key));
	}

	static void validators(HttpHeaders headers, StoredObject object) {
		if (object.etag() != null) {
			headers.setETag(HttpPreconditions.etag(object).formattedTag());
		}
		// RFC 9530: the digest of the whole representation, also on 206 and 304, whenever the backend
		// keeps one; Want-Repr-Digest never makes the server compute one (that needs all bytes first)
		StorageHandler.reprDigest(headers, object);
		if (object.lastModified() != null) {
			headers.setLastModified(object.lastModified());
		}
	}

	/**
	 * The single range of a {@code Range} header, or {@code null} to serve the whole object (no header,
	 * another unit, several ranges, or a malformed header: all allowed to be ignored by RFC 9110).
	 * Spring parses it; it is kept unresolved (a suffix stays a suffix) because it goes to the backend
	 * before the size is known.
	 */
	static @Nullable ByteRange range(HttpHeaders headers) {
		List<HttpRange> ranges;
		try {
			ranges = headers.getRange();
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		if (ranges.size() != 1) {
			return null;
		}
		try {
			return ByteRange.parse(ranges.get(0).toString());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/** An RFC 6266 attachment disposition: Spring's, with its ASCII fallback and the UTF-8 name. */
	static ContentDisposition contentDisposition(String filename) {
		return ContentDisposition.attachment().filename(filename, StandardCharsets.UTF_8).build();
	}

	private static MediaType mediaType(@Nullable String contentType) {
		if (contentType == null) {
			return MediaType.APPLICATION_OCTET_STREAM;
		}
		try {
			return MediaType.parseMediaType(contentType);
		}
		catch (RuntimeException ex) {
			return MediaType.APPLICATION_OCTET_STREAM;
		}
	}

}
