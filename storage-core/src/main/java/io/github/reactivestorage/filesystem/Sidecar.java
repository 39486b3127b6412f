package io.github.reactivestorage.filesystem;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * What the filesystem backend stores beside an object: content type, etag and user metadata, as a
 * UTF-8 properties file (so any Unicode value round-trips).
 */
record Sidecar(@Nullable String contentType, @Nullable String etag, Map<String, String> metadata) {

	private static final String CONTENT_TYPE = "content-type";

	private static final String ETAG = "etag";

	private static final String METADATA_PREFIX = "meta.";

	static @Nullable Sidecar read(Path file) throws IOException {
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

	/** The properties file's content, as {@link Properties#store(Writer, String)} writes it in UTF-8. */
	byte[] toBytes() throws IOException {
		Properties properties = new Properties();
		if (this.contentType != null) {
			properties.setProperty(CONTENT_TYPE, this.contentType);
		}
		if (this.etag != null) {
			properties.setProperty(ETAG, this.etag);
		}
		this.metadata.forEach((key, value) -> properties.setProperty(METADATA_PREFIX + key, value));
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
		try (Writer writer = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
			properties.store(writer, null);
		}
		return bytes.toByteArray();
	}

}
