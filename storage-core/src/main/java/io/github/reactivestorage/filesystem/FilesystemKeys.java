package io.github.reactivestorage.filesystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.github.reactivestorage.InvalidKeyException;
import io.github.reactivestorage.StoragePermissionException;
import io.github.reactivestorage.StorageKeys;

/**
 * The key rules of one filesystem root, beyond the contract's own: the file name limit, the reserved
 * directory, and, where the root's file system needs them, case-insensitive comparison and the
 * Windows name rules. Also maps keys to paths and checks that a path stays inside the root.
 */
final class FilesystemKeys {

	static final int MAX_SEGMENT_BYTES = 255;

	private static final Set<String> DEVICE_NAMES = Set.of("CON", "PRN", "AUX", "NUL", "COM0", "COM1", "COM2",
			"COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM\u00b9", "COM\u00b2", "COM\u00b3", "LPT0",
			"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT\u00b9", "LPT\u00b2",
			"LPT\u00b3", "CONIN$", "CONOUT$");

	private static final String WINDOWS_INVALID_CHARACTERS = "\\:<>\"|?*";

	private final Path root;

	private final boolean caseInsensitive;

	private final boolean windows;

	/** The root's real path once it exists; a root cannot move while the mount is open. */
	private volatile @Nullable Path realRoot;

	FilesystemKeys(Path root, boolean caseInsensitive) {
		this.root = root;
		this.caseInsensitive = caseInsensitive;
		this.windows = "\\".equals(root.getFileSystem().getSeparator());
	}

	Path root() {
		return this.root;
	}

	boolean caseInsensitive() {
		return this.caseInsensitive;
	}

	boolean windows() {
		return this.windows;
	}

	/**
	 * Checks a normalized key, or a listing prefix whose last segment may be incomplete (so that only
	 * the segments followed by {@code /} are checked as whole names).
	 */
	void check(String keyOrPrefix, boolean isPrefix) {
		int start = 0;
		for (int i = 0; i <= keyOrPrefix.length(); i++) {
			if (i < keyOrPrefix.length() && keyOrPrefix.charAt(i) != '/') {
				if (this.windows && WINDOWS_INVALID_CHARACTERS.indexOf(keyOrPrefix.charAt(i)) >= 0) {
					throw new InvalidKeyException("Keys on this filesystem mount cannot contain any of "
							+ WINDOWS_INVALID_CHARACTERS + " (Windows file names)", keyOrPrefix, null);
				}
				continue;
			}
			String segment = keyOrPrefix.substring(start, i);
			boolean whole = i < keyOrPrefix.length() || !isPrefix;
			if (StorageKeys.utf8Length(segment) > MAX_SEGMENT_BYTES) {
				throw new InvalidKeyException("Key segment is longer than the " + MAX_SEGMENT_BYTES
						+ " UTF-8 bytes a file name may have on the filesystem backend", keyOrPrefix, null);
			}
			// a prefix naming the reserved directory, even without its '/', would list its files
			if (start == 0 && isReserved(segment)) {
				throw new InvalidKeyException("Keys starting with '" + FilesystemStorage.RESERVED_DIRECTORY
						+ "/' are reserved by the filesystem backend", keyOrPrefix, null);
			}
			if (whole && this.windows && !segment.isEmpty()) {
				checkWindowsName(segment, keyOrPrefix);
			}
			start = i + 1;
		}
	}

	private static void checkWindowsName(String segment, String key) {
		char last = segment.charAt(segment.length() - 1);
		if (last == '.' || last == ' ') {
			throw new InvalidKeyException("Key segments on this filesystem mount cannot end with a dot or a space"
					+ " (Windows file names)", key, null);
		}
		int dot = segment.indexOf('.');
		String base = ((dot >= 0) ? segment.substring(0, dot) : segment).stripTrailing();
		if (DEVICE_NAMES.contains(base.toUpperCase(Locale.ROOT))) {
			throw new InvalidKeyException("Key segments on this filesystem mount cannot be a Windows device name"
					+ " such as CON or NUL", key, null);
		}
	}

	/** Whether a name in the root is the reserved directory, compared as the root's file system does. */
	boolean isReserved(String name) {
		return this.caseInsensitive ? name.equalsIgnoreCase(FilesystemStorage.RESERVED_DIRECTORY)
				: name.equals(FilesystemStorage.RESERVED_DIRECTORY);
	}

	/** The key as the file system compares it: folded on case-insensitive roots (locks, sidecar names). */
	String identity(String key) {
		return this.caseInsensitive ? key.toLowerCase(Locale.ROOT) : key;
	}

	/** The path of a checked key under the root. */
	Path resolve(String key) {
		check(key, false);
		Path path = this.root.resolve(key).normalize();
		if (!path.startsWith(this.root) || path.equals(this.root)) {
			throw new InvalidKeyException("Key resolves outside the mount's root", key, null);
		}
		return path;
	}

	void checkInsideRoot(Path path, String key) {
		if (!isInsideRoot(path)) {
			throw new StoragePermissionException("Key leads outside the mount's root through a symbolic link", key,
					null);
		}
	}

	/**
	 * Whether the existing path resolves inside the root. Keys are normalized, so the path lies under
	 * the root by name and only a symbolic link below the root can lead out of it: each segment below
	 * the root is checked without following links (one {@code lstat} each), and the real path is
	 * resolved only when one is a link. The root itself may be a link.
	 */
	boolean isInsideRoot(Path path) {
		if (!path.startsWith(this.root)) {
			return false;
		}
		Path current = this.root;
		for (Path segment : this.root.relativize(path)) {
			if (segment.toString().isEmpty()) {
				return Files.isDirectory(this.root);
			}
			current = current.resolve(segment);
			try {
				if (Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
					.isSymbolicLink()) {
					return path.toRealPath().startsWith(realRoot());
				}
			}
			catch (IOException ex) {
				return false;
			}
		}
		return true;
	}

	Path realRoot() throws IOException {
		Path real = this.realRoot;
		if (real == null) {
			real = this.root.toRealPath();
			this.realRoot = real;
		}
		return real;
	}

	/**
	 * Whether the file system of the path (or of its nearest existing ancestor) compares names without
	 * case: an existing name with letters is looked up with its case swapped. No file is written.
	 */
	static boolean detectCaseInsensitive(Path path) {
		Path current = path;
		while (current != null) {
			Path name = current.getFileName();
			if (name != null && Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
				String text = name.toString();
				String swapped = swapCase(text);
				if (!swapped.equals(text)) {
					Path variant = current.resolveSibling(swapped);
					try {
						return Files.exists(variant, LinkOption.NOFOLLOW_LINKS) && Files.isSameFile(current, variant);
					}
					catch (IOException ex) {
						return false;
					}
				}
			}
			current = current.getParent();
		}
		return false;
	}

	private static String swapCase(String text) {
		StringBuilder swapped = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			swapped.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
		}
		return swapped.toString();
	}

}
