package io.github.reactivestorage;

import org.jspecify.annotations.Nullable;

/**
 * User metadata the backend cannot store: a key it cannot represent, or more than 2 KiB in total. Signalled before any I/O.
 */
public class InvalidMetadataException extends StorageException {

	private static final long serialVersionUID = 1L;

	public InvalidMetadataException(String message) {
		super(message);
	}

	public InvalidMetadataException(String message, @Nullable String key, @Nullable Throwable cause) {
		super(message, key, cause);
	}

}
