package io.github.reactivestorage;

import org.jspecify.annotations.Nullable;

/**
 * A byte range cannot be satisfied by the object (HTTP 416): it starts at or past the end, or is a zero-length suffix.
 */
public class InvalidRangeException extends StorageException {

	private static final long serialVersionUID = 1L;

	public InvalidRangeException(String message) {
		super(message);
	}

	public InvalidRangeException(String message, @Nullable String key, @Nullable Throwable cause) {
		super(message, key, cause);
	}

}
