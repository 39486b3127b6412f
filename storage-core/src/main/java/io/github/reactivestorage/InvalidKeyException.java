package io.github.reactivestorage;

import org.jspecify.annotations.Nullable;

/**
 * A key or prefix breaks the key rules (see {@link StorageKeys}); signalled before any I/O and before a put's body is subscribed.
 */
public class InvalidKeyException extends StorageException {

	private static final long serialVersionUID = 1L;

	public InvalidKeyException(String message) {
		super(message);
	}

	public InvalidKeyException(String message, @Nullable String key, @Nullable Throwable cause) {
		super(message, key, cause);
	}

}
