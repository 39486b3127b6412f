package io.github.reactivestorage.sample.h2;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.github.reactivestorage.AbstractReactiveStorage;
import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.ObjectAlreadyExistsException;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.support.Listings;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * A backend of your own: objects in a relational database (H2 here) through plain JDBC. JDBC
 * blocks, so every statement runs on a bounded {@link Scheduler}, never on the caller's thread.
 * <p>
 * An object is a row of {@code storage_object} pointing at a blob, and a blob is a sequence of
 * {@code storage_chunk} rows, one per buffer of the upload: an upload is written chunk by chunk as
 * it arrives (memory stays constant), then the object row is switched to the new blob in one
 * transaction, so readers see the old content or the new one, never a mix.
 */
public class H2Storage extends AbstractReactiveStorage {

	private static final Set<StorageCapability> CAPABILITIES = EnumSet.of(StorageCapability.WRITE,
			StorageCapability.LIST, StorageCapability.DELIMITER_LIST, StorageCapability.RANGE_READ,
			StorageCapability.CONDITIONAL_PUT, StorageCapability.USER_METADATA);

	private static final int PAGE = 256;

	private static final String SELECT_OBJECT = "SELECT object_key, size, content_type, etag, last_modified, "
			+ "metadata, blob_id FROM storage_object ";

	private final DataSource dataSource;

	private final Scheduler scheduler;

	private final @Nullable AutoCloseable onClose;

