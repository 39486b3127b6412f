package io.github.reactivestorage;

import org.jspecify.annotations.Nullable;

/**
 * The backend lacks a capability the operation needs (see {@link StorageCapability}), such as signing URLs or listing.
 */
public class UnsupportedStorageOperationException extends StorageException {

	private static final long serialVersionUID = 1L;

	public UnsupportedStorageOperationException(String message) {
		super(message);
	}

	public UnsupportedStorageOperationException(String message, @Nullable String key, @Nullable Throwable cause) {
		super(message, key, cause);
	}

}
