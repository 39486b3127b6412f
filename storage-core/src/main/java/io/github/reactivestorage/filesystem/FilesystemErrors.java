package io.github.reactivestorage.filesystem;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import io.github.reactivestorage.ObjectAlreadyExistsException;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StoragePermissionException;
import io.github.reactivestorage.StorageQuotaExceededException;

/**
 * Maps the file system's exceptions to the storage ones. A full disk is recognised by asking the
 * file store how much space is left once a write failed, not by the message (which the operating
 * system words in the user's language, and Java reports as a plain {@link IOException}).
 */
final class FilesystemErrors {

	/** Less usable space than this after a failed write means the write failed for want of space. */
	static final long FULL_BELOW = 1024 * 1024;

	private FilesystemErrors() {
	}

	static StorageException translate(IOException ex, @Nullable String key) {
		if (ex instanceof NoSuchFileException) {
			return new ObjectNotFoundException("No object under the key", key, ex);
		}
		if (ex instanceof AccessDeniedException) {
			return new StoragePermissionException("The file system denied access", key, ex);
		}
		if (ex instanceof FileAlreadyExistsException) {
			return new ObjectAlreadyExistsException("An object already exists", key, ex);
		}
		if (ex instanceof FileSystemException) {
			return new StorageException("File system error: " + ex.getClass().getSimpleName(), key, ex);
		}
		return new StorageException("I/O error: " + ex.getClass().getSimpleName(), key, ex);
	}

	/**
	 * For a write that failed: {@link StorageQuotaExceededException} if the file store of the path is
	 * (nearly) full, else as {@link #translate}.
	 */
	static StorageException translateWrite(IOException ex, @Nullable String key, Path onStore) {
		if (isFull(ex, onStore)) {
			return new StorageQuotaExceededException("The file system is full", key, ex);
		}
		return translate(ex, key);
	}

	private static boolean isFull(IOException ex, Path onStore) {
		if (ex instanceof NoSuchFileException || ex instanceof AccessDeniedException
				|| ex instanceof FileAlreadyExistsException) {
			return false;
		}
		try {
			return Files.getFileStore(onStore).getUsableSpace() < FULL_BELOW;
		}
		catch (IOException | SecurityException | UnsupportedOperationException failed) {
			return false;
		}
	}

}