	/**
	 * Create a mount on the given database, creating its two tables when missing (shared by every
	 * mount of the database: rows carry the mount name).
	 * @param name the mount name
	 * @param dataSource the database
	 * @param bufferFactory the factory of the buffers {@code get} emits
	 * @param scheduler the bounded scheduler the JDBC calls run on
	 * @param onClose closed with the mount (a connection pool, the scheduler), or {@code null}
	 */
	public H2Storage(String name, DataSource dataSource, DataBufferFactory bufferFactory, Scheduler scheduler,
			@Nullable AutoCloseable onClose) {
		super(name, bufferFactory);
		this.dataSource = dataSource;
		this.scheduler = scheduler;
		this.onClose = onClose;
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE IF NOT EXISTS storage_object (mount VARCHAR(255) NOT NULL, "
					+ "object_key VARCHAR(1024) NOT NULL, sort_key VARBINARY(1024) NOT NULL, blob_id UUID NOT NULL, "
					+ "size BIGINT NOT NULL, content_type VARCHAR(1000), etag VARCHAR(64) NOT NULL, "
					+ "last_modified BIGINT NOT NULL, metadata CHARACTER LARGE OBJECT, PRIMARY KEY (mount, object_key))");
			statement.execute("CREATE INDEX IF NOT EXISTS storage_object_order ON storage_object (mount, sort_key)");
			statement.execute("CREATE TABLE IF NOT EXISTS storage_chunk (blob_id UUID NOT NULL, seq INT NOT NULL, "
					+ "start_offset BIGINT NOT NULL, data VARBINARY NOT NULL, PRIMARY KEY (blob_id, seq))");
		}
		catch (SQLException ex) {
			throw new StorageException("Cannot create the tables of mount '" + name + "'", ex);
		}
	}

	@Override
	public Set<StorageCapability> capabilities() {
		return CAPABILITIES;
	}

	@Override
	protected Mono<StoredObject> doPut(String key, Publisher<DataBuffer> body, PutOptions options) {
		return Mono.defer(() -> {
			UUID blob = UUID.randomUUID();
			MessageDigest digest = md5();
			long[] size = new long[1];
			int[] seq = new int[1];
			AtomicBoolean committed = new AtomicBoolean();
			// Copy each buffer out and release it at once: the body's buffers never wait in a queue.
			Flux<byte[]> chunks = Flux.from(body).map(buffer -> {
				try {
					byte[] bytes = new byte[buffer.readableByteCount()];
					buffer.read(bytes);
					return bytes;
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			});
			return chunks.filter(bytes -> bytes.length > 0)
				.concatMap(bytes -> jdbc(connection -> {
					digest.update(bytes);
					try (PreparedStatement insert = connection.prepareStatement(
							"INSERT INTO storage_chunk (blob_id, seq, start_offset, data) VALUES (?, ?, ?, ?)")) {
						insert.setObject(1, blob);
						insert.setInt(2, seq[0]++);
						insert.setLong(3, size[0]);
						insert.setBytes(4, bytes);
						insert.executeUpdate();
					}
					size[0] += bytes.length;
					return bytes.length;
				}))
				.then(jdbc(connection -> {
					if (options.contentLength() >= 0 && options.contentLength() != size[0]) {
						throw new StorageException("Body has " + size[0] + " bytes but the content length given was "
								+ options.contentLength(), key, null);
					}
					StoredObject stored = commit(connection, key, blob, size[0],
							HexFormat.of().formatHex(digest.digest()), options);
					committed.set(true);
					return stored;
				}))
				.doFinally(signal -> {
					if (!committed.get()) {
						deleteBlob(blob).subscribe(null, ex -> {
						});
					}
				});
		});
	}

	private StoredObject commit(Connection connection, String key, UUID blob, long size, String etag,
			PutOptions options) throws SQLException {
		Instant now = Instant.now();
		connection.setAutoCommit(false);
		try {
			UUID previous = null;
			if (!options.createOnly()) {
				try (PreparedStatement select = connection
					.prepareStatement("SELECT blob_id FROM storage_object WHERE mount = ? AND object_key = ? FOR UPDATE")) {
					select.setString(1, name());
					select.setString(2, key);
					try (ResultSet rows = select.executeQuery()) {
						previous = rows.next() ? rows.getObject(1, UUID.class) : null;
					}
				}
			}
			String sql = options.createOnly()
					? "INSERT INTO storage_object (mount, object_key, sort_key, blob_id, size, content_type, etag, "
							+ "last_modified, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
					: "MERGE INTO storage_object (mount, object_key, sort_key, blob_id, size, content_type, etag, "
							+ "last_modified, metadata) KEY (mount, object_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
			try (PreparedStatement write = connection.prepareStatement(sql)) {
				write.setString(1, name());
				write.setString(2, key);
				write.setBytes(3, key.getBytes(StandardCharsets.UTF_8));
				write.setObject(4, blob);
				write.setLong(5, size);
				write.setString(6, options.contentType());
				write.setString(7, etag);
				write.setLong(8, now.toEpochMilli());
				write.setString(9, encode(options.metadata()));
				write.executeUpdate();
			}
			catch (SQLException ex) {
				if ("23505".equals(ex.getSQLState())) {
					throw new ObjectAlreadyExistsException("An object already exists", key, null);
				}
				throw ex;
			}
			if (previous != null) {
				deleteChunks(connection, previous);
			}
			connection.commit();
		}
		catch (SQLException | RuntimeException ex) {
			connection.rollback();
			throw ex;
		}
		finally {
			connection.setAutoCommit(true);
		}
		return StoredObject.builder(key)
			.size(size)
			.contentType(options.contentType())
			.etag(etag)
			.lastModified(Instant.ofEpochMilli(now.toEpochMilli()))
			.metadata(options.metadata())
			.build();
	}

	@Override
	protected Flux<DataBuffer> doGet(String key, @Nullable ByteRange range) {
		return row(key).flatMapMany(row -> {
			long first = 0;
			long last = row.object.size() - 1;
			if (range != null) {
				long[] resolved = range.resolve(row.object.size());
				first = resolved[0];
				last = resolved[1];
			}
			if (last < first) {
				return Flux.empty();
			}
			long from = first;
			long to = last;
			return firstChunk(row.blob, from).flatMapMany(seq -> Flux.range(seq, Integer.MAX_VALUE - seq)
				.concatMap(index -> chunk(row.blob, index, from, to))
				.takeWhile(slice -> slice.length > 0)
				.map(slice -> bufferFactory().wrap(slice)));
		});
	}

	private Mono<Integer> firstChunk(UUID blob, long offset) {
		return jdbc(connection -> {
			try (PreparedStatement select = connection.prepareStatement(
					"SELECT MAX(seq) FROM storage_chunk WHERE blob_id = ? AND start_offset <= ?")) {
				select.setObject(1, blob);
				select.setLong(2, offset);
				try (ResultSet rows = select.executeQuery()) {
					rows.next();
					return rows.getInt(1);
				}
			}
		});
	}

	/** The part of chunk {@code seq} inside {@code [from, to]}; empty past the range or the blob. */
	private Mono<byte[]> chunk(UUID blob, int seq, long from, long to) {
		return jdbc(connection -> {
			try (PreparedStatement select = connection
				.prepareStatement("SELECT start_offset, data FROM storage_chunk WHERE blob_id = ? AND seq = ?")) {
				select.setObject(1, blob);
				select.setInt(2, seq);
				try (ResultSet rows = select.executeQuery()) {
					if (!rows.next()) {
						return new byte[0];
					}
					long start = rows.getLong(1);
					if (start > to) {
						return new byte[0];
					}
					byte[] data = rows.getBytes(2);
					int begin = (int) Math.max(0, from - start);
					int end = (int) Math.min(data.length, to - start + 1);
					byte[] slice = new byte[end - begin];
					System.arraycopy(data, begin, slice, 0, slice.length);
					return slice;
				}
			}
		});
	}

	@Override
	protected Mono<StoredObject> doInfo(String key) {
		return row(key).map(row -> row.object);
	}

	@Override
	protected Mono<Boolean> doExists(String key) {
		return row(key).map(row -> true).onErrorReturn(ObjectNotFoundException.class, false);
	}

	@Override
	protected Mono<Void> doDelete(String key) {
		return jdbc(connection -> {
			connection.setAutoCommit(false);
			try {
				UUID blob;
				try (PreparedStatement select = connection
					.prepareStatement("SELECT blob_id FROM storage_object WHERE mount = ? AND object_key = ? FOR UPDATE")) {
					select.setString(1, name());
					select.setString(2, key);
					try (ResultSet rows = select.executeQuery()) {
						if (!rows.next()) {
							throw notFound(key);
						}
						blob = rows.getObject(1, UUID.class);
					}
				}
				try (PreparedStatement delete = connection
					.prepareStatement("DELETE FROM storage_object WHERE mount = ? AND object_key = ?")) {
					delete.setString(1, name());
					delete.setString(2, key);
					delete.executeUpdate();
				}
				deleteChunks(connection, blob);
				connection.commit();
				return Boolean.TRUE;
			}
			catch (SQLException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				connection.setAutoCommit(true);
			}
		}).then();
	}

	@Override
	protected Flux<StoredObject> doList(ListOptions options) {
		return Flux.defer(() -> {
			String prefix = options.prefix();
			String from = prefix;
			String startAfter = options.startAfter();
			if (startAfter != null && StorageKeys.compare(startAfter, from) > 0) {
				from = startAfter;
			}
			Flux<StoredObject> sorted = page(from.getBytes(StandardCharsets.UTF_8), true)
				.takeWhile(object -> object.key().startsWith(prefix));
			return Listings.apply(sorted, options);
		});
	}

	/** Rows in key order from {@code from}, a page of {@value #PAGE} at a time, as demand asks. */
	private Flux<StoredObject> page(byte[] from, boolean inclusive) {
		return jdbc(connection -> {
			try (PreparedStatement select = connection.prepareStatement(SELECT_OBJECT + "WHERE mount = ? AND sort_key "
					+ (inclusive ? ">=" : ">") + " ? ORDER BY sort_key LIMIT " + PAGE)) {
				select.setString(1, name());
				select.setBytes(2, from);
				List<StoredObject> objects = new ArrayList<>();
				try (ResultSet rows = select.executeQuery()) {
					while (rows.next()) {
						objects.add(toRow(rows).object);
					}
				}
				return objects;
			}
		}).flatMapMany(objects -> {
			Flux<StoredObject> current = Flux.fromIterable(objects);
			if (objects.size() < PAGE) {
				return current;
			}
			byte[] next = objects.get(objects.size() - 1).key().getBytes(StandardCharsets.UTF_8);
			return current.concatWith(Flux.defer(() -> page(next, false)));
		});
	}

	@Override
	protected Mono<URI> doUrl(String key, UrlOptions options) {
		return Mono.error(new UnsupportedStorageOperationException("An H2 mount has no URLs", key, null));
	}

	@Override
	public void close() {
		if (this.onClose != null) {
			try {
				this.onClose.close();
			}
			catch (Exception ex) {
				throw new StorageException("Cannot close mount '" + name() + "'", ex);
			}
		}
	}

	private Mono<Row> row(String key) {
		return jdbc(connection -> {
			try (PreparedStatement select = connection
				.prepareStatement(SELECT_OBJECT + "WHERE mount = ? AND object_key = ?")) {
				select.setString(1, name());
				select.setString(2, key);
				try (ResultSet rows = select.executeQuery()) {
					if (!rows.next()) {
						throw notFound(key);
					}
					return toRow(rows);
				}
			}
		});
	}

	private static Row toRow(ResultSet rows) throws SQLException {
		StoredObject object = StoredObject.builder(rows.getString(1))
			.size(rows.getLong(2))
			.contentType(rows.getString(3))
			.etag(rows.getString(4))
			.lastModified(Instant.ofEpochMilli(rows.getLong(5)))
			.metadata(decode(rows.getString(6)))
			.build();
		return new Row(object, rows.getObject(7, UUID.class));
	}

	private Mono<Void> deleteBlob(UUID blob) {
		return jdbc(connection -> {
			deleteChunks(connection, blob);
			return Boolean.TRUE;
		}).then();
	}

	private static void deleteChunks(Connection connection, UUID blob) throws SQLException {
		try (PreparedStatement delete = connection.prepareStatement("DELETE FROM storage_chunk WHERE blob_id = ?")) {
			delete.setObject(1, blob);
			delete.executeUpdate();
		}
	}

	/** Run a JDBC call on the bounded scheduler; SQL errors become {@link StorageException}s. */
	private <T> Mono<T> jdbc(JdbcCall<T> call) {
		return Mono.fromCallable(() -> {
			try (Connection connection = this.dataSource.getConnection()) {
				return call.apply(connection);
			}
			catch (SQLException ex) {
				throw new StorageException("Database error on mount '" + name() + "'", ex);
			}
		}).subscribeOn(this.scheduler);
	}

	private static String encode(Map<String, String> metadata) {
		StringBuilder encoded = new StringBuilder();
		metadata.forEach((name, value) -> {
			if (encoded.length() > 0) {
				encoded.append('&');
			}
			encoded.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
				.append('=')
				.append(URLEncoder.encode(value, StandardCharsets.UTF_8));
		});
		return encoded.toString();
	}

	private static Map<String, String> decode(@Nullable String encoded) {
		Map<String, String> metadata = new LinkedHashMap<>();
		if (encoded == null || encoded.isEmpty()) {
			return metadata;
		}
		for (String pair : encoded.split("&")) {
			int equals = pair.indexOf('=');
			metadata.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
		}
		return metadata;
	}

	private static MessageDigest md5() {
		try {
			return MessageDigest.getInstance("MD5");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static ObjectNotFoundException notFound(String key) {
		return new ObjectNotFoundException("No object under the key", key, null);
	}

	@FunctionalInterface
	private interface JdbcCall<T> {

		T apply(Connection connection) throws SQLException;

	}

	private record Row(StoredObject object, UUID blob) {
	}

}
