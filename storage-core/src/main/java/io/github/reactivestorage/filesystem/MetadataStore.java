package io.github.reactivestorage.filesystem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

import io.github.reactivestorage.StorageKeys;

/**
 * Where an object's {@link Sidecar} lives. Where the root's file system has user extended attributes,
 * in the attribute {@code user.reactive-storage} of the object's own file, written on the staging file
 * before the one rename that commits both. Elsewhere, in a sidecar file
 * {@code .storage/sidecars/<2 hex>/<sha-256 of the key>}: a name derived from the whole key, so that no
 * key's sidecar can stand where another key needs a directory. Sidecars of the first format
 * ({@code .storage/meta/<key>.properties}) are read when an object has no newer metadata, and removed
 * when the object is overwritten or deleted.
 */
final class MetadataStore {

	static final String ATTRIBUTE = "reactive-storage";

	private static final String LEGACY_SUFFIX = ".properties";

	private static final String LEGACY_LONG_SUFFIX = ".long-properties";

	private static final int READ_BUFFER = 8 * 1024;

	private final Path reserved;

	private final FilesystemKeys keys;

	private final boolean attributes;

	/** Whether the root holds sidecars of the first format (checked at start-up). */
	private final boolean legacy;

	MetadataStore(Path root, FilesystemKeys keys, boolean attributes) {
		this.reserved = root.resolve(FilesystemStorage.RESERVED_DIRECTORY);
		this.keys = keys;
		this.attributes = attributes;
		this.legacy = Files.isDirectory(this.reserved.resolve("meta"));
	}

	/**
	 * Whether the file system of the path (or of its nearest existing ancestor) stores user extended
	 * attributes ({@code FileStore} probes the file system on Linux).
	 */
	static boolean supportsUserAttributes(Path path) {
		Path current = path;
		while (current != null && !Files.exists(current)) {
			current = current.getParent();
		}
		try {
			return current != null
					&& Files.getFileStore(current).supportsFileAttributeView(UserDefinedFileAttributeView.class);
		}
		catch (IOException | SecurityException ex) {
			return false;
		}
	}

	boolean usesAttributes() {
		return this.attributes;
	}

	/**
	 * Writes the metadata onto the staging file (attribute mode; nothing in sidecar mode), before the
	 * file is forced, so that the rename commits both.
	 */
	void writeStaged(Path staging, Sidecar sidecar) throws IOException {
		if (this.attributes) {
			view(staging).write(ATTRIBUTE, ByteBuffer.wrap(sidecar.encode()));
		}
	}

	/** The sidecar file of a key (sidecar mode only). */
	Path sidecarPath(String key) {
		String hex = HexFormat.of().formatHex(sha256(this.keys.identity(key)));
		return this.reserved.resolve("sidecars").resolve(hex.substring(0, 2)).resolve(hex);
	}

	/** Moves a staged sidecar onto the key's sidecar (sidecar mode, under the key's commit lock). */
	void commitSidecar(Path staged, String key) throws IOException {
		Path target = sidecarPath(key);
		try {
			Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (NoSuchFileException ex) {
			Files.createDirectories(target.getParent());
			Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	/** The metadata of the object's file, or {@code null} for a file placed by hand. */
	@Nullable Sidecar read(Path file, String key) throws IOException {
		Sidecar sidecar = this.attributes ? readAttribute(file) : readSidecar(key);
		if (sidecar == null && this.legacy) {
			sidecar = Sidecar.readProperties(legacyPath(key));
		}
		return sidecar;
	}

	private @Nullable Sidecar readAttribute(Path file) {
		UserDefinedFileAttributeView view = view(file);
		try {
			ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
			int length;
			try {
				length = view.read(ATTRIBUTE, buffer);
			}
			catch (IOException ex) {
				// absent (the usual case for hand-placed files), or larger than the buffer
				int size = view.size(ATTRIBUTE);
				buffer = ByteBuffer.allocate(size);
				length = view.read(ATTRIBUTE, buffer);
			}
			return Sidecar.decode(buffer.array(), length);
		}
		catch (IOException | IllegalArgumentException | UnsupportedOperationException ex) {
			// no such attribute: a file placed by hand or written by the first format
			return null;
		}
	}

	private @Nullable Sidecar readSidecar(String key) throws IOException {
		try {
			byte[] bytes = Files.readAllBytes(sidecarPath(key));
			return Sidecar.decode(bytes, bytes.length);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

	/** After the object's file was replaced: a sidecar of the first format no longer describes it. */
	void replaced(String key) throws IOException {
		if (this.legacy) {
			deleteLegacy(key);
		}
	}

	/** After the object's file was deleted. */
	void deleted(String key) throws IOException {
		if (!this.attributes) {
			Files.deleteIfExists(sidecarPath(key));
		}
		if (this.legacy) {
			deleteLegacy(key);
		}
	}

	private void deleteLegacy(String key) throws IOException {
		Path legacy = legacyPath(key);
		if (Files.deleteIfExists(legacy)) {
			Path stop = this.reserved.resolve("meta");
			for (Path current = legacy.getParent(); current != null && current.startsWith(stop)
					&& !current.equals(stop); current = current.getParent()) {
				try {
					Files.delete(current);
				}
				catch (DirectoryNotEmptyException | NoSuchFileException ex) {
					return;
				}
			}
		}
	}

	/** The first format: {@code .storage/meta/<key>.properties}, hashed when the name would be too long. */
	private Path legacyPath(String key) {
		Path meta = this.reserved.resolve("meta");
		int slash = key.lastIndexOf('/');
		String name = key.substring(slash + 1);
		Path directory = (slash >= 0) ? meta.resolve(key.substring(0, slash)) : meta;
		if (StorageKeys.utf8Length(name) + LEGACY_SUFFIX.length() <= FilesystemKeys.MAX_SEGMENT_BYTES) {
			return directory.resolve(name + LEGACY_SUFFIX);
		}
		return directory.resolve(HexFormat.of().formatHex(sha256(name)) + LEGACY_LONG_SUFFIX);
	}

	private static UserDefinedFileAttributeView view(Path file) {
		return Files.getFileAttributeView(file, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
	}

	private static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
