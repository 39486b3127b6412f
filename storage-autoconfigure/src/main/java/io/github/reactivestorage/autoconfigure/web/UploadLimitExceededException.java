package io.github.reactivestorage.autoconfigure.web;

import io.github.reactivestorage.StorageQuotaExceededException;

/**
 * An upload over the endpoint's own limits ({@code storage.web.max-upload-size}, {@code max-parts}):
 * {@code 413}. A mount that is full (a memory {@code max-size}, a full disk) is the plain
 * {@link StorageQuotaExceededException}: {@code 507}.
 */
final class UploadLimitExceededException extends StorageQuotaExceededException {

	private static final long serialVersionUID = 1L;

	UploadLimitExceededException(String message) {
		super(message);
	}

}
