package io.github.reactivestorage;

import org.jspecify.annotations.Nullable;

/**
 * A mount is configured wrongly (missing bucket, bad credentials file, a path that is not a directory).
 */
public class StorageConfigurationException extends StorageException {

	private static final long serialVersionUID = 1L;

	public StorageConfigurationException(String message) {
		super(message);
	}

	public StorageConfigurationException(String message, @Nullable String key, @Nullable Throwable cause) {
		super(message, key, cause);
	}

}
