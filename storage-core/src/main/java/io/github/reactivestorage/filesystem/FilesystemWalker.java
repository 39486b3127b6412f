package io.github.reactivestorage.filesystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.support.Listings;

/**
 * Walks the tree depth-first in key order, one sorted directory listing per level, never into the
 * reserved directory. With a '/' delimiter, directories under the prefix are emitted as prefix
 * entries without descending.
 */
final class FilesystemWalker {

	@FunctionalInterface
	interface Describer {

		StoredObject describe(String key, Path file, BasicFileAttributes attributes) throws IOException;

	}

	private final Path root;

	private final FilesystemKeys keys;

	private final Describer describer;

	private final String prefix;

	private final @Nullable String startAfter;

	private final boolean rollUpDirectories;

	private final Deque<Iterator<Entry>> stack = new ArrayDeque<>();

	FilesystemWalker(Path root, FilesystemKeys keys, Describer describer, String prefix, @Nullable String startAfter,
			boolean rollUpDirectories) {
		this.root = root;
		this.keys = keys;
		this.describer = describer;
		this.prefix = prefix;
		this.startAfter = startAfter;
		this.rollUpDirectories = rollUpDirectories;
		int slash = prefix.lastIndexOf('/');
		String startDirectory = (slash >= 0) ? prefix.substring(0, slash + 1) : "";
		this.stack.push(List.of(new Entry(startDirectory, true)).iterator());
	}

	@Nullable StoredObject next() throws IOException {
		while (!this.stack.isEmpty()) {
			Iterator<Entry> level = this.stack.peek();
			if (!level.hasNext()) {
				this.stack.pop();
				continue;
			}
			Entry entry = level.next();
			if (entry.directory) {
				String directoryKey = entry.key;
				if (!directoryKey.isEmpty() && !couldMatch(directoryKey)) {
					continue;
				}
				if (this.rollUpDirectories && !directoryKey.isEmpty() && directoryKey.startsWith(this.prefix)
						&& directoryKey.length() > this.prefix.length()) {
					if (Listings.isAfter(directoryKey, this.startAfter) && hasObjects(directoryKey)) {
						return StoredObject.ofPrefix(directoryKey);
					}
					continue;
				}
				this.stack.push(children(directoryKey).iterator());
			}
			else if (entry.key.startsWith(this.prefix) && Listings.isAfter(entry.key, this.startAfter)) {
				Path file = this.root.resolve(entry.key);
				try {
					BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
							LinkOption.NOFOLLOW_LINKS);
					if (attributes.isRegularFile()) {
						return this.describer.describe(entry.key, file, attributes);
					}
				}
				catch (NoSuchFileException ex) {
					// deleted while listing
				}
			}
		}
		return null;
	}

	/** Whether keys under the directory can start with the prefix and sort after startAfter. */
	private boolean couldMatch(String directoryKey) {
		boolean prefixOverlaps = directoryKey.startsWith(this.prefix) || this.prefix.startsWith(directoryKey);
		if (!prefixOverlaps) {
			return false;
		}
		if (this.startAfter == null) {
			return true;
		}
		// every key under the directory starts with directoryKey: skip it if all of them sort before
		return StorageKeys.compare(directoryKey, this.startAfter) > 0 || this.startAfter.startsWith(directoryKey);
	}

	private boolean hasObjects(String directoryKey) throws IOException {
		try (Stream<Path> files = Files.walk(this.root.resolve(directoryKey))) {
			return files.anyMatch(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS));
		}
		catch (NoSuchFileException ex) {
			return false;
		}
	}

	private List<Entry> children(String directoryKey) throws IOException {
		Path directory = this.root.resolve(directoryKey);
		List<Entry> entries = new ArrayList<>();
		try (Stream<Path> children = Files.list(directory)) {
			children.forEach(child -> {
				String name = child.getFileName().toString();
				if (directoryKey.isEmpty() && this.keys.isReserved(name)) {
					return;
				}
				boolean isDirectory = Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
				entries.add(new Entry(directoryKey + name + (isDirectory ? "/" : ""), isDirectory));
			});
		}
		catch (NoSuchFileException | NotDirectoryException ex) {
			return List.of();
		}
		entries.sort((a, b) -> StorageKeys.compare(a.key, b.key));
		return entries;
	}

	void close() {
		this.stack.clear();
	}

	private record Entry(String key, boolean directory) {
	}

}
