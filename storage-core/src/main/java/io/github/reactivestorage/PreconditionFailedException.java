package io.github.reactivestorage;

import org.jspecify.annotations.Nullable;

/**
 * A conditional operation found the object in another state than the condition asked for (HTTP 412):
 * its etag did not match, or (as {@link ObjectAlreadyExistsException}) a create-only put found an
 * object under the key. Nothing was changed.
 */
public class PreconditionFailedException extends StorageException {

	private static final long serialVersionUID = 1L;

	public PreconditionFailedException(String message) {
		super(message);
	}

	public PreconditionFailedException(String message, @Nullable String key, @Nullable Throwable cause) {
		super(message, key, cause);
	}

}
