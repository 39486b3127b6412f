package io.github.reactivestorage.autoconfigure.web;

import java.security.Principal;

import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * A request to the storage endpoints, as an {@link StorageAccessPolicy} is asked about it: before any
 * I/O, after the mount and the key were parsed and checked against the key rules. A prefix is the
 * request's own (percent-decoded once), checked against the same rules and in their normal form (a
 * leading {@code /} dropped): the mount lists under it, and every key a multipart upload writes
 * starts with it.
 *
 * @param exchange the exchange (headers, attributes, the principal)
 * @param mount the exposed mount the request addresses
 * @param operation what the request does
 * @param key the object's key for {@link StorageOperation#READ}, {@link StorageOperation#WRITE} of one
 * object and {@link StorageOperation#DELETE}; the prefix (possibly empty) for
 * {@link StorageOperation#LIST} and multipart uploads
 * @param prefix whether {@code key} is a prefix (a listing or a multipart upload) rather than one key
 */
public record StorageAccessRequest(ServerWebExchange exchange, String mount, StorageOperation operation, String key,
		boolean prefix) {

	/**
	 * The authenticated principal of the exchange (set by Spring Security, for example); empty for an
	 * anonymous request.
	 * @return the principal, on subscription
	 */
	public Mono<Principal> principal() {
		return this.exchange.getPrincipal();
	}

}
