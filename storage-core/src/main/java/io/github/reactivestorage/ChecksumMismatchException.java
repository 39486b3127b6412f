package io.github.reactivestorage;

import org.jspecify.annotations.Nullable;

/**
 * The content of a {@code put} did not have the checksum the caller gave ({@link PutOptions#checksum()}),
 * or the backend found the bytes it received damaged. Nothing was stored: a previous version of the
 * object is intact. Over HTTP a {@code 400 Bad Request}, as S3 answers {@code BadDigest}.
 */
public class ChecksumMismatchException extends StorageException {

	private static final long serialVersionUID = 1L;

	public ChecksumMismatchException(String message, @Nullable String key, @Nullable Throwable cause) {
		super(message, key, cause);
	}

}
