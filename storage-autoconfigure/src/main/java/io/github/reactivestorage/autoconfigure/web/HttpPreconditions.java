package io.github.reactivestorage.autoconfigure.web;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.ETag;
import org.springframework.http.HttpHeaders;

import io.github.reactivestorage.StoredObject;

/**
 * RFC 9110 §13.2.2 preconditions of a {@code GET} or {@code HEAD} against the version a read found,
 * and {@code If-Range} (§13.1.5).
 *
 * <p>Written here rather than taken from {@code ServerWebExchange.checkNotModified} (which
 * {@code ServerRequest.checkNotModified} wraps) because that ignores {@code If-Match} on safe methods,
 * does not match {@code If-None-Match: *} against an existing object, and acts only on a response
 * still at {@code 200}; the parsing is Spring's ({@link ETag#parse}, {@link HttpHeaders} dates).
 */
final class HttpPreconditions {

	enum Outcome {

		/** Send the representation. */
		PROCEED,

		/** {@code 304}: the client's copy is current. */
		NOT_MODIFIED,

		/** {@code 412}: the object is not the version the client made its request for. */
		FAILED

	}

	private HttpPreconditions() {
	}

	static Outcome evaluate(HttpHeaders request, StoredObject object) {
		ETag current = etag(object);
		Instant lastModified = object.lastModified();
		List<String> ifMatch = request.get(HttpHeaders.IF_MATCH);
		if (ifMatch != null && !ifMatch.isEmpty()) {
			if (!matches(ifMatch, current, true)) {
				return Outcome.FAILED;
			}
		}
		else {
			long since = date(request, HttpHeaders.IF_UNMODIFIED_SINCE);
			if (since >= 0 && lastModified != null
					&& lastModified.truncatedTo(ChronoUnit.SECONDS).isAfter(Instant.ofEpochMilli(since))) {
				return Outcome.FAILED;
			}
		}
		List<String> ifNoneMatch = request.get(HttpHeaders.IF_NONE_MATCH);
		if (ifNoneMatch != null && !ifNoneMatch.isEmpty()) {
			return matches(ifNoneMatch, current, false) ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
		}
		long since = date(request, HttpHeaders.IF_MODIFIED_SINCE);
		if (since >= 0 && lastModified != null
				&& !lastModified.truncatedTo(ChronoUnit.SECONDS).isAfter(Instant.ofEpochMilli(since))) {
			return Outcome.NOT_MODIFIED;
		}
		return Outcome.PROCEED;
	}

	/**
	 * Whether a {@code Range} may be honoured: no {@code If-Range}, or one naming the current version by
	 * its strong etag or its exact {@code Last-Modified} date. Otherwise the client's partial copy is
	 * stale and gets the whole object ({@code 200}).
	 */
	static boolean rangeApplies(HttpHeaders request, StoredObject object) {
		String ifRange = request.getFirst(HttpHeaders.IF_RANGE);
		if (ifRange == null) {
			return true;
		}
		String value = ifRange.trim();
		if (value.startsWith("\"") || value.startsWith("W/")) {
			ETag current = etag(object);
			List<ETag> tags = ETag.parse(value);
			return current != null && tags.size() == 1 && tags.get(0).compare(current, true);
		}
		long date = date(request, HttpHeaders.IF_RANGE);
		return date >= 0 && object.lastModified() != null
				&& object.lastModified().truncatedTo(ChronoUnit.SECONDS).toEpochMilli() == date;
	}

	/** The quoted strong etag the response carries, or {@code null}. */
	static @Nullable ETag etag(StoredObject object) {
		return (object.etag() != null) ? new ETag(object.etag(), false) : null;
	}

	/** Whether a list of tags matches: {@code *} matches any existing object, tags compare strongly or weakly. */
	private static boolean matches(List<String> headers, @Nullable ETag current, boolean strong) {
		for (String header : headers) {
			for (ETag tag : ETag.parse(header)) {
				if (tag.isWildcard() || (current != null && tag.compare(current, strong))) {
					return true;
				}
			}
		}
		return false;
	}

	/** The header's HTTP date in epoch milliseconds, or {@code -1} when absent or malformed (then ignored). */
	private static long date(HttpHeaders request, String name) {
		try {
			return request.getFirstDate(name);
		}
		catch (IllegalArgumentException ex) {
			return -1;
		}
	}

}
