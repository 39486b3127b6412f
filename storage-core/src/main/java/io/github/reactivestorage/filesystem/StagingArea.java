package io.github.reactivestorage.filesystem;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.github.reactivestorage.KeyConflictException;

/**
 * Staging files and the directories a put needs: where staged content waits for its rename, which
 * directories a put created (so that a failed put removes them again), what is forced to disk, and
 * the start-up sweep of staging files that a crashed process left behind.
 *
 * <p>Staging files are named {@code put-<pid>-<random>.tmp}: the sweep deletes those of processes that
 * no longer run, never those of a live process sharing the root.
 */
final class StagingArea {

	private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE = PosixFilePermissions
		.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final long PID = ProcessHandle.current().pid();

	/** Staging files of the first format carry no process id: swept once this old. */
	private static final Duration UNNAMED_STALE_AFTER = Duration.ofHours(1);

	private final Path root;

	private final Path directory;

	private final boolean fsync;

	private final boolean syncDirectories;

	private final boolean posix;

	StagingArea(Path root, boolean fsync) {
		this.root = root;
		this.directory = root.resolve(FilesystemStorage.RESERVED_DIRECTORY).resolve("tmp");
		this.fsync = fsync;
		this.posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
		this.syncDirectories = fsync && canSyncDirectory(root);
	}

	boolean fsync() {
		return this.fsync;
	}

	/** Whether directories can be forced (Linux and macOS can; Windows and some in-memory file systems cannot). */
	boolean syncsDirectories() {
		return this.syncDirectories;
	}

	private static boolean canSyncDirectory(Path path) {
		Path current = path;
		while (current != null && !Files.isDirectory(current)) {
			current = current.getParent();
		}
		if (current == null) {
			return false;
		}
		try (FileChannel channel = FileChannel.open(current, StandardOpenOption.READ)) {
			channel.force(true);
			return true;
		}
		catch (IOException | UnsupportedOperationException ex) {
			return false;
		}
	}

	/** The staging directory, created if it is not there (one system call when it is). */
	Path directory() throws IOException {
		if (!Files.isDirectory(this.directory)) {
			createDirectories(this.directory);
		}
		return this.directory;
	}

	/** A fresh name for a staging file (not created). */
	Path newName() throws IOException {
		return directory().resolve("put-" + PID + "-" + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
	}

	/** Permissions as {@code Files.createTempFile} gives them (owner only), where the file system has them. */
	FileAttribute<?>[] privateFile() {
		return this.posix ? new FileAttribute<?>[] { PRIVATE_FILE } : new FileAttribute<?>[0];
	}

	/**
	 * Makes the directories the key's file needs. Returns the topmost directory this call created,
	 * or {@code null} when all existed; {@link #abandon} removes them again if the put fails.
	 */
	@Nullable Path prepare(String key, Path target, FilesystemKeys keys) throws IOException {
		Path parent = target.getParent();
		if (Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
			keys.checkInsideRoot(parent, key);
			return null;
		}
		if (!Files.isDirectory(this.root)) {
			createDirectories(this.root);
		}
		List<Path> missing = new ArrayList<>();
		Path current = parent;
		while (!current.equals(this.root) && !Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
			missing.add(current);
			current = current.getParent();
		}
		keys.checkInsideRoot(current, key);
		if (!Files.isDirectory(current)) {
			throw conflict(key, null);
		}
		Path created = null;
		Path last = null;
		for (int i = missing.size() - 1; i >= 0; i--) {
			Path directory = missing.get(i);
			try {
				Files.createDirectory(directory);
				if (created == null) {
					created = directory;
				}
				last = directory;
				syncDirectory(directory.getParent());
			}
			catch (FileAlreadyExistsException ex) {
				if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
					abandon(created, last);
					throw conflict(key, ex);
				}
			}
			catch (NotDirectoryException | NoSuchFileException ex) {
				abandon(created, last);
				throw conflict(key, ex);
			}
		}
		keys.checkInsideRoot(parent, key);
		return created;
	}

	private static KeyConflictException conflict(String key, @Nullable Exception cause) {
		return new KeyConflictException("Cannot store an object at '" + key
				+ "': an object exists where a directory is needed (the filesystem backend cannot hold 'a/b' beside 'a')",
				key, cause);
	}

	/**
	 * Removes the empty directories from {@code from} down to {@code created} (the topmost one a failed
	 * put created). A directory another put uses meanwhile is not empty and stays.
	 */
	static void abandon(@Nullable Path created, @Nullable Path from) {
		if (created == null || from == null) {
			return;
		}
		for (Path current = from; current != null && current.startsWith(created); current = current.getParent()) {
			try {
				Files.delete(current);
			}
			catch (DirectoryNotEmptyException | NoSuchFileException ex) {
				if (ex instanceof DirectoryNotEmptyException) {
					return;
				}
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void createDirectories(Path directory) throws IOException {
		Path existing = directory;
		while (existing != null && !Files.exists(existing)) {
			existing = existing.getParent();
		}
		Files.createDirectories(directory);
		if (this.syncDirectories && existing != null) {
			for (Path current = directory; current != null && !current.equals(existing); current = current
				.getParent()) {
				syncDirectory(current.getParent());
			}
		}
	}

	/** Forces a directory's entries (a rename, a new file or directory in it) to disk, when durable. */
	void syncDirectory(Path directory) throws IOException {
		if (!this.syncDirectories) {
			return;
		}
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

	/**
	 * Deletes staging files that no live process writes: those of a process id that no longer runs,
	 * and unnamed ones (the first format's) older than an hour. Returns how many it deleted.
	 */
	int sweep() {
		if (!Files.isDirectory(this.directory)) {
			return 0;
		}
		int deleted = 0;
		Instant unnamedLimit = Instant.now().minus(UNNAMED_STALE_AFTER);
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory)) {
			for (Path file : files) {
				if (isStale(file, unnamedLimit)) {
					try {
						Files.deleteIfExists(file);
						deleted++;
					}
					catch (IOException ex) {
						// another process sweeps at the same time, or the file is not ours to delete
					}
				}
			}
		}
		catch (IOException ex) {
			return deleted;
		}
		return deleted;
	}

	private static boolean isStale(Path file, Instant unnamedLimit) {
		String name = file.getFileName().toString();
		String[] parts = name.split("-", 3);
		if (parts.length == 3 && parts[0].equals("put") && parts[2].endsWith(".tmp")) {
			try {
				long pid = Long.parseLong(parts[1]);
				return pid != PID && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
			}
			catch (NumberFormatException ex) {
				// not one of ours: fall through to the age rule
			}
		}
		try {
			FileTime modified = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
			return modified.toInstant().isBefore(unnamedLimit);
		}
		catch (IOException ex) {
			return false;
		}
	}

}
