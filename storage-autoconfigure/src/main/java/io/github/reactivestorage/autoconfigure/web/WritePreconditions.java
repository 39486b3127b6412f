package io.github.reactivestorage.autoconfigure.web;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.ETag;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;

import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StoredObject;

/**
 * The preconditions of a {@code PUT} or {@code DELETE} ({@code If-Match}, RFC 9110 §13.1.1, and
 * {@code If-Unmodified-Since}, §13.1.4, evaluated in the order of §13.2.2) turned into the storage's
 * own conditions, so that on a mount with {@link StorageCapability#CONDITIONAL_WRITE} the check and the
 * write are one atomic step: a condition met by the object {@code info} found becomes an
 * {@code ifMatch} of that object's etag, which fails (412) if anything replaced it in between. Without
 * the capability the check is made with {@code info} and the write is unconditional (not atomic).
 * A failed condition is a {@link PreconditionFailedException} (412), signalled before the body is read.
 */
final class WritePreconditions {

	/** No precondition. */
	static final Condition NONE = new Condition(null, false);

	private WritePreconditions() {
	}

	/**
	 * What the write must be conditional on.
	 * @param ifMatch the etag the object must still have, or {@code null}
	 * @param createOnly whether the object must still be missing (an {@code If-Unmodified-Since} met by a
	 * missing object on a mount with create-only puts)
	 */
	record Condition(@Nullable String ifMatch, boolean createOnly) {
	}

	/** The condition of the request's preconditions, or a {@link PreconditionFailedException}. */
	static Mono<Condition> resolve(ServerRequest request, ReactiveStorage storage, String key) {
		if (!storage.supports(StorageCapability.WRITE)) {
			// the write itself refuses, before any lookup
			return Mono.just(NONE);
		}
		HttpHeaders headers = request.headers().asHttpHeaders();
		List<String> ifMatch = headers.getOrEmpty(HttpHeaders.IF_MATCH);
		if (!ifMatch.isEmpty()) {
			return ifMatch(ifMatch, storage, key);
		}
		// an absent or malformed date is -1: ignored, as RFC 9110 says
		long since = headers.getIfUnmodifiedSince();
		if (since >= 0) {
			return ifUnmodifiedSince(since, storage, key);
		}
		return Mono.just(NONE);
	}

	private static Mono<Condition> ifMatch(List<String> values, ReactiveStorage storage, String key) {
		boolean any = false;
		List<String> strong = new ArrayList<>();
		for (String value : values) {
			for (ETag tag : ETag.parse(value)) {
				if (tag.isWildcard()) {
					any = true;
				}
				// If-Match compares strongly: a weak tag (and an empty one) matches nothing
				else if (!tag.weak() && !tag.tag().isEmpty()) {
					strong.add(tag.tag());
				}
			}
		}
		boolean atomic = storage.supports(StorageCapability.CONDITIONAL_WRITE);
		if (!any && strong.size() == 1 && atomic) {
			// the backend compares, atomically, and fails a missing object too
			return Mono.just(new Condition(strong.get(0), false));
		}
		if (!any && strong.isEmpty()) {
			return Mono.error(failed(key));
		}
		boolean wildcard = any;
		return current(storage, key).flatMap(found -> {
			StoredObject object = found.object();
			if (object == null || (!wildcard && (object.etag() == null || !strong.contains(object.etag())))) {
				return Mono.error(failed(key));
			}
			return Mono.just(swap(object, atomic));
		});
	}

	private static Mono<Condition> ifUnmodifiedSince(long since, ReactiveStorage storage, String key) {
		return current(storage, key).flatMap(found -> {
			StoredObject object = found.object();
			if (object == null) {
				// no modification date to compare: the field is ignored, and the object must stay missing
				// where the mount can promise that
				return Mono.just(storage.supports(StorageCapability.CONDITIONAL_PUT) ? new Condition(null, true) : NONE);
			}
			if (object.lastModified() == null) {
				return Mono.just(NONE);
			}
			// HTTP dates have whole seconds
			if (object.lastModified().truncatedTo(ChronoUnit.SECONDS).toEpochMilli() > since) {
				return Mono.error(failed(key));
			}
			return Mono.just(swap(object, storage.supports(StorageCapability.CONDITIONAL_WRITE)));
		});
	}

	/** The write of the very version the condition was checked against, where the mount can promise it. */
	private static Condition swap(StoredObject object, boolean atomic) {
		return (atomic && object.etag() != null) ? new Condition(object.etag(), false) : NONE;
	}

	/** The current object, if there is one. */
	private static Mono<Found> current(ReactiveStorage storage, String key) {
		return storage.info(key)
			.map(Found::new)
			.onErrorResume(ObjectNotFoundException.class, ex -> Mono.just(new Found(null)));
	}

	private static PreconditionFailedException failed(String key) {
		return new PreconditionFailedException("The object does not meet the request's preconditions", key, null);
	}

	/** What {@code info} found: the object, or {@code null} for none. */
	private record Found(@Nullable StoredObject object) {
	}

}
