package io.github.reactivestorage.filesystem;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.web.util.UriUtils;

import io.github.reactivestorage.AbstractReactiveStorage;
import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.ChecksumVerifyingBody;
import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.support.Listings;

/**
 * Objects as files under a root directory: key {@code a/b.txt} is the file {@code <root>/a/b.txt}.
 *
 * <ul>
 * <li>A put streams to a staging file under {@code <root>/.storage/tmp}, writes the content type, etag
 * (a 128-bit hash of the content, computed while writing) and user metadata into the staging file's
 * {@code user.} extended attribute, and commits content and metadata together with one atomic rename.
 * Where the root's file system has no user attributes (detected at start-up and logged) the metadata
 * goes to a sidecar file named by a hash of the key ({@link MetadataStore}).</li>
 * <li>With {@link Durability#FSYNC} (the default) a completed put or delete is on disk: the file is
 * forced before the rename and the directory after it.</li>
 * <li>A body that errors or is cancelled leaves no staging file, no directory it created and the old
 * version intact. Conditional puts ({@code createOnly}, {@code ifMatch}) and deletes are checked
 * under a per-key lock of this instance, so exactly one of concurrent racers wins.</li>
 * <li>{@link #read} opens one version and offers its open file for zero-copy sending.</li>
 * <li>The first key segment {@code .storage} is reserved; on a case-insensitive root it is compared
 * without case, and on a Windows-style root the Windows name rules apply ({@link FilesystemKeys}).
 * No key reaches outside the root: symbolic links leading out are refused.</li>
 * <li>The root is created on first write; a missing root lists as empty. Every blocking file call runs
 * on the given scheduler (bounded elastic by default), never on the subscriber's thread.</li>
 * </ul>
 */
public class FilesystemStorage extends AbstractReactiveStorage {

	/** The reserved directory under the root for staging files and sidecars. */
	public static final String RESERVED_DIRECTORY = ".storage";

	private static final Log logger = LogFactory.getLog(FilesystemStorage.class);

	static final int CHUNK_SIZE = 64 * 1024;

	/** Puts declaring at most this length are collected and written in one trip to the scheduler. */
	private static final int SMALL_PUT = 64 * 1024;

	private static final Set<StorageCapability> CAPABILITIES = EnumSet.of(StorageCapability.WRITE,
			StorageCapability.LIST, StorageCapability.DELIMITER_LIST, StorageCapability.RANGE_READ,
			StorageCapability.CONDITIONAL_PUT, StorageCapability.CONDITIONAL_WRITE, StorageCapability.SERVER_SIDE_COPY,
			StorageCapability.URL_GET, StorageCapability.USER_METADATA, StorageCapability.CHECKSUMS);

	/** Whether a completed write is forced to disk. */
	public enum Durability {

		/** Force the file before its rename and the directory after it (and after creating directories). */
		FSYNC,

		/** Leave flushing to the operating system: faster, but a power loss may lose completed writes. */
		NONE

	}

	private final Path root;

	private final @Nullable String baseUrl;

	private final Scheduler scheduler;

	private final FilesystemKeys keys;

	private final MetadataStore metadata;

	private final StagingArea staging;

	private final CommitLocks locks;

	private final VersionReader reader;

	private final FilesystemWriter writer;

	private final FilesystemContents contents;

	public FilesystemStorage(String name, Path root) {
		this(name, root, null, DefaultDataBufferFactory.sharedInstance, Schedulers.boundedElastic());
	}

	public FilesystemStorage(String name, Path root, @Nullable String baseUrl, DataBufferFactory bufferFactory,
			Scheduler scheduler) {
		this(name, root, baseUrl, bufferFactory, scheduler, Durability.FSYNC);
	}

