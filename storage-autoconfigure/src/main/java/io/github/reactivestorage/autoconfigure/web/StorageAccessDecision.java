package io.github.reactivestorage.autoconfigure.web;

/**
 * The answer of a {@link StorageAccessPolicy}.
 */
public enum StorageAccessDecision {

	/** The request goes ahead. */
	GRANTED,

	/** The client is known but may not do this: {@code 403}. */
	DENIED,

	/** The client must authenticate first: {@code 401}. */
	UNAUTHENTICATED

}
