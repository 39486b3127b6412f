package io.github.reactivestorage;

import org.jspecify.annotations.Nullable;

/**
 * A create-only put ({@link PutOptions#ifNoneMatch()}) found an object under the key (HTTP 412/409).
 */
public class ObjectAlreadyExistsException extends PreconditionFailedException {

	private static final long serialVersionUID = 1L;

	public ObjectAlreadyExistsException(String message) {
		super(message);
	}

	public ObjectAlreadyExistsException(String message, @Nullable String key, @Nullable Throwable cause) {
		super(message, key, cause);
	}

}
