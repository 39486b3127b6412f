package io.github.reactivestorage.filesystem;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import io.github.reactivestorage.StorageException;

/**
 * What the filesystem backend stores with an object besides its bytes: content type, etag and user
 * metadata. Encoded compactly (a version byte, then length-prefixed strings that round-trip any Java
 * string exactly) for the extended attribute or the sidecar file; the properties files of the first
 * format are still read. Checksums a put verified follow the metadata when there are any, so
 * sidecars written before they existed read as having none.
 */
record Sidecar(@Nullable String contentType, @Nullable String etag, Map<String, String> metadata,
		Map<String, String> checksums) {

	Sidecar(@Nullable String contentType, @Nullable String etag, Map<String, String> metadata) {
		this(contentType, etag, metadata, Map.of());
	}

	Sidecar {
		checksums = (checksums != null) ? checksums : Map.of();
	}

	private static final int VERSION = 1;

	private static final String CONTENT_TYPE = "content-type";

	private static final String ETAG = "etag";

	private static final String METADATA_PREFIX = "meta.";

	byte[] encode() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeByte(VERSION);
			writeNullable(out, this.contentType);
			writeNullable(out, this.etag);
			out.writeShort(this.metadata.size());
			for (Map.Entry<String, String> entry : this.metadata.entrySet()) {
				out.writeUTF(entry.getKey());
				out.writeUTF(entry.getValue());
			}
			if (!this.checksums.isEmpty()) {
				out.writeShort(this.checksums.size());
				for (Map.Entry<String, String> entry : this.checksums.entrySet()) {
					out.writeUTF(entry.getKey());
					out.writeUTF(entry.getValue());
				}
			}
		}
		catch (UTFDataFormatException ex) {
			// only a content type can be this long: metadata is limited to 2 KiB before any I/O
			throw new StorageException("The content type is too long to store (over 64 KiB)", null, ex);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return bytes.toByteArray();
	}

	/** The metadata {@link #encode()} wrote, or {@code null} for bytes of no known version. */
	static @Nullable Sidecar decode(byte[] bytes, int length) {
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, length))) {
			if (in.readUnsignedByte() != VERSION) {
				return null;
			}
			String contentType = readNullable(in);
			String etag = readNullable(in);
			int count = in.readUnsignedShort();
			Map<String, String> metadata = new TreeMap<>();
			for (int i = 0; i < count; i++) {
				metadata.put(in.readUTF(), in.readUTF());
			}
			Map<String, String> checksums = new TreeMap<>();
			if (in.available() > 0) {
				int sums = in.readUnsignedShort();
				for (int i = 0; i < sums; i++) {
					checksums.put(in.readUTF(), in.readUTF());
				}
			}
			return new Sidecar(contentType, etag, new LinkedHashMap<>(metadata), new LinkedHashMap<>(checksums));
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static void writeNullable(DataOutputStream out, @Nullable String value) throws IOException {
		out.writeBoolean(value != null);
		if (value != null) {
			out.writeUTF(value);
		}
	}

	private static @Nullable String readNullable(DataInputStream in) throws IOException {
		return in.readBoolean() ? in.readUTF() : null;
	}

	/** A sidecar of the first format: a UTF-8 properties file, or {@code null} when there is none. */
	static @Nullable Sidecar readProperties(Path file) throws IOException {
		Properties properties = new Properties();
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			properties.load(reader);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		Map<String, String> metadata = new TreeMap<>();
		for (String name : properties.stringPropertyNames()) {
			if (name.startsWith(METADATA_PREFIX)) {
				metadata.put(name.substring(METADATA_PREFIX.length()), properties.getProperty(name));
			}
		}
		return new Sidecar(properties.getProperty(CONTENT_TYPE), properties.getProperty(ETAG),
				new LinkedHashMap<>(metadata));
	}

}
