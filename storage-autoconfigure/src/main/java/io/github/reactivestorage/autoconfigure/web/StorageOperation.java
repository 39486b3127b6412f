package io.github.reactivestorage.autoconfigure.web;

/**
 * What a request to the storage endpoints does, as an {@link StorageAccessPolicy} sees it.
 */
public enum StorageOperation {

	/** {@code GET} or {@code HEAD} of one object. */
	READ,

	/** {@code GET} of a listing page (the request's key is the listing prefix). */
	LIST,

	/** {@code PUT} of one object, or a multipart {@code POST} (the request's key is then its prefix). */
	WRITE,

	/** {@code DELETE} of one object. */
	DELETE

}
