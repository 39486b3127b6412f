package io.github.reactivestorage.filesystem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.KeyConflictException;
import io.github.reactivestorage.ObjectAlreadyExistsException;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.support.ContentHash;
import io.github.reactivestorage.support.DiscardedBuffers;

/**
 * The write path of the filesystem backend: staging files, the body written into them, and the
 * commit (condition, one rename, forced to disk when durable) under the key's lock.
 */
final class FilesystemWriter {

	/** How many body buffers a put requests ahead of the file writes. */
	private static final int PREFETCH = 256;

	private static final Set<StandardOpenOption> NEW_FILE = EnumSet.of(StandardOpenOption.CREATE_NEW,
			StandardOpenOption.WRITE);

	private final FilesystemKeys keys;

	private final MetadataStore metadata;

	private final StagingArea staging;

	private final CommitLocks locks;

	private final VersionReader reader;

	FilesystemWriter(FilesystemKeys keys, MetadataStore metadata, StagingArea staging, CommitLocks locks,
			VersionReader reader) {
		this.keys = keys;
		this.metadata = metadata;
		this.staging = staging;
		this.locks = locks;
		this.reader = reader;
	}

	/**
	 * The body of a put whose declared length is small, copied into one array and each buffer released
	 * as it arrives. A body of another length is counted to its end and answered with the same error as
	 * a streamed put.
	 */
	static Mono<byte[]> collect(String key, Publisher<DataBuffer> body, int length, PutOptions options) {
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
			})
				// buffers queued upstream when the put is cancelled are released by this hook (see write)
				.contextWrite(DiscardedBuffers.releasedOnce())
				.then(Mono.fromCallable(() -> {
					checkLength(key, options, received[0]);
					return content;
				}));
		});
	}

	/** A small put in one trip to the scheduler: prepare, write and force a staging file, commit. */
	StoredObject putSmall(String key, byte[] content, PutOptions options) throws IOException {
		return putSmall(key, content, options, Map.of());
	}

	/** {@link #putSmall(String, byte[], PutOptions)} keeping the checksums the put verified. */
	StoredObject putSmall(String key, byte[] content, PutOptions options, Map<String, String> checksums)
			throws IOException {
		Staged staged = stage(key, false);
		try {
			try (FileChannel channel = FileChannel.open(staged.path, NEW_FILE, this.staging.privateFile())) {
				ByteBuffer buffer = ByteBuffer.wrap(content);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				Sidecar sidecar = new Sidecar(options.contentType(), ContentHash.hex(content), options.metadata(),
						checksums);
				this.metadata.writeStaged(staged.path, sidecar);
				if (this.staging.fsync()) {
					channel.force(true);
				}
				channel.close();
				return commit(key, staged, content.length, sidecar, options);
			}
		}
		catch (IOException ex) {
			// recognised before the clean-up below frees the staging file's space
			throw FilesystemErrors.translateWrite(ex, key, staged.target.getParent());
		}
		finally {
			staged.abandon();
		}
	}

	Staged stage(String key) throws IOException {
		return stage(key, true);
	}

	/** Checks the target, makes its directories and (streamed puts) opens a new staging file. */
	private Staged stage(String key, boolean open) throws IOException {
		Path target = this.keys.resolve(key);
		if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
			throw new KeyConflictException("Cannot store an object at '" + key
					+ "': other keys use it as a directory (the filesystem backend cannot hold 'a' beside 'a/b')",
					key, null);
		}
		Path created = this.staging.prepare(key, target, this.keys);
		Staged staged = new Staged(target, created);
		try {
			while (true) {
				staged.path = this.staging.newName();
				if (!open) {
					return staged;
				}
				try {
					staged.channel = AsynchronousFileChannel.open(staged.path, NEW_FILE, null,
							this.staging.privateFile());
					return staged;
				}
				catch (FileAlreadyExistsException ex) {
					// another staging file has this name: draw again
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			staged.abandon();
			throw ex;
		}
	}

	/**
	 * Writes the body to the open staging channel. The body is requested ahead ({@link #PREFETCH}
	 * buffers) so that the network keeps reading while a write is in flight.
	 */
	Mono<Written> write(Publisher<DataBuffer> body, Staged staged) {
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
		// The buffer being written when the put is cancelled comes back from the file channel after
		// the cancel, and the write's sink discards it: this hook (below the write) releases it. Without
		// it, that buffer leaked in about one cancelled put of five.
		return DataBufferUtils.write(counted, staged.channel)
			.map(DataBufferUtils::release)
			.contextWrite(DiscardedBuffers.releasedOnce())
			.then(Mono.fromSupplier(() -> new Written(size[0], hash.hex())));
	}

	/** Forces and closes the staging file, writes its metadata, then commits it under the key's lock. */
	StoredObject commit(String key, Staged staged, Written written, PutOptions options) throws IOException {
		return commit(key, staged, written, options, Map.of());
	}

	/** {@link #commit(String, Staged, Written, PutOptions)} keeping the checksums the put verified. */
	StoredObject commit(String key, Staged staged, Written written, PutOptions options, Map<String, String> checksums)
			throws IOException {
		checkLength(key, options, written.size);
		Sidecar sidecar = new Sidecar(options.contentType(), written.etag, options.metadata(), checksums);
		this.metadata.writeStaged(staged.path, sidecar);
		AsynchronousFileChannel channel = staged.channel;
		if (channel != null) {
			// after the attribute, so that one force makes both durable before the rename
			if (this.staging.fsync()) {
				channel.force(true);
			}
			channel.close();
		}
		return commit(key, staged, written.size, sidecar, options);
	}

	/** Commits a staging file whose content and attribute are written (and forced when durable). */
	private StoredObject commit(String key, Staged staged, long size, Sidecar sidecar, PutOptions options)
			throws IOException {
		// the attribute (if any) is on the staging file and forced with it already
		Path stagedSidecar = this.metadata.usesAttributes() ? null : writeSidecar(sidecar);
		try {
			Instant lastModified = Files.getLastModifiedTime(staged.path).toInstant();
			ReentrantLock lock = this.locks.lockFor(key);
			lock.lock();
			try {
				synchronized (staged) {
					if (staged.abandoned) {
						throw new CancellationException("The put was cancelled");
					}
					checkCondition(key, options);
					if (options.createOnly()) {
						link(key, staged);
						if (stagedSidecar != null) {
							this.metadata.commitSidecar(stagedSidecar, key);
						}
					}
					else {
						if (stagedSidecar != null) {
							this.metadata.commitSidecar(stagedSidecar, key);
						}
						move(key, staged);
					}
					staged.committed = true;
				}
			}
			finally {
				lock.unlock();
			}
			this.metadata.replaced(key);
			this.staging.syncDirectory(staged.target.getParent());
			return StoredObject.builder(key)
				.size(size)
				.contentType(sidecar.contentType())
				.etag(sidecar.etag())
				.lastModified(lastModified)
				.metadata(sidecar.metadata())
				.checksums(sidecar.checksums())
				.build();
		}
		finally {
			if (stagedSidecar != null) {
				Files.deleteIfExists(stagedSidecar);
			}
		}
	}

	private void checkCondition(String key, PutOptions options) throws IOException {
		String ifMatch = options.ifMatch();
		if (ifMatch == null) {
			return;
		}
		String current;
		try {
			current = this.reader.find(key, false).object().etag();
		}
		catch (ObjectNotFoundException ex) {
			throw new PreconditionFailedException("No object exists under the key to match the etag given", key,
					ex);
		}
		if (!ifMatch.equals(current)) {
			throw new PreconditionFailedException("The object's etag is not the one given", key, null);
		}
	}

	/** Create-only: a hard link fails atomically if the key exists, even against other processes. */
	private void link(String key, Staged staged) throws IOException {
		try {
			Files.createLink(staged.target, staged.path);
		}
		catch (FileAlreadyExistsException ex) {
			throw new ObjectAlreadyExistsException("An object already exists", key, ex);
		}
		catch (NoSuchFileException ex) {
			// a failed put removed the directory meanwhile: make it again
			this.staging.prepare(key, staged.target, this.keys);
			Files.createLink(staged.target, staged.path);
		}
		Files.deleteIfExists(staged.path);
	}

	private void move(String key, Staged staged) throws IOException {
		try {
			Files.move(staged.path, staged.target, StandardCopyOption.ATOMIC_MOVE,
					StandardCopyOption.REPLACE_EXISTING);
		}
		catch (NoSuchFileException ex) {
			if (!Files.exists(staged.path)) {
				throw ex;
			}
			// a failed put removed the directory meanwhile: make it again
			this.staging.prepare(key, staged.target, this.keys);
			Files.move(staged.path, staged.target, StandardCopyOption.ATOMIC_MOVE,
					StandardCopyOption.REPLACE_EXISTING);
		}
	}

	private Path writeSidecar(Sidecar sidecar) throws IOException {
		Path file = this.staging.newName();
		try (FileChannel channel = FileChannel.open(file, NEW_FILE, this.staging.privateFile())) {
			ByteBuffer buffer = ByteBuffer.wrap(sidecar.encode());
			while (buffer.hasRemaining()) {
				channel.write(buffer);
			}
			if (this.staging.fsync()) {
				channel.force(true);
			}
		}
		catch (IOException ex) {
			Files.deleteIfExists(file);
			throw ex;
		}
		return file;
	}

	/** Copies one version of the source (bytes and metadata) onto the destination. */
	StoredObject copy(String source, String destination) throws IOException {
		VersionReader.Version version = this.reader.find(source, true);
		try (FileChannel from = version.channel()) {
			StoredObject object = version.object();
			Staged staged = stage(destination, false);
			try {
				try (FileChannel to = FileChannel.open(staged.path, NEW_FILE, this.staging.privateFile())) {
					long position = 0;
					while (position < object.size()) {
						long copied = from.transferTo(position, object.size() - position, to);
						if (copied <= 0) {
							throw new IOException("Source shorter than its size");
						}
						position += copied;
					}
					Sidecar sidecar = new Sidecar(object.contentType(), object.etag(), object.metadata(),
							object.checksums());
					this.metadata.writeStaged(staged.path, sidecar);
					if (this.staging.fsync()) {
						to.force(true);
					}
					to.close();
					return commit(destination, staged, object.size(), sidecar, PutOptions.defaults());
				}
			}
			finally {
				staged.abandon();
			}
		}
	}

	static void checkLength(String key, PutOptions options, long size) {
		if (options.contentLength() >= 0 && options.contentLength() != size) {
			throw new StorageException(
					"Body has " + size + " bytes but the content length given was " + options.contentLength(), key,
					null);
		}
	}

	record Written(long size, String etag) {
	}

	/** A put in flight: where it goes, its staging file, the channel writing it, the directories it made. */
	static final class Staged {

		final Path target;

		final @Nullable Path createdDirectory;

		@Nullable Path path;

		@Nullable AsynchronousFileChannel channel;

		boolean committed;

		boolean abandoned;

		Staged(Path target, @Nullable Path createdDirectory) {
			this.target = target;
			this.createdDirectory = createdDirectory;
		}

		/**
		 * Unless committed: closes the channel, deletes the staging file and the directories this put
		 * created. Idempotent; blocking (run on the scheduler).
		 */
		void abandon() {
			synchronized (this) {
				if (this.committed || this.abandoned) {
					return;
				}
				this.abandoned = true;
			}
			if (this.channel != null) {
				try {
					this.channel.close();
				}
				catch (IOException ex) {
					// nothing more to do
				}
			}
			if (this.path != null) {
				try {
					Files.deleteIfExists(this.path);
				}
				catch (IOException ex) {
					// swept at the next start-up
				}
			}
			StagingArea.abandon(this.createdDirectory, this.target.getParent());
		}

	}

}