	/**
	 * Detects what the root's file system supports (case-insensitive names, user extended attributes,
	 * forcing directories) and deletes the staging files that crashed processes left behind.
	 * @param name the mount name
	 * @param root the root directory (need not exist yet)
	 * @param baseUrl the public URL the root is served under, for {@link #url}; {@code null} for
	 * {@code file:} URIs
	 * @param bufferFactory the factory of the buffers {@code get} emits
	 * @param scheduler where blocking file calls run
	 * @param durability whether completed writes are forced to disk
	 */
	public FilesystemStorage(String name, Path root, @Nullable String baseUrl, DataBufferFactory bufferFactory,
			Scheduler scheduler, Durability durability) {
		super(name, bufferFactory);
		this.root = root.toAbsolutePath().normalize();
		this.baseUrl = (baseUrl == null || baseUrl.isBlank()) ? null
				: (baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
		this.scheduler = scheduler;
		this.keys = new FilesystemKeys(this.root,
				FilesystemKeys.detectCaseInsensitive(this.root.resolve(RESERVED_DIRECTORY)));
		this.metadata = new MetadataStore(this.root, this.keys, MetadataStore.supportsUserAttributes(this.root));
		this.staging = new StagingArea(this.root, durability == Durability.FSYNC);
		this.locks = new CommitLocks(this.keys);
		this.reader = new VersionReader(this.keys, this.metadata, this.locks);
		this.writer = new FilesystemWriter(this.keys, this.metadata, this.staging, this.locks, this.reader);
		this.contents = new FilesystemContents(this.reader, bufferFactory, scheduler);
		int swept = this.staging.sweep();
		if (logger.isInfoEnabled()) {
			logger.info("Filesystem mount '" + name + "' at " + this.root + ": metadata in "
					+ (this.metadata.usesAttributes() ? "user extended attributes" : "sidecar files")
					+ ", names " + (this.keys.caseInsensitive() ? "case-insensitive" : "case-sensitive")
					+ (this.keys.windows() ? ", Windows name rules" : "") + ", durability " + durability
					+ ((durability == Durability.FSYNC && !this.staging.syncsDirectories())
							? " (directories cannot be forced here)" : "")
					+ ((swept > 0) ? ", " + swept + " stale staging files deleted" : ""));
		}
	}

	/** The root directory. */
	public Path getRoot() {
		return this.root;
	}

	/** Whether completed writes are forced to disk. */
	public Durability getDurability() {
		return this.staging.fsync() ? Durability.FSYNC : Durability.NONE;
	}

	/** Whether this root stores metadata in user extended attributes (else in sidecar files). */
	public boolean usesExtendedAttributes() {
		return this.metadata.usesAttributes();
	}

	/** Whether this root's file system compares names without case. */
	public boolean isCaseInsensitive() {
		return this.keys.caseInsensitive();
	}

	@Override
	public Set<StorageCapability> capabilities() {
		return CAPABILITIES;
	}

	// ---- put ----

	@Override
	protected Mono<StoredObject> doPut(String key, Publisher<DataBuffer> body, PutOptions options) {
		Mono<StoredObject> put;
		long length = options.contentLength();
		if (length >= 0 && length <= SMALL_PUT) {
			put = FilesystemWriter.collect(key, body, (int) length, options)
				.flatMap(content -> blocking(() -> this.writer.putSmall(key, content, options, verified(body))));
			// (putSmall translates a full disk itself, before its clean-up frees the space)
		}
		else {
			put = Mono.usingWhen(
					stage(key),
					// a full disk is recognised here, before the clean-up frees the staging file's space
					staged -> this.writer.write(body, staged)
						.flatMap(written -> blocking(() -> this.writer.commit(key, staged, written, options, verified(body))))
						.onErrorMap(IOException.class, ex -> FilesystemErrors.translateWrite(ex, key, this.root)),
					staged -> Mono.empty(), (staged, error) -> abandon(staged), this::abandon);
		}
		return put.onErrorMap(IOException.class, ex -> FilesystemErrors.translateWrite(ex, key, this.root));
	}

	/**
	 * Opens the staging file on the scheduler. A cancel that arrives while it is being opened abandons
	 * it as soon as it is open: Reactor would only discard the late value, which closes nothing.
	 */
	private Mono<FilesystemWriter.Staged> stage(String key) {
		return Mono.create(sink -> {
			Object lock = new Object();
			FilesystemWriter.Staged[] opened = new FilesystemWriter.Staged[1];
			boolean[] cancelled = new boolean[1];
			sink.onCancel(() -> {
				FilesystemWriter.Staged staged;
				synchronized (lock) {
					cancelled[0] = true;
					staged = opened[0];
				}
				if (staged != null) {
					this.scheduler.schedule(staged::abandon);
				}
			});
			this.scheduler.schedule(() -> {
				FilesystemWriter.Staged staged;
				try {
					staged = this.writer.stage(key);
				}
				catch (IOException | RuntimeException ex) {
					sink.error(ex);
					return;
				}
				synchronized (lock) {
					if (cancelled[0]) {
						staged.abandon();
						return;
					}
					opened[0] = staged;
				}
				sink.success(staged);
			});
		});
	}

	private Mono<Void> abandon(FilesystemWriter.Staged staged) {
		return Mono.<Void>fromRunnable(staged::abandon).subscribeOn(this.scheduler);
	}

	/**
	 * The reserved directory (compared as the root's file system compares names), segments longer than a
	 * file name and, on Windows-style roots, Windows names: checked before any I/O for keys, prefixes and
	 * start-after values.
	 */
	@Override
	protected void checkReservedNames(String normalizedKeyOrPrefix, boolean isPrefix) {
		this.keys.check(normalizedKeyOrPrefix, isPrefix);
	}

	// ---- read, get, info, exists ----

	/** One trip to the scheduler: the version's file is opened, and read there too when it is small. */
	@Override
	protected Mono<StoredContent> doRead(String key, @Nullable ByteRange range) {
		return blocking(() -> this.contents.open(key, range)).onErrorMap(IOException.class,
				ex -> FilesystemErrors.translate(ex, key));
	}

	@Override
	protected Flux<DataBuffer> doGet(String key, @Nullable ByteRange range) {
		return doRead(key, range).flatMapMany(StoredContent::content);
	}

	/** One read on the scheduler instead of a chain of buffers: for small objects, as the contract says. */
	@Override
	protected Mono<byte[]> doGetBytes(String key) {
		return blocking(() -> this.contents.readAll(key)).onErrorMap(IOException.class,
				ex -> FilesystemErrors.translate(ex, key));
	}

	@Override
	protected Mono<StoredObject> doInfo(String key) {
		return blocking(() -> this.reader.find(key, false).object()).onErrorMap(IOException.class,
				ex -> FilesystemErrors.translate(ex, key));
	}

	@Override
	protected Mono<Boolean> doExists(String key) {
		return blocking(() -> {
			Path file = this.keys.resolve(key);
			return Files.isRegularFile(file) && this.keys.isInsideRoot(file);
		});
	}

	// ---- delete ----

	@Override
	protected Mono<Void> doDelete(String key) {
		return blocking(() -> deleteFile(key, null)).onErrorMap(IOException.class,
				ex -> FilesystemErrors.translate(ex, key)).then();
	}

	@Override
	protected Mono<Void> doDelete(String key, DeleteOptions options) {
		return blocking(() -> deleteFile(key, options.ifMatch())).onErrorMap(IOException.class,
				ex -> FilesystemErrors.translate(ex, key)).then();
	}

	/** A missing object: not found, or, for a delete conditional on an etag, a failed precondition (HTTP 412). */
	private static StorageException missing(String key, @Nullable String ifMatch, @Nullable Exception cause) {
		return (ifMatch != null) ? new PreconditionFailedException("No object under the key has the etag given", key, cause)
				: new ObjectNotFoundException("No object under the key", key, cause);
	}

	private Boolean deleteFile(String key, @Nullable String ifMatch) throws IOException {
		Path file = this.keys.resolve(key);
		// every check under the key's lock: a racing delete of this instance cannot make the file vanish
		// between the existence check, the inside-root check (which resolves the real path) and the etag
		ReentrantLock lock = this.locks.lockFor(key);
		lock.lock();
		try {
			if (!Files.isRegularFile(file)) {
				throw missing(key, ifMatch, null);
			}
			this.keys.checkInsideRoot(file, key);
			if (ifMatch != null) {
				String current;
				try {
					current = this.reader.find(key, false).object().etag();
				}
				catch (ObjectNotFoundException ex) {
					throw missing(key, ifMatch, ex);
				}
				if (!ifMatch.equals(current)) {
					throw new PreconditionFailedException("The object's etag is not the one given", key, null);
				}
			}
			Files.delete(file);
			this.metadata.deleted(key);
		}
		catch (NoSuchFileException ex) {
			throw missing(key, ifMatch, ex);
		}
		finally {
			lock.unlock();
		}
		pruneEmptyDirectories(file.getParent());
		this.staging.syncDirectory(Files.isDirectory(file.getParent()) ? file.getParent() : this.root);
		return Boolean.TRUE;
	}

	private void pruneEmptyDirectories(Path directory) {
		for (Path current = directory; current != null && current.startsWith(this.root)
				&& !current.equals(this.root); current = current.getParent()) {
			try {
				Files.delete(current);
			}
			catch (DirectoryNotEmptyException ex) {
				return;
			}
			catch (IOException ex) {
				// gone already (a concurrent delete): go on with the parent
				if (!(ex instanceof NoSuchFileException)) {
					return;
				}
			}
		}
	}

	// ---- list ----

	@Override
	protected Flux<StoredObject> doList(ListOptions options) {
		String prefix = options.prefix();
		boolean rollUpDirectories = "/".equals(options.delimiter());
		Flux<StoredObject> sorted = Flux.defer(() -> {
			this.keys.check(prefix, true);
			if (options.startAfter() != null) {
				this.keys.check(options.startAfter(), true);
			}
			FilesystemWalker walker = new FilesystemWalker(this.root, this.keys,
					(key, file, attributes) -> VersionReader.describe(key, attributes, this.metadata.read(file, key)),
					prefix, options.startAfter(), rollUpDirectories);
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
					sink.error(FilesystemErrors.translate(ex, null));
				}
			}).doFinally(signal -> walker.close());
		}).subscribeOn(this.scheduler);
		return Listings.apply(sorted, options);
	}

	// ---- url, copy ----

	@Override
	protected Mono<URI> doUrl(String key, UrlOptions options) {
		return Mono.fromCallable(() -> {
			if (this.baseUrl == null) {
				return this.keys.resolve(key).toUri();
			}
			StringBuilder url = new StringBuilder(this.baseUrl);
			String[] segments = key.split("/", -1);
			for (int i = 0; i < segments.length; i++) {
				url.append((i > 0) ? "/" : "").append(UriUtils.encodePathSegment(segments[i], StandardCharsets.UTF_8));
			}
			return URI.create(url.toString());
		}).subscribeOn(this.scheduler);
	}

	/** Copies one version of the source, its bytes and its metadata, in one trip to the scheduler. */
	@Override
	protected Mono<StoredObject> doCopy(String source, String destination) {
		return blocking(() -> {
			this.keys.check(destination, false);
			return this.writer.copy(source, destination);
		}).onErrorMap(IOException.class, ex -> FilesystemErrors.translateWrite(ex, source, this.root));
	}

	// ---- helpers ----

	/** The checksums the put's body verified, once it completed ({@link ChecksumVerifyingBody}). */
	private static Map<String, String> verified(Publisher<DataBuffer> body) {
		ChecksumVerifyingBody verifying = ChecksumVerifyingBody.of(body);
		return (verifying != null) ? verifying.checksums() : Map.of();
	}

	private <T> Mono<T> blocking(IoCallable<T> callable) {
		return Mono.fromCallable(callable::call).subscribeOn(this.scheduler);
	}

	@FunctionalInterface
	private interface IoCallable<T> {

		T call() throws IOException;

	}

}
