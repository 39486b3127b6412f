package io.github.reactivestorage.filesystem;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.web.util.UriUtils;

import io.github.reactivestorage.AbstractReactiveStorage;
import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.InvalidKeyException;
import io.github.reactivestorage.KeyConflictException;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.ObjectAlreadyExistsException;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.StoragePermissionException;
import io.github.reactivestorage.StorageQuotaExceededException;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.support.ContentHash;
import io.github.reactivestorage.support.DiscardedBuffers;
import io.github.reactivestorage.support.Listings;

/**
 * Objects as files under a root directory: key {@code a/b.txt} is the file {@code <root>/a/b.txt}.
 *
 * <ul>
 * <li>Writes stream to a staging file under {@code <root>/.storage/tmp} and are moved onto the key
 * atomically; a body that errors or is cancelled leaves no staging file and the old version intact.
 * Create-only puts link the staged file onto the key, which fails atomically if it exists.</li>
 * <li>Content type, etag (a 128-bit hash of the content, {@link ContentHash}, computed while
 * writing) and user metadata live in a sidecar properties file under {@code <root>/.storage/meta};
 * the sidecar is written before the content is moved into place, so for an instant a reader can see
 * the new metadata with the old content. Files placed by hand have no sidecar: their content type
 * is guessed and their etag is derived from size and modification time.</li>
 * <li>The first key segment {@code .storage} is reserved; a segment longer than 255 UTF-8 bytes is an
 * {@link InvalidKeyException}; a key that needs an existing object to be a directory ({@code a/b}
 * beside {@code a}), or an object where a directory is ({@code a} beside {@code a/b}), is a
 * {@link StorageException}. No key reaches outside the root: symbolic links leading out are
 * refused.</li>
 * <li>The root is created on first write; a missing root lists as empty. Every blocking file call runs
 * on the given scheduler (bounded elastic by default), never on the subscriber's thread.</li>
 * </ul>
 */
public class FilesystemStorage extends AbstractReactiveStorage {

	/** The reserved directory under the root for staging files and sidecars. */
	public static final String RESERVED_DIRECTORY = ".storage";

	private static final int MAX_SEGMENT_BYTES = 255;

	private static final int CHUNK_SIZE = 64 * 1024;

	private static final String SIDECAR_SUFFIX = ".properties";

	private static final String LONG_SIDECAR_SUFFIX = ".long-properties";

	/** How many body buffers a put requests ahead of the file writes. */
	private static final int PREFETCH = 256;

	/** Puts declaring at most this length are collected and written in one trip to the scheduler. */
	private static final int SMALL_PUT = 64 * 1024;

	private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE = PosixFilePermissions
		.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Set<StorageCapability> CAPABILITIES = EnumSet.of(StorageCapability.WRITE,
			StorageCapability.LIST, StorageCapability.DELIMITER_LIST, StorageCapability.RANGE_READ,
			StorageCapability.CONDITIONAL_PUT, StorageCapability.SERVER_SIDE_COPY, StorageCapability.URL_GET,
			StorageCapability.USER_METADATA, StorageCapability.CHECKSUMS);

	private final Path root;

	private final @Nullable String baseUrl;

	private final Scheduler scheduler;

	private final boolean posix;

	/** The root's real path once it exists; a root cannot move while the mount is open. */
	private volatile @Nullable Path realRoot;

	/** Serialises the sidecar and content moves of writers to one key within this instance. */
	private final ReentrantLock[] commitLocks = new ReentrantLock[64];

	public FilesystemStorage(String name, Path root) {
		this(name, root, null, DefaultDataBufferFactory.sharedInstance, Schedulers.boundedElastic());
	}

