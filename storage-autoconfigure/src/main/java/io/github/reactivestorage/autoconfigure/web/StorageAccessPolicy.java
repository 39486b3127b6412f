package io.github.reactivestorage.autoconfigure.web;

import reactor.core.publisher.Mono;

/**
 * Decides whether a request to the storage endpoints may go ahead. Declare a bean of this type and the
 * endpoints ask it about every request, after parsing the mount and key and before any I/O (no backend
 * call, no body read); {@link StorageAccessDecision#DENIED} answers {@code 403},
 * {@link StorageAccessDecision#UNAUTHENTICATED} {@code 401}, in both cases as a problem detail.
 * Without a bean every request is granted (the endpoints are still limited to the exposed mounts and
 * {@code storage.web.read-only}).
 *
 * <p>An empty {@code Mono} is a denial, so a policy that forgets a case fails closed; an error
 * answers {@code 500} and is logged. Spring Security's {@code SecurityWebFilterChain} runs before the
 * endpoints and may reject requests earlier; this hook sees its principal through
 * {@link StorageAccessRequest#principal()}.
 */
@FunctionalInterface
public interface StorageAccessPolicy {

	/**
	 * Decide about one request. Called on the request's thread: do not block; a lookup that needs I/O
	 * must be reactive.
	 * @param request the request
	 * @return the decision, emitted once
	 */
	Mono<StorageAccessDecision> check(StorageAccessRequest request);

	/**
	 * The policy used when the application declares none: every request is granted.
	 * @return a policy granting everything
	 */
	static StorageAccessPolicy permitAll() {
		return request -> Mono.just(StorageAccessDecision.GRANTED);
	}

}
