package io.github.reactivestorage.filesystem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StoredObject;

/**
 * The content of a version {@link VersionReader} found: read in the same trip to the scheduler when
 * small, else streamed from the open file, which is also offered for zero-copy sending. Blocking
 * methods; the caller runs them on the scheduler.
 */
final class FilesystemContents {

	/** Reads of at most this many bytes are read in the same trip to the scheduler as the lookup. */
	static final int SMALL_READ = 64 * 1024;

	private final VersionReader reader;

	private final DataBufferFactory bufferFactory;

	private final Scheduler scheduler;

	FilesystemContents(VersionReader reader, DataBufferFactory bufferFactory, Scheduler scheduler) {
		this.reader = reader;
		this.bufferFactory = bufferFactory;
		this.scheduler = scheduler;
	}

	/** One version, its content read already when small, else with its open file. */
	StoredContent open(String key, @Nullable ByteRange range) throws IOException {
		VersionReader.Version version = this.reader.find(key, true);
		FileChannel channel = version.channel();
		try {
			StoredObject object = version.object();
			long start = 0;
			long end = object.size() - 1;
			if (range != null) {
				long[] span = range.resolve(object.size());
				start = span[0];
				end = span[1];
			}
			long length = end - start + 1;
			AtomicBoolean taken = new AtomicBoolean();
			if (length <= SMALL_READ) {
				DataBuffer buffer = readFully(channel, start, (int) length);
				VersionReader.close(channel);
				Flux<DataBuffer> content = Flux.defer(() -> taken.compareAndSet(false, true) ? Flux.just(buffer)
						: Flux.error(new IllegalStateException("The content was consumed or discarded already")));
				Mono<Void> discard = Mono.fromRunnable(() -> {
					if (taken.compareAndSet(false, true)) {
						DataBufferUtils.release(buffer);
					}
				});
				return stored(object, range, start, end, content, discard);
			}
			long position = start;
			Flux<DataBuffer> content = Flux.defer(() -> {
				if (!taken.compareAndSet(false, true)) {
					return Flux.error(new IllegalStateException("The content was consumed or discarded already"));
				}
				Flux<DataBuffer> chunks = DataBufferUtils.readByteChannel(() -> channel.position(position),
						this.bufferFactory, FilesystemStorage.CHUNK_SIZE);
				return DataBufferUtils.takeUntilByteCount(chunks, length)
					.onErrorMap(IOException.class, ex -> FilesystemErrors.translate(ex, key))
					.subscribeOn(this.scheduler);
			});
			Mono<Void> discard = Mono.<Void>fromRunnable(() -> {
				if (taken.compareAndSet(false, true)) {
					VersionReader.close(channel);
				}
			});
			Mono<Void> closeFile = Mono.fromRunnable(() -> {
				taken.set(true);
				VersionReader.close(channel);
			});
			return stored(object, range, start, end, content, discard).withFile(channel, closeFile);
		}
		catch (IOException | RuntimeException ex) {
			VersionReader.close(channel);
			throw ex;
		}
	}

	private static StoredContent stored(StoredObject object, @Nullable ByteRange range, long start, long end,
			Flux<DataBuffer> content, Mono<Void> discard) {
		return (range == null) ? StoredContent.whole(object, content, discard)
				: StoredContent.range(object, start, end, content, discard);
	}

	private DataBuffer readFully(@Nullable FileChannel channel, long start, int length) throws IOException {
		byte[] bytes = new byte[length];
		ByteBuffer target = ByteBuffer.wrap(bytes);
		while (target.hasRemaining() && channel != null) {
			if (channel.read(target, start + target.position()) < 0) {
				throw new IOException("File shorter than its size");
			}
		}
		return this.bufferFactory.wrap(bytes);
	}

	/** The whole content of one version, in one read. */
	byte[] readAll(String key) throws IOException {
		VersionReader.Version version = this.reader.find(key, true);
		try (FileChannel channel = version.channel()) {
			long size = version.object().size();
			if (size > Integer.MAX_VALUE - 8) {
				throw new StorageException("Object too large for one array", key, null);
			}
			byte[] bytes = new byte[(int) size];
			ByteBuffer target = ByteBuffer.wrap(bytes);
			while (target.hasRemaining() && channel.read(target) >= 0) {
				// read on
			}
			return bytes;
		}
	}

}