	/**
	 * @param name the mount name
	 * @param root the root directory (need not exist yet)
	 * @param baseUrl the public URL the root is served under, for {@link #url}; {@code null} for
	 * {@code file:} URIs
	 * @param bufferFactory the factory of the buffers {@code get} emits
	 * @param scheduler where blocking file calls run
	 */
	public FilesystemStorage(String name, Path root, @Nullable String baseUrl, DataBufferFactory bufferFactory,
			Scheduler scheduler) {
		super(name, bufferFactory);
		this.root = root.toAbsolutePath().normalize();
		this.baseUrl = (baseUrl == null || baseUrl.isBlank()) ? null
				: (baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
		this.scheduler = scheduler;
		this.posix = this.root.getFileSystem().supportedFileAttributeViews().contains("posix");
		for (int i = 0; i < this.commitLocks.length; i++) {
			this.commitLocks[i] = new ReentrantLock();
		}
	}

	/** The root directory. */
	public Path getRoot() {
		return this.root;
	}

	@Override
	public Set<StorageCapability> capabilities() {
		return CAPABILITIES;
	}

	// ---- put ----

	@Override
	protected Mono<StoredObject> doPut(String key, Publisher<DataBuffer> body, PutOptions options) {
		long length = options.contentLength();
		if (length >= 0 && length <= SMALL_PUT) {
			return collect(key, body, (int) length, options)
				.flatMap(content -> blocking(() -> putSmall(key, content, options)))
				.onErrorMap(IOException.class, ex -> translate(ex, key));
		}
		return Mono.usingWhen(blocking(() -> stage(key)),
				staging -> write(body, staging.channel).flatMap(written -> blocking(() -> {
					closeQuietly(staging.channel);
					checkLength(key, options, written.size);
					return commit(key, staging, written, options);
				})), this::discard, (staging, error) -> discard(staging), this::discard)
			.onErrorMap(IOException.class, ex -> translate(ex, key));
	}

	/**
	 * The body of a put whose declared length is at most {@link #SMALL_PUT}, copied into one array
	 * and each buffer released as it arrives. A body of another length is counted to its end and
	 * answered with the same error as a streamed put.
	 */
	private static Mono<byte[]> collect(String key, Publisher<DataBuffer> body, int length, PutOptions options) {
		return Mono.defer(() -> {
			byte[] content = new byte[length];
			long[] received = new long[1];
			// each buffer is released here and travels on only as its size (see write for why)
			return Flux.from(body).map(buffer -> {
				try {
					int count = buffer.readableByteCount();
					if (received[0] + count <= length) {
						buffer.read(content, (int) received[0], count);
					}
					received[0] += count;
					return count;
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			}).then(Mono.fromCallable(() -> {
				checkLength(key, options, received[0]);
				return content;
			}));
		});
	}

	/**
	 * A small put in one trip to the scheduler: check the target, write a new staging file, commit.
	 * A streamed put takes three trips and a file-channel thread per write, which is most of the
	 * time of a small object.
	 */
	private StoredObject putSmall(String key, byte[] content, PutOptions options) throws IOException {
		Path target = prepareWrite(key);
		Path staging = writeNewFile(stagingDirectory(), "put-", content);
		Staging staged = new Staging(target, staging, null);
		try {
			return commit(key, staged, new Written(content.length, ContentHash.hex(content)), options);
		}
		finally {
			if (!staged.committed) {
				Files.deleteIfExists(staging);
			}
		}
	}

	/** Checks the target and opens a new staging file for writing, in one trip to the scheduler. */
	private Staging stage(String key) throws IOException {
		Path target = prepareWrite(key);
		Path directory = stagingDirectory();
		Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
		while (true) {
			Path staging = directory.resolve("put-" + Long.toUnsignedString(RANDOM.nextLong()) + ".tmp");
			try {
				return new Staging(target, staging,
						AsynchronousFileChannel.open(staging, options, null, privateFile()));
			}
			catch (FileAlreadyExistsException ex) {
				// another staging file has this name: draw again
			}
		}
	}

	private Path prepareWrite(String key) throws IOException {
		Path target = resolve(key);
		if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
			throw new KeyConflictException("Cannot store an object at '" + key
					+ "': other keys use it as a directory (the filesystem backend cannot hold 'a' beside 'a/b')",
					key, null);
		}
		directory(this.root);
		Path parent = target.getParent();
		Path existing = deepestExisting(parent);
		checkInsideRoot(existing, key);
		if (!Files.isDirectory(existing)) {
			// an object two or more levels up: createDirectories fails with a bare FileSystemException
			throw new KeyConflictException("Cannot store an object at '" + key
					+ "': an object exists where a directory is needed (the filesystem backend cannot hold 'a/b' beside 'a')",
					key, null);
		}
		if (existing.equals(parent) && Files.isDirectory(parent)) {
			// the usual case, a directory in use already: nothing to create, nothing more to check
			return target;
		}
		try {
			Files.createDirectories(parent);
		}
		catch (FileAlreadyExistsException | NotDirectoryException ex) {
			throw new KeyConflictException("Cannot store an object at '" + key
					+ "': an object exists where a directory is needed (the filesystem backend cannot hold 'a/b' beside 'a')",
					key, ex);
		}
		checkInsideRoot(parent, key);
		return target;
	}

	/** The nearest ancestor of the directory that exists, so that no directory is created through a link. */
	private Path deepestExisting(Path directory) {
		Path current = directory;
		while (current != null && !current.equals(this.root) && !Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
			current = current.getParent();
		}
		return (current != null && current.startsWith(this.root)) ? current : this.root;
	}

	private Path createStagingFile() throws IOException {
		return Files.createTempFile(stagingDirectory(), "put-", ".tmp");
	}

	/** The directory, created if it is not there: one system call when it is (createDirectories makes two). */
	private static Path directory(Path directory) throws IOException {
		return Files.isDirectory(directory) ? directory : Files.createDirectories(directory);
	}

	private Path stagingDirectory() throws IOException {
		return directory(this.root.resolve(RESERVED_DIRECTORY).resolve("tmp"));
	}

	/**
	 * Writes the body to the open staging channel. The body is requested ahead ({@link #PREFETCH}
	 * buffers) so that the network keeps reading while a write is in flight; requests are not moved
	 * to another thread, as the channel was opened on the scheduler already.
	 */
	private Mono<Written> write(Publisher<DataBuffer> body, AsynchronousFileChannel channel) {
		ContentHash.Hasher hash = ContentHash.hasher();
		long[] size = new long[1];
		Flux<DataBuffer> counted = Flux.from(body).limitRate(PREFETCH).doOnNext(buffer -> {
			try (DataBuffer.ByteBufferIterator iterator = buffer.readableByteBuffers()) {
				while (iterator.hasNext()) {
					ByteBuffer byteBuffer = iterator.next();
					size[0] += byteBuffer.remaining();
					hash.update(byteBuffer);
				}
			}
		})
			// Buffers waiting in the prefetch queue when the write is cancelled or fails are released
			// by this hook, which replaces (rather than joins) any hook downstream: a joined hook would
			// release them twice.
			.contextWrite(DiscardedBuffers.releasedOnce());
		// Each written buffer is released here and travels on only as its release result: then()
		// discards what it ignores, and a discard hook in the subscriber's context (Spring WebFlux adds
		// one when it encodes a controller's Mono) would release a DataBuffer a second time.
		return DataBufferUtils.write(counted, channel)
			.map(DataBufferUtils::release)
			.then(Mono.fromSupplier(() -> new Written(size[0], hash.hex())));
	}

	private StoredObject commit(String key, Staging staged, Written written, PutOptions options)
			throws IOException {
		Path target = staged.target;
		Path staging = staged.path;
		Sidecar sidecar = new Sidecar(options.contentType(), written.etag, options.metadata());
		Path sidecarPath = sidecarPath(key);
		directory(sidecarPath.getParent());
		Path stagedSidecar = writeStagedSidecar(staging.getParent(), sidecar);
		boolean sidecarMoved = false;
		ReentrantLock lock = lockFor(key);
		lock.lock();
		try {
			if (options.createOnly()) {
				try {
					Files.createLink(target, staging);
				}
				catch (FileAlreadyExistsException ex) {
					throw new ObjectAlreadyExistsException("An object already exists", key, ex);
				}
				Files.move(stagedSidecar, sidecarPath, StandardCopyOption.ATOMIC_MOVE,
						StandardCopyOption.REPLACE_EXISTING);
				sidecarMoved = true;
				Files.deleteIfExists(staging);
			}
			else {
				Files.move(stagedSidecar, sidecarPath, StandardCopyOption.ATOMIC_MOVE,
						StandardCopyOption.REPLACE_EXISTING);
				sidecarMoved = true;
				Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			staged.committed = true;
			return toStoredObject(key, Files.readAttributes(target, BasicFileAttributes.class), sidecar);
		}
		finally {
			lock.unlock();
			if (!sidecarMoved) {
				Files.deleteIfExists(stagedSidecar);
			}
		}
	}

	/** The sidecar written to a new file beside the staging files, with one open. */
	private Path writeStagedSidecar(Path directory, Sidecar sidecar) throws IOException {
		return writeNewFile(directory, "meta-", sidecar.toBytes());
	}

	/** A new file {@code <prefix><random>.tmp} in the directory holding the content, written with one open. */
	private Path writeNewFile(Path directory, String prefix, byte[] content) throws IOException {
		while (true) {
			Path file = directory.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong()) + ".tmp");
			try (SeekableByteChannel channel = Files.newByteChannel(file,
					EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), privateFile())) {
				ByteBuffer buffer = ByteBuffer.wrap(content);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				return file;
			}
			catch (FileAlreadyExistsException ex) {
				// another staging file has this name: draw again
			}
			catch (IOException ex) {
				Files.deleteIfExists(file);
				throw ex;
			}
		}
	}

	/** Permissions as {@code Files.createTempFile} gives them (owner only), where the file system has them. */
	private FileAttribute<?>[] privateFile() {
		return this.posix ? new FileAttribute<?>[] { PRIVATE_FILE } : new FileAttribute<?>[0];
	}

	private static void checkLength(String key, PutOptions options, long size) {
		if (options.contentLength() >= 0 && options.contentLength() != size) {
			throw new StorageException(
					"Body has " + size + " bytes but the content length given was " + options.contentLength(), key,
					null);
		}
	}

	// ---- get, info, exists ----

	@Override
	protected Flux<DataBuffer> doGet(String key, @Nullable ByteRange range) {
		return blocking(() -> {
			Path file = resolveExisting(key);
			long size = Files.size(file);
			long first = 0;
			long count = size;
			if (range != null) {
				long[] resolved = range.resolve(size);
				first = resolved[0];
				count = resolved[1] - resolved[0] + 1;
			}
			return new long[] { first, count };
		}).onErrorMap(IOException.class, ex -> translate(ex, key)).flatMapMany(span -> {
			Path file = resolve(key);
			Flux<DataBuffer> content = DataBufferUtils.readAsynchronousFileChannel(
					() -> AsynchronousFileChannel.open(file, StandardOpenOption.READ), span[0], bufferFactory(),
					CHUNK_SIZE);
			return DataBufferUtils.takeUntilByteCount(content, span[1]).onErrorMap(IOException.class,
					ex -> translate(ex, key));
		});
	}

	/** One read on the scheduler instead of a chain of buffers: for small objects, as the contract says. */
	@Override
	protected Mono<byte[]> doGetBytes(String key) {
		return blocking(() -> Files.readAllBytes(resolveExisting(key))).onErrorMap(IOException.class,
				ex -> translate(ex, key));
	}

	@Override
	protected Mono<StoredObject> doInfo(String key) {
		return blocking(() -> {
			Path file = resolveExisting(key);
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
			return toStoredObject(key, attributes, Sidecar.read(sidecarPath(key)));
		}).onErrorMap(IOException.class, ex -> translate(ex, key));
	}

	@Override
	protected Mono<Boolean> doExists(String key) {
		return blocking(() -> {
			Path file = resolve(key);
			return Files.isRegularFile(file) && isInsideRoot(file);
		});
	}

	// ---- delete ----

	@Override
	protected Mono<Void> doDelete(String key) {
		return blocking(() -> {
			Path file = resolveExisting(key);
			Files.delete(file);
			Path sidecar = sidecarPath(key);
			Files.deleteIfExists(sidecar);
			pruneEmptyDirectories(file.getParent(), this.root);
			pruneEmptyDirectories(sidecar.getParent(), this.root.resolve(RESERVED_DIRECTORY).resolve("meta"));
			return Boolean.TRUE;
		}).onErrorMap(IOException.class, ex -> translate(ex, key)).then();
	}

	private static void pruneEmptyDirectories(Path directory, Path stop) {
		Path current = directory;
		while (current != null && current.startsWith(stop) && !current.equals(stop)) {
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
			current = current.getParent();
		}
	}

	// ---- list ----

	@Override
	protected Flux<StoredObject> doList(ListOptions options) {
		String prefix = options.prefix();
		boolean rollUpDirectories = "/".equals(options.delimiter());
		Flux<StoredObject> sorted = Flux.defer(() -> {
			Walker walker = new Walker(prefix, options.startAfter(), rollUpDirectories);
			return Flux.<StoredObject>generate(sink -> {
				try {
					StoredObject next = walker.next();
					if (next == null) {
						sink.complete();
					}
					else {
						sink.next(next);
					}
				}
				catch (IOException ex) {
					sink.error(translate(ex, null));
				}
			}).doFinally(signal -> walker.close());
		}).subscribeOn(this.scheduler);
		return Listings.apply(sorted, options);
	}

	/**
	 * Walks the tree depth-first in key order, one sorted directory listing per level. With a '/'
	 * delimiter, directories under the prefix are emitted as prefix entries without descending.
	 */
	private final class Walker {

		private final String prefix;

		private final @Nullable String startAfter;

		private final boolean rollUpDirectories;

		private final Deque<Iterator<Entry>> stack = new ArrayDeque<>();

		Walker(String prefix, @Nullable String startAfter, boolean rollUpDirectories) {
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
					Path file = FilesystemStorage.this.root.resolve(entry.key);
					try {
						BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
								LinkOption.NOFOLLOW_LINKS);
						if (attributes.isRegularFile()) {
							return toStoredObject(entry.key, attributes, Sidecar.read(sidecarPath(entry.key)));
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
			try (Stream<Path> files = Files.walk(FilesystemStorage.this.root.resolve(directoryKey))) {
				return files.anyMatch(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS));
			}
			catch (NoSuchFileException ex) {
				return false;
			}
		}

		private List<Entry> children(String directoryKey) throws IOException {
			Path directory = FilesystemStorage.this.root.resolve(directoryKey);
			List<Entry> entries = new ArrayList<>();
			try (Stream<Path> children = Files.list(directory)) {
				children.forEach(child -> {
					String name = child.getFileName().toString();
					if (directoryKey.isEmpty() && name.equals(RESERVED_DIRECTORY)) {
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

	}

	private record Entry(String key, boolean directory) {
	}

	// ---- url, copy ----

	@Override
	protected Mono<URI> doUrl(String key, UrlOptions options) {
		return Mono.fromCallable(() -> {
			if (this.baseUrl == null) {
				return resolve(key).toUri();
			}
			StringBuilder url = new StringBuilder(this.baseUrl);
			String[] segments = key.split("/", -1);
			for (int i = 0; i < segments.length; i++) {
				url.append((i > 0) ? "/" : "").append(UriUtils.encodePathSegment(segments[i], StandardCharsets.UTF_8));
			}
			return URI.create(url.toString());
		}).subscribeOn(this.scheduler);
	}

	@Override
	protected Mono<StoredObject> doCopy(String source, String destination) {
		return blocking(() -> {
			Path from = resolveExisting(source);
			Path target = prepareWrite(destination);
			Path staging = createStagingFile();
			try {
				Files.copy(from, staging, StandardCopyOption.REPLACE_EXISTING);
				Sidecar sidecar = Sidecar.read(sidecarPath(source));
				String etag = (sidecar != null && sidecar.etag() != null) ? sidecar.etag() : null;
				PutOptions options = PutOptions.builder()
					.contentType((sidecar != null && sidecar.contentType() != null) ? sidecar.contentType()
							: guessContentType(source))
					.metadata((sidecar != null) ? sidecar.metadata() : null)
					.build();
				Written written = (etag != null) ? new Written(Files.size(staging), etag)
						: new Written(Files.size(staging), contentHash(staging));
				return commit(destination, new Staging(target, staging, null), written, options);
			}
			finally {
				Files.deleteIfExists(staging);
			}
		}).onErrorMap(IOException.class, ex -> translate(ex, source));
	}

	// ---- helpers ----

	/**
	 * The reserved directory is no key's first segment, and no prefix or start-after value may name it
	 * (a partial first segment such as {@code .stor} is fine: the walker never enters the directory).
	 * A prefix segment longer than a file name matches nothing: refused as in keys, rather than
	 * failing in the file system.
	 */
	@Override
	protected void checkReservedNames(String normalizedKeyOrPrefix, boolean isPrefix) {
		int slash = normalizedKeyOrPrefix.indexOf('/');
		String first = (slash >= 0) ? normalizedKeyOrPrefix.substring(0, slash) : normalizedKeyOrPrefix;
		if (first.equals(RESERVED_DIRECTORY)) {
			throw new InvalidKeyException((isPrefix ? "Prefixes" : "Keys") + " starting with '" + RESERVED_DIRECTORY
					+ "' are reserved by the filesystem backend", normalizedKeyOrPrefix, null);
		}
		if (isPrefix) {
			for (String segment : normalizedKeyOrPrefix.split("/", -1)) {
				if (StorageKeys.utf8Length(segment) > MAX_SEGMENT_BYTES) {
					throw new InvalidKeyException("Prefix segment is longer than the " + MAX_SEGMENT_BYTES
							+ " UTF-8 bytes a file name may have on the filesystem backend", normalizedKeyOrPrefix, null);
				}
			}
		}
	}


	private Path resolve(String key) {
		int start = 0;
		for (int i = 0; i <= key.length(); i++) {
			if (i == key.length() || key.charAt(i) == '/') {
				String segment = key.substring(start, i);
				if (StorageKeys.utf8Length(segment) > MAX_SEGMENT_BYTES) {
					throw new InvalidKeyException("Key segment is longer than the " + MAX_SEGMENT_BYTES
							+ " UTF-8 bytes a file name may have on the filesystem backend", key, null);
				}
				if (start == 0 && segment.equals(RESERVED_DIRECTORY)) {
					throw new InvalidKeyException(
							"Keys starting with '" + RESERVED_DIRECTORY + "/' are reserved by the filesystem backend",
							key, null);
				}
				start = i + 1;
			}
		}
		Path path = this.root.resolve(key).normalize();
		if (!path.startsWith(this.root) || path.equals(this.root)) {
			throw new InvalidKeyException("Key resolves outside the mount's root", key, null);
		}
		return path;
	}

	private Path resolveExisting(String key) throws IOException {
		Path file = resolve(key);
		if (!Files.isRegularFile(file)) {
			throw new ObjectNotFoundException("No object under the key", key, null);
		}
		checkInsideRoot(file, key);
		return file;
	}

	private void checkInsideRoot(Path path, String key) throws IOException {
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
	private boolean isInsideRoot(Path path) {
		if (!path.startsWith(this.root)) {
			return false;
		}
		Path current = this.root;
		for (Path segment : this.root.relativize(path)) {
			if (segment.toString().isEmpty()) {
				// the root itself
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

	private Path realRoot() throws IOException {
		Path real = this.realRoot;
		if (real == null) {
			real = this.root.toRealPath();
			this.realRoot = real;
		}
		return real;
	}

	/**
	 * The sidecar of a key: {@code .storage/meta/<key>.properties}, or, when the last segment plus the
	 * suffix would exceed the file name limit, {@code <sha-256 of the segment>.long-properties} in the
	 * same directory (no ordinary sidecar name ends that way, so the two cannot collide).
	 */
	private Path sidecarPath(String key) {
		Path meta = this.root.resolve(RESERVED_DIRECTORY).resolve("meta");
		int slash = key.lastIndexOf('/');
		String name = key.substring(slash + 1);
		Path directory = (slash >= 0) ? meta.resolve(key.substring(0, slash)) : meta;
		if (StorageKeys.utf8Length(name) + SIDECAR_SUFFIX.length() <= MAX_SEGMENT_BYTES) {
			return directory.resolve(name + SIDECAR_SUFFIX);
		}
		return directory.resolve(HexFormat.of().formatHex(sha256(name)) + LONG_SIDECAR_SUFFIX);
	}

	private static byte[] sha256(String name) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private ReentrantLock lockFor(String key) {
		return this.commitLocks[Math.floorMod(key.hashCode(), this.commitLocks.length)];
	}

	private StoredObject toStoredObject(String key, BasicFileAttributes attributes, @Nullable Sidecar sidecar) {
		String contentType = (sidecar != null && sidecar.contentType() != null) ? sidecar.contentType()
				: guessContentType(key);
		String etag = (sidecar != null && sidecar.etag() != null) ? sidecar.etag()
				: fallbackEtag(attributes);
		return StoredObject.builder(key)
			.size(attributes.size())
			.contentType(contentType)
			.etag(etag)
			.lastModified(attributes.lastModifiedTime().toInstant())
			.metadata((sidecar != null) ? sidecar.metadata() : null)
			.build();
	}

	/** For files placed by hand (no sidecar): size, modification time in nanoseconds and the file key. */
	private static String fallbackEtag(BasicFileAttributes attributes) {
		Object fileKey = attributes.fileKey();
		return Long.toHexString(attributes.size()) + "-"
				+ Long.toHexString(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS))
				+ ((fileKey != null) ? "-" + Integer.toHexString(fileKey.hashCode()) : "");
	}

	private <T> Mono<T> blocking(IoCallable<T> callable) {
		return Mono.fromCallable(callable::call).subscribeOn(this.scheduler);
	}

	/** After a put: nothing to do once committed, else the staging file is closed and deleted. */
	private Mono<Void> discard(Staging staging) {
		if (staging.committed) {
			return Mono.empty();
		}
		return Mono.<Void>fromRunnable(() -> closeQuietly(staging.channel)).then(deleteQuietly(staging.path));
	}

	private Mono<Void> deleteQuietly(Path path) {
		return Mono.<Void>fromRunnable(() -> {
			try {
				Files.deleteIfExists(path);
			}
			catch (IOException ex) {
				// best effort: staging files are under the reserved directory
			}
		}).subscribeOn(this.scheduler);
	}

	private static void closeQuietly(@Nullable AsynchronousFileChannel channel) {
		if (channel == null) {
			return;
		}
		try {
			channel.close();
		}
		catch (IOException ex) {
			// nothing more to do
		}
	}

	private static StorageException translate(IOException ex, @Nullable String key) {
		if (ex instanceof NoSuchFileException) {
			return new ObjectNotFoundException("No object under the key", key, ex);
		}
		if (ex instanceof AccessDeniedException) {
			return new StoragePermissionException("The file system denied access", key, ex);
		}
		if (ex instanceof FileAlreadyExistsException) {
			return new ObjectAlreadyExistsException("An object already exists", key, ex);
		}
		String message = String.valueOf(ex.getMessage());
		if (message.contains("No space left") || message.contains("Disk quota exceeded")) {
			return new StorageQuotaExceededException("The file system is full", key, ex);
		}
		if (ex instanceof FileSystemException) {
			return new StorageException("File system error: " + ex.getClass().getSimpleName(), key, ex);
		}
		return new StorageException("I/O error: " + ex.getClass().getSimpleName(), key, ex);
	}

	private static String contentHash(Path file) throws IOException {
		ContentHash.Hasher hash = ContentHash.hasher();
		try (var in = Files.newInputStream(file)) {
			byte[] buffer = new byte[CHUNK_SIZE];
			int read;
			while ((read = in.read(buffer)) >= 0) {
				hash.update(buffer, 0, read);
			}
		}
		return hash.hex();
	}

	private record Written(long size, String etag) {
	}

	/** A put in flight: where it goes, its staging file and the channel writing it. */
	private static final class Staging {

		final Path target;

		final Path path;

		final @Nullable AsynchronousFileChannel channel;

		volatile boolean committed;

		Staging(Path target, Path path, @Nullable AsynchronousFileChannel channel) {
			this.target = target;
			this.path = path;
			this.channel = channel;
		}

	}

	@FunctionalInterface
	private interface IoCallable<T> {

		T call() throws IOException;

	}

}
