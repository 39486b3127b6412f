package io.github.reactivestorage;

import org.jspecify.annotations.Nullable;

/**
 * A size limit was exceeded: a memory mount's {@code max-size}, an upload limit. Nothing was stored.
 */
public class StorageQuotaExceededException extends StorageException {

	private static final long serialVersionUID = 1L;

	public StorageQuotaExceededException(String message) {
		super(message);
	}

	public StorageQuotaExceededException(String message, @Nullable String key, @Nullable Throwable cause) {
		super(message, key, cause);
	}

}
