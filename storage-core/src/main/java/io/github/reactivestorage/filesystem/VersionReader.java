package io.github.reactivestorage.filesystem;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import io.github.reactivestorage.AbstractReactiveStorage;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.StoragePermissionException;
import io.github.reactivestorage.StoredObject;

/**
 * Finds one version of an object: its file's attributes and metadata, and, for reads, the open file,
 * all describing the same file even while writers replace it.
 *
 * <p>Java cannot ask an open channel which file it is, so the file's attributes (file key, size,
 * modification time) are read before the open and again after the metadata: if they agree, the path
 * named the same file the whole time (a put always renames a new file into place, never rewrites one)
 * and the open channel, the metadata and the size belong together; otherwise it tries again. The last
 * name is opened without following links: a link inside the root is followed by opening its checked
 * real path instead, and the path is checked again after the open.
 */
final class VersionReader {

	private static final int ATTEMPTS = 16;

	private final FilesystemKeys keys;

	private final MetadataStore metadata;

	private final CommitLocks locks;

	VersionReader(FilesystemKeys keys, MetadataStore metadata, CommitLocks locks) {
		this.keys = keys;
		this.metadata = metadata;
		this.locks = locks;
	}

	/** One version; {@code open}: with its file open for reading (the caller closes it). */
	Version find(String key, boolean open) throws IOException {
		Path path = this.keys.resolve(key);
		// where metadata lives in another file, writers move it and the content under the key's lock
		ReentrantLock lock = this.metadata.usesAttributes() ? null : this.locks.lockFor(key);
		for (int attempt = 1;; attempt++) {
			if (lock != null) {
				lock.lock();
			}
			try {
				Version version = attempt(key, path, open, attempt == ATTEMPTS);
				if (version != null) {
					return version;
				}
			}
			finally {
				if (lock != null) {
					lock.unlock();
				}
			}
		}
	}

	private @Nullable Version attempt(String key, Path path, boolean open, boolean last) throws IOException {
		Path file = path;
		BasicFileAttributes before = attributes(file, key);
		if (before.isSymbolicLink() || !this.keys.isInsideRoot(file)) {
			file = realFileInsideRoot(path, key);
			before = attributes(file, key);
		}
		if (!before.isRegularFile()) {
			throw notFound(key);
		}
		FileChannel channel = null;
		if (open) {
			try {
				channel = openBeneath(this.keys.root(), file);
			}
			catch (LinkOnTheWay ex) {
				if (file != path) {
					throw outside(key);
				}
				// a link inside the root (allowed if it stays inside): open its checked real path instead
				file = realFileInsideRoot(path, key);
				before = attributes(file, key);
				try {
					channel = openBeneath(this.keys.realRoot(), file);
				}
				catch (LinkOnTheWay again) {
					throw outside(key);
				}
			}
		}
		try {
			Sidecar sidecar = this.metadata.read(file, key);
			BasicFileAttributes after = attributes(file, key);
			if (channel != null && file == path && !this.keys.isInsideRoot(path)) {
				throw outside(key);
			}
			boolean same = sameFile(before, after) && (channel == null || channel.size() == after.size());
			if (!same && !last) {
				close(channel);
				return null;
			}
			return new Version(describe(key, after, sidecar), channel);
		}
		catch (IOException | RuntimeException ex) {
			close(channel);
			throw ex;
		}
	}

