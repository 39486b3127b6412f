package io.github.reactivestorage;

import org.jspecify.annotations.Nullable;

/**
 * The key cannot coexist with another object of the mount (HTTP 409): on a filesystem mount, {@code a}
 * beside {@code a/b}, in either order, since one would have to be a file and a directory at once.
 * Nothing exists under the key itself, so this is not an {@link ObjectAlreadyExistsException}.
 */
public class KeyConflictException extends StorageException {

	private static final long serialVersionUID = 1L;

	public KeyConflictException(String message, @Nullable String key, @Nullable Throwable cause) {
		super(message, key, cause);
	}

}
