package io.github.reactivestorage;

import org.jspecify.annotations.Nullable;

/**
 * No object exists under the key (HTTP 404). Also signalled by {@code delete} of a missing key.
 */
public class ObjectNotFoundException extends StorageException {

	private static final long serialVersionUID = 1L;

	public ObjectNotFoundException(String message) {
		super(message);
	}

	public ObjectNotFoundException(String message, @Nullable String key, @Nullable Throwable cause) {
		super(message, key, cause);
	}

}
