package io.github.reactivestorage;

import org.jspecify.annotations.Nullable;

/**
 * The operation is not allowed: a write to a read-only mount (checked before any I/O) or a backend that denies access (HTTP 401/403).
 */
public class StoragePermissionException extends StorageException {

	private static final long serialVersionUID = 1L;

	public StoragePermissionException(String message) {
		super(message);
	}

	public StoragePermissionException(String message, @Nullable String key, @Nullable Throwable cause) {
		super(message, key, cause);
	}

}
