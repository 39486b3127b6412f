package io.github.reactivestorage;

import org.jspecify.annotations.Nullable;

/**
 * The backend could not be reached or failed transiently (timeouts, connection errors, HTTP 5xx). Safe to retry.
 */
public class StorageConnectionException extends StorageException {

	private static final long serialVersionUID = 1L;

	public StorageConnectionException(String message) {
		super(message);
	}

	public StorageConnectionException(String message, @Nullable String key, @Nullable Throwable cause) {
		super(message, key, cause);
	}

}