	/**
	 * Opens the file by walking down from the root directory one name at a time, none of them
	 * followed if it is a link ({@code openat} with {@code O_NOFOLLOW} where the file system offers a
	 * {@link SecureDirectoryStream}), so that a link swapped in after the path was checked cannot
	 * redirect the open. Elsewhere the last name is opened without following a link.
	 * @throws LinkOnTheWay if a name on the way is a link (or not a directory)
	 */
	static FileChannel openBeneath(Path top, Path file) throws IOException {
		DirectoryStream<Path> stream = Files.newDirectoryStream(top);
		if (!(stream instanceof SecureDirectoryStream<Path> secure)) {
			stream.close();
			return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
		}
		Path relative = top.relativize(file);
		Deque<SecureDirectoryStream<Path>> opened = new ArrayDeque<>();
		opened.push(secure);
		try {
			SecureDirectoryStream<Path> current = secure;
			for (int i = 0; i < relative.getNameCount() - 1; i++) {
				current = current.newDirectoryStream(relative.getName(i), LinkOption.NOFOLLOW_LINKS);
				opened.push(current);
			}
			SeekableByteChannel channel = current.newByteChannel(relative.getFileName(),
					Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
			if (channel instanceof FileChannel fileChannel) {
				return fileChannel;
			}
			channel.close();
			return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException | AccessDeniedException ex) {
			throw ex;
		}
		catch (FileSystemException ex) {
			// ELOOP or ENOTDIR: a name on the way is a link
			throw new LinkOnTheWay(ex);
		}
		finally {
			while (!opened.isEmpty()) {
				opened.pop().close();
			}
		}
	}

	/** A name on the way to the file is a symbolic link. */
	static final class LinkOnTheWay extends IOException {

		LinkOnTheWay(IOException cause) {
			super(cause);
		}

	}

	private Path realFileInsideRoot(Path path, String key) throws IOException {
		Path real;
		try {
			real = path.toRealPath();
		}
		catch (NoSuchFileException ex) {
			throw notFound(key);
		}
		if (!this.keys.isInsideRoot(path)) {
			throw outside(key);
		}
		return real;
	}

	private static BasicFileAttributes attributes(Path file, String key) throws IOException {
		try {
			return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			throw notFound(key);
		}
		catch (FileSystemException ex) {
			// ENOTDIR, in whatever words the system uses: an ancestor is an object's file, so nothing is
			// stored under it (the key can be no object while the other one exists)
			if (!(ex instanceof AccessDeniedException) && underAFile(file)) {
				throw notFound(key);
			}
			throw ex;
		}
	}

	private static boolean underAFile(Path file) {
		for (Path parent = file.getParent(); parent != null; parent = parent.getParent()) {
			if (Files.isRegularFile(parent, LinkOption.NOFOLLOW_LINKS)) {
				return true;
			}
		}
		return false;
	}

	private static boolean sameFile(BasicFileAttributes before, BasicFileAttributes after) {
		return Objects.equals(before.fileKey(), after.fileKey()) && before.size() == after.size()
				&& before.lastModifiedTime().equals(after.lastModifiedTime());
	}

	/** The object a file and its metadata describe; a file placed by hand gets a guessed type and etag. */
	static StoredObject describe(String key, BasicFileAttributes attributes, @Nullable Sidecar sidecar) {
		String contentType = (sidecar != null && sidecar.contentType() != null) ? sidecar.contentType()
				: AbstractReactiveStorage.guessContentType(key);
		String etag = (sidecar != null && sidecar.etag() != null) ? sidecar.etag() : fallbackEtag(attributes);
		return StoredObject.builder(key)
			.size(attributes.size())
			.contentType(contentType)
			.etag(etag)
			.lastModified(attributes.lastModifiedTime().toInstant())
			.metadata((sidecar != null) ? sidecar.metadata() : null)
			.checksums((sidecar != null) ? sidecar.checksums() : null)
			.build();
	}

	/** For files placed by hand (no metadata): size, modification time in nanoseconds and the file key. */
	private static String fallbackEtag(BasicFileAttributes attributes) {
		Object fileKey = attributes.fileKey();
		return Long.toHexString(attributes.size()) + "-"
				+ Long.toHexString(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS))
				+ ((fileKey != null) ? "-" + Integer.toHexString(fileKey.hashCode()) : "");
	}

	private static ObjectNotFoundException notFound(String key) {
		return new ObjectNotFoundException("No object under the key", key, null);
	}

	private static StoragePermissionException outside(String key) {
		return new StoragePermissionException("Key leads outside the mount's root through a symbolic link", key,
				null);
	}

	static void close(@Nullable FileChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// nothing more to do
			}
		}
	}

	/** A version found: what it is and, when asked for, its open file. */
	record Version(StoredObject object, @Nullable FileChannel channel) {
	}

}
