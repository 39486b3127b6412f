package io.github.reactivestorage.autoconfigure.web;

import io.github.reactivestorage.StorageException;

/**
 * An upload whose body paused for longer than {@code storage.web.idle-timeout}: {@code 408}. The
 * upload was cancelled, so nothing of it is stored.
 */
final class RequestIdleTimeoutException extends StorageException {

	private static final long serialVersionUID = 1L;

	RequestIdleTimeoutException(String message) {
		super(message);
	}

}
