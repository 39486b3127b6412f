package io.github.reactivestorage.gcs;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;

import com.google.api.gax.paging.Page;
import com.google.auth.ServiceAccountSigner;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.Storage.CopyRequest;
import com.google.cloud.storage.Storage.SignUrlOption;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.AbstractReactiveStorage;
import io.github.reactivestorage.Checksum;
import io.github.reactivestorage.ChecksumAlgorithm;
import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.InvalidRangeException;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.ObjectAlreadyExistsException;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.PostPolicy;
import io.github.reactivestorage.PostPolicyOptions;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StoragePermissionException;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlBinding;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.support.ETags;
import io.github.reactivestorage.support.Listings;

/**
 * Objects in one Google Cloud Storage bucket over the blocking {@link Storage} client. Every SDK
 * call runs on a bounded scheduler (one the storage owns and disposes on {@link #close()}, or one
 * passed in), never on the subscriber's thread.
 *
 * <ul>
 * <li>{@code get} streams through a {@link ReadChannel} in chunks with backpressure; the channel is
 * closed on complete, error and cancel. Ranges use {@code seek} and {@code limit}.</li>
 * <li>{@code put} writes each incoming buffer to a {@link WriteChannel} (resumable upload, opened
 * when the first byte arrives), releases it, then requests the next. GCS finalises the object only
 * when the channel is closed: a body error, a wrong content length or a cancel abandons the channel
 * without closing it, so no object appears (the Java client offers no call to cancel a resumable
 * session; GCS expires abandoned sessions after a week).</li>
 * <li>Create-only puts and copies send {@code ifGenerationMatch=0}; 412 becomes
 * {@link ObjectAlreadyExistsException}.</li>
 * <li>Conditional puts and deletes ({@code ifMatch}) read the object's metadata, compare its etag, and
 * send the generation and metageneration it belongs to as {@code ifGenerationMatch} and
 * {@code ifMetagenerationMatch} on the resumable upload (checked by GCS when the upload is finalised)
 * or on the delete: GCS etags cannot be turned into a generation, so the compare is ours and the swap
 * GCS's, atomic against any write that changes the etag in between. A missing object or another etag
 * fails before the body is read.</li>
 * <li>{@code copy} is a server-side rewrite setting content type and metadata on the target.</li>
 * <li>Listings are paged lazily with page tokens; GCS lists in lexicographic order.</li>
 * <li>{@code url} gives V4 signed URLs (at most 7 days); they need credentials that can sign
 * ({@link ServiceAccountSigner}).</li>
 * </ul>
 */
public class GcsStorage extends AbstractReactiveStorage {

	private static final Set<StorageCapability> CAPABILITIES = EnumSet.of(StorageCapability.WRITE,
			StorageCapability.LIST, StorageCapability.DELIMITER_LIST, StorageCapability.RANGE_READ,
			StorageCapability.CONDITIONAL_PUT, StorageCapability.CONDITIONAL_WRITE, StorageCapability.SERVER_SIDE_COPY,
			StorageCapability.URL_GET, StorageCapability.URL_PUT, StorageCapability.USER_METADATA,
			StorageCapability.POST_POLICY, StorageCapability.CHECKSUMS);

	private static final int PAGE_SIZE = 1000;

	private final Storage storage;

	private final String bucket;

	private final Scheduler scheduler;

	private final boolean ownsScheduler;

	private final GcsStorageOptions options;

	/**
	 * A mount with its own bounded scheduler, disposed on {@link #close()}.
	 * @param name the mount name
	 * @param storage the client
	 * @param bucket the bucket
	 * @param bufferFactory the factory of the buffers {@code get} emits
	 */
	public GcsStorage(String name, Storage storage, String bucket, DataBufferFactory bufferFactory) {
		this(name, storage, bucket, bufferFactory, GcsStorageOptions.defaults());
	}

	/**
	 * A mount with its own bounded scheduler (threads named {@code gcs-<name>}), disposed on
	 * {@link #close()}.
	 * @param name the mount name
	 * @param storage the client
	 * @param bucket the bucket
	 * @param bufferFactory the factory of the buffers {@code get} emits
	 * @param options chunk sizes and listing behaviour
	 */
	public GcsStorage(String name, Storage storage, String bucket, DataBufferFactory bufferFactory,
			GcsStorageOptions options) {
		this(name, storage, bucket, bufferFactory,
				Schedulers.newBoundedElastic(Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE,
						Schedulers.DEFAULT_BOUNDED_ELASTIC_QUEUESIZE, "gcs-" + name),
				true, options);
	}

	/**
	 * @param name the mount name
	 * @param storage the client
	 * @param bucket the bucket
	 * @param bufferFactory the factory of the buffers {@code get} emits
	 * @param scheduler the scheduler the blocking calls run on
	 * @param ownsScheduler whether {@link #close()} disposes the scheduler
	 * @param options chunk sizes and listing behaviour
	 */
	public GcsStorage(String name, Storage storage, String bucket, DataBufferFactory bufferFactory,
			Scheduler scheduler, boolean ownsScheduler, GcsStorageOptions options) {
		super(name, bufferFactory);
		this.storage = storage;
		this.bucket = bucket;
		this.scheduler = scheduler;
		this.ownsScheduler = ownsScheduler;
		this.options = options;
	}

	@Override
	public Set<StorageCapability> capabilities() {
		return CAPABILITIES;
	}

	/** The client. */
	public Storage client() {
		return this.storage;
	}

	/** The bucket. */
	public String bucket() {
		return this.bucket;
	}

	@Override
	public <T> T unwrap(Class<T> type) {
		if (type.isInstance(this.storage)) {
			return type.cast(this.storage);
		}
		return super.unwrap(type);
	}

	@Override
	public void close() {
		if (this.ownsScheduler) {
			this.scheduler.dispose();
		}
	}

	@Override
	protected @Nullable Duration maxUrlExpiry() {
		return Duration.ofDays(7);
	}

	private BlobId id(String key) {
		return BlobId.of(this.bucket, key);
	}

	private <T> Mono<T> call(String key, java.util.concurrent.Callable<@Nullable T> callable) {
		return Mono.fromCallable(callable).subscribeOn(this.scheduler).onErrorMap(ex -> translate(ex, key));
	}

	// ---- put ----

	@Override
	protected Mono<StoredObject> doPut(String key, Publisher<DataBuffer> body, PutOptions options) {
		if (options.ifMatch() == null) {
			return upload(key, body, options, options.createOnly()
					? new BlobWriteOption[] { BlobWriteOption.doesNotExist() } : new BlobWriteOption[0]);
		}
		return current(key, options.ifMatch()).flatMap(blob -> {
			List<BlobWriteOption> match = new ArrayList<>(2);
			match.add(BlobWriteOption.generationMatch(blob.getGeneration()));
			if (blob.getMetageneration() != null) {
				match.add(BlobWriteOption.metagenerationMatch(blob.getMetageneration()));
			}
			return upload(key, body, options, match.toArray(BlobWriteOption[]::new));
		}).onErrorMap(GcsStorage::failedPrecondition, ex -> etagMismatch(key, ex));
	}

	/**
	 * The live object if its etag is the expected one, else {@link PreconditionFailedException}: the
	 * compare of a compare-and-swap, whose swap names the generation found.
	 */
	private Mono<Blob> current(String key, String expected) {
		return call(key, () -> this.storage.get(id(key)))
			.filter(blob -> blob.getGeneration() != null && expected.equals(toStoredObject(blob, key).etag()))
			.switchIfEmpty(Mono.error(() -> etagMismatch(key, null)));
	}

	/** A generation precondition's 412, or a 404: the object the generation named is gone. */
	private static boolean failedPrecondition(Throwable ex) {
		return ex instanceof ObjectAlreadyExistsException || ex instanceof ObjectNotFoundException;
	}

	private static PreconditionFailedException etagMismatch(String key, @Nullable Throwable cause) {
		return new PreconditionFailedException("No object with the etag the write was conditional on", key, cause);
	}

	private Mono<StoredObject> upload(String key, Publisher<DataBuffer> body, PutOptions options,
			BlobWriteOption[] writeOptions) {
		BlobInfo.Builder infoBuilder = BlobInfo.newBuilder(id(key))
			.setContentType(options.contentType())
			.setMetadata(options.metadata().isEmpty() ? null : Map.copyOf(options.metadata()));
		BlobWriteOption[] allOptions = withEncryptionAndChecksum(infoBuilder, options, writeOptions);
		BlobInfo info = infoBuilder.build();
		return GcsUpload.write(body, () -> {
			WriteChannel channel = this.storage.writer(info, allOptions);
			channel.setChunkSize(this.options.writeChunkSize());
			return channel;
		}, this.scheduler, options.contentLength(), key)
			.flatMap(size -> call(key, () -> this.storage.get(id(key))).map(blob -> toStoredObject(blob, key))
				.switchIfEmpty(Mono.fromSupplier(() -> StoredObject.builder(key)
					.size(size)
					.contentType(options.contentType())
					.metadata(options.metadata())
					.build())))
			.onErrorMap(ex -> translate(ex, key));
	}

	/**
	 * The write options plus the mount's KMS key and the expected checksum, which GCS verifies when it
	 * finalizes the upload (the library has verified the bytes before it finalizes, too).
	 */
	private BlobWriteOption[] withEncryptionAndChecksum(BlobInfo.Builder info, PutOptions options,
			BlobWriteOption[] writeOptions) {
		List<BlobWriteOption> all = new ArrayList<>(List.of(writeOptions));
		if (this.options.kmsKeyName() != null) {
			all.add(BlobWriteOption.kmsKeyName(this.options.kmsKeyName()));
		}
		Checksum checksum = options.checksum();
		if (checksum != null && checksum.expected() != null) {
			if (checksum.algorithm() == ChecksumAlgorithm.CRC32C) {
				info.setCrc32c(checksum.expected());
				all.add(BlobWriteOption.crc32cMatch());
			}
			else if (checksum.algorithm() == ChecksumAlgorithm.MD5) {
				info.setMd5(checksum.expected());
				all.add(BlobWriteOption.md5Match());
			}
		}
		return all.toArray(BlobWriteOption[]::new);
	}

	// ---- get ----

	@Override
	protected Flux<DataBuffer> doGet(String key, @Nullable ByteRange range) {
		return call(key, () -> this.storage.get(id(key)))
			.switchIfEmpty(Mono.error(() -> new ObjectNotFoundException("No object '" + key + "'", key, null)))
			.flatMapMany(blob -> {
				long size = blob.getSize() != null ? blob.getSize() : 0;
				long start = 0;
				long end = size;
				if (range != null) {
					long[] resolved = range.resolve(size);
					start = resolved[0];
					end = resolved[1] + 1;
				}
				if (start >= end) {
					return Flux.empty();
				}
				BlobId blobId = blob.getGeneration() != null ? BlobId.of(this.bucket, key, blob.getGeneration())
						: id(key);
				long first = start;
				long limit = end;
				// generated on the thread that requests, which subscribeOn keeps on the scheduler
				return Flux.<DataBuffer, Reading>generate(() -> new Reading(openReader(blobId, first, limit), first, limit),
						this::readChunk, this::closeOnScheduler);
			})
			.subscribeOn(this.scheduler)
			.onErrorMap(ex -> translate(ex, key));
	}

	/**
	 * One metadata lookup, and the content read from the generation it found, so that the information
	 * describes the bytes even if the object is replaced meanwhile (a replaced generation fails the read
	 * as not found rather than mixing versions).
	 */
	@Override
	protected Mono<StoredContent> doRead(String key, @Nullable ByteRange range) {
		return call(key, () -> this.storage.get(id(key)))
			.switchIfEmpty(Mono.error(() -> new ObjectNotFoundException("No object '" + key + "'", key, null)))
			.map(blob -> {
				StoredObject object = toStoredObject(blob, key);
				long[] span = (range != null) ? range.resolve(object.size()) : new long[] { 0, object.size() - 1 };
				BlobId pinned = (blob.getGeneration() != null) ? BlobId.of(this.bucket, key, blob.getGeneration())
						: id(key);
				long first = span[0];
				long limit = span[1] + 1;
				Flux<DataBuffer> content = (first >= limit) ? Flux.empty()
						: Flux.<DataBuffer, Reading>generate(
								() -> new Reading(openReader(pinned, first, limit), first, limit), this::readChunk,
								this::closeOnScheduler)
							.subscribeOn(this.scheduler)
							.onErrorMap(ex -> translate(ex, key));
				// nothing is open until the content is subscribed
				return (range != null) ? StoredContent.range(object, span[0], span[1], content, Mono.empty())
						: StoredContent.whole(object, content, Mono.empty());
			})
			.onErrorMap(ex -> translate(ex, key));
	}

	private ReadChannel openReader(BlobId blobId, long start, long end) throws IOException {
		ReadChannel reader = this.storage.reader(blobId);
		reader.setChunkSize(this.options.readChunkSize());
		if (start > 0) {
			reader.seek(start);
		}
		reader.limit(end);
		return reader;
	}

	private Reading readChunk(Reading reading, SynchronousSink<DataBuffer> sink) {
		long remaining = reading.end - reading.position;
		if (remaining <= 0) {
			sink.complete();
			return reading;
		}
		int length = (int) Math.min(this.options.readChunkSize(), remaining);
		DataBuffer buffer = bufferFactory().allocateBuffer(length);
		boolean emitted = false;
		try {
			int read = 0;
			try (DataBuffer.ByteBufferIterator iterator = buffer.writableByteBuffers()) {
				ByteBuffer target = iterator.next();
				target.limit(Math.min(target.limit(), target.position() + length));
				while (target.hasRemaining()) {
					int n = reading.channel.read(target);
					if (n < 0) {
						break;
					}
					read += n;
				}
			}
			if (read == 0) {
				sink.complete();
				return reading;
			}
			buffer.writePosition(buffer.writePosition() + read);
			reading.position += read;
			sink.next(buffer);
			emitted = true;
		}
		catch (IOException | RuntimeException ex) {
			sink.error(ex);
		}
		finally {
			if (!emitted) {
				DataBufferUtils.release(buffer);
			}
		}
		return reading;
	}

	/** Closing may do I/O: never on the thread that cancels, which may be an event loop. */
	private void closeOnScheduler(Reading reading) {
		try {
			this.scheduler.schedule(() -> closeQuietly(reading.channel));
		}
		catch (RejectedExecutionException ex) {
			closeQuietly(reading.channel);
		}
	}

	private static void closeQuietly(ReadChannel reader) {
		try {
			reader.close();
		}
		catch (RuntimeException ex) {
			// nothing to do
		}
	}

	/** The state of a read: its channel and where it is. */
	private static final class Reading {

		final ReadChannel channel;

		final long end;

		long position;

		Reading(ReadChannel channel, long start, long end) {
			this.channel = channel;
			this.position = start;
			this.end = end;
		}

	}

	// ---- info, exists, delete ----

	@Override
	protected Mono<StoredObject> doInfo(String key) {
		return call(key, () -> this.storage.get(id(key))).map(blob -> toStoredObject(blob, key))
			.switchIfEmpty(Mono.error(() -> new ObjectNotFoundException("No object '" + key + "'", key, null)));
	}

	@Override
	protected Mono<Boolean> doExists(String key) {
		return call(key, () -> this.storage.get(id(key)) != null);
	}

	@Override
	protected Mono<Void> doDelete(String key) {
		return call(key, () -> this.storage.delete(id(key))).flatMap(deleted -> deleted ? Mono.empty()
				: Mono.error(new ObjectNotFoundException("No object '" + key + "'", key, null)));
	}

	@Override
	protected Mono<Void> doDelete(String key, DeleteOptions options) {
		return current(key, options.ifMatch()).flatMap(blob -> call(key, () -> {
			List<BlobSourceOption> match = new ArrayList<>(2);
			match.add(BlobSourceOption.generationMatch(blob.getGeneration()));
			if (blob.getMetageneration() != null) {
				match.add(BlobSourceOption.metagenerationMatch(blob.getMetageneration()));
			}
			return this.storage.delete(id(key), match.toArray(BlobSourceOption[]::new));
		})).flatMap(deleted -> deleted ? Mono.<Void>empty() : Mono.error(etagMismatch(key, null)))
			.onErrorMap(GcsStorage::failedPrecondition, ex -> etagMismatch(key, ex));
	}

	// ---- copy ----

	@Override
	protected Mono<StoredObject> doCopy(String source, String destination) {
		return call(destination, () -> {
			Blob blob = this.storage.get(id(source));
			if (blob == null) {
				throw new ObjectNotFoundException("No object '" + source + "'", source, null);
			}
			// the rewrite takes the target's content type and metadata from this request
			BlobInfo target = BlobInfo.newBuilder(id(destination))
				.setContentType(blob.getContentType())
				.setMetadata(blob.getMetadata())
				.build();
			BlobId from = blob.getGeneration() != null ? BlobId.of(this.bucket, source, blob.getGeneration())
					: id(source);
			CopyRequest.Builder copy = CopyRequest.newBuilder().setSource(from);
			if (this.options.kmsKeyName() != null) {
				copy.setTarget(target, Storage.BlobTargetOption.kmsKeyName(this.options.kmsKeyName()));
			}
			else {
				copy.setTarget(target);
			}
			return this.storage.copy(copy.build())
				.getResult();
		}).map(blob -> toStoredObject(blob, destination)).onErrorMap(ObjectNotFoundException.class, ex -> {
			if (source.equals(ex.getKey())) {
				return ex;
			}
			return new ObjectNotFoundException("No object '" + source + "'", source, ex);
		});
	}

	// ---- list ----

	@Override
	protected Flux<StoredObject> doList(ListOptions options) {
		List<BlobListOption> listOptions = new ArrayList<>();
		if (options.hasLimit()) {
			// one more than the limit: startOffset is inclusive and that entry is skipped
			listOptions.add(BlobListOption.pageSize(Math.min(PAGE_SIZE, options.limit() + 1L)));
		}
		if (!options.prefix().isEmpty()) {
			listOptions.add(BlobListOption.prefix(options.prefix()));
		}
		if (options.delimiter() != null) {
			listOptions.add(BlobListOption.delimiter(options.delimiter()));
		}
		if (options.startAfter() != null && this.options.listStartOffset()) {
			listOptions.add(BlobListOption.startOffset(options.startAfter()));
		}
		BlobListOption[] array = listOptions.toArray(BlobListOption[]::new);
		Mono<Page<Blob>> firstPage = call(null, () -> this.storage.list(this.bucket, array));
		return firstPage
			.expand(page -> page.hasNextPage() ? call(null, page::getNextPage) : Mono.empty())
			.concatMapIterable(Page::getValues)
			.map(blob -> blob.isDirectory() ? StoredObject.ofPrefix(blob.getName()) : toStoredObject(blob, blob.getName()))
			.filter(object -> object.key().startsWith(options.prefix())
					&& Listings.isAfter(object.key(), options.startAfter()));
	}

	// ---- urls ----

	@Override
	protected Mono<URI> doUrl(String key, UrlOptions options) {
		return call(key, () -> {
			ServiceAccountSigner signer = this.options.urlSigner();
			if (signer == null && !(this.storage.getOptions().getCredentials() instanceof ServiceAccountSigner)) {
				throw new UnsupportedStorageOperationException("Mount '" + name()
						+ "' cannot sign URLs: its credentials have no signing key (use a service account key, "
						+ "or application default credentials of a service account)", key, null);
			}
			List<SignUrlOption> signOptions = new ArrayList<>();
			if (signer != null) {
				signOptions.add(SignUrlOption.signWith(signer));
			}
			signOptions.add(SignUrlOption.withV4Signature());
			if (options.method() == UrlOptions.Method.PUT) {
				signOptions.add(SignUrlOption.httpMethod(HttpMethod.PUT));
				Map<String, String> headers = GcsPostPolicies.boundHeaders(options);
				if (!headers.isEmpty()) {
					signOptions.add(SignUrlOption.withExtHeaders(headers));
				}
			}
			else {
				signOptions.add(SignUrlOption.httpMethod(HttpMethod.GET));
			}
			return this.storage
				.signUrl(BlobInfo.newBuilder(id(key)).build(), options.expiry().toSeconds(), TimeUnit.SECONDS,
						signOptions.toArray(SignUrlOption[]::new))
				.toURI();
		});
	}

	@Override
	protected Set<UrlBinding> urlBindings() {
		return GcsPostPolicies.URL_BINDINGS;
	}

	// ---- post policy ----

	/** The client's V4 POST policy ({@link GcsPostPolicies}), signed on the storage's scheduler. */
	@Override
	protected Mono<PostPolicy> doPostPolicy(PostPolicyOptions options) {
		return Mono.defer(() -> {
			GcsPostPolicies.check(options, name());
			return call(options.key(), () -> GcsPostPolicies.sign(this.storage, this.bucket, this.options.urlSigner(),
					options, name()));
		});
	}

	// ---- mapping ----

	static StoredObject toStoredObject(BlobInfo blob, String key) {
		String etag = ETags.opaque(blob.getEtag());
		if (etag == null && blob.getGeneration() != null) {
			etag = Long.toString(blob.getGeneration());
		}
		Instant updated = blob.getUpdateTimeOffsetDateTime() != null ? blob.getUpdateTimeOffsetDateTime().toInstant()
				: null;
		return StoredObject.builder(key)
			.size(blob.getSize() != null ? blob.getSize() : 0)
			.contentType(blob.getContentType() != null ? blob.getContentType() : DEFAULT_CONTENT_TYPE)
			.etag(etag)
			.lastModified(updated)
			.metadata(blob.getMetadata() != null ? Map.copyOf(blob.getMetadata()) : Map.of())
			.checksums(checksumsOf(blob))
			.build();
	}

	/** The checksums GCS keeps: CRC32C of every object, MD5 of those not composed. */
	static Map<String, String> checksumsOf(BlobInfo blob) {
		Map<String, String> checksums = new java.util.LinkedHashMap<>();
		if (blob.getCrc32c() != null) {
			checksums.put(ChecksumAlgorithm.CRC32C.token(), blob.getCrc32c());
		}
		if (blob.getMd5() != null) {
			checksums.put(ChecksumAlgorithm.MD5.token(), blob.getMd5());
		}
		return checksums;
	}

	static Throwable translate(Throwable ex, @Nullable String key) {
		if (ex instanceof StorageException) {
			return ex;
		}
		if (ex instanceof com.google.cloud.storage.StorageException gcs) {
			int code = gcs.getCode();
			if (gcs.getCause() instanceof java.nio.file.FileAlreadyExistsException) {
				// a failed ifGenerationMatch=0 as the in-process LocalStorageHelper reports it
				return new ObjectAlreadyExistsException("Object '" + key + "' already exists", key, ex);
			}
			String message = gcs.getMessage() != null ? gcs.getMessage() : "GCS error " + code;
			if (code == 404) {
				return new ObjectNotFoundException(message, key, ex);
			}
			if (code == 401 || code == 403) {
				return new StoragePermissionException(message, key, ex);
			}
			if (code == 412) {
				return new ObjectAlreadyExistsException("Object '" + key + "' already exists", key, ex);
			}
			if (code == 416) {
				return new InvalidRangeException(message, key, ex);
			}
			if (code >= 500 || code == 0 || code == 408 || code == 429 || gcs.getCause() instanceof IOException) {
				return new StorageConnectionException(message, key, ex);
			}
			return new StorageException(message, key, ex);
		}
		if (ex instanceof IOException || ex instanceof SocketTimeoutException
				|| ex instanceof java.util.concurrent.TimeoutException) {
			return new StorageConnectionException(String.valueOf(ex.getMessage()), key, ex);
		}
		return ex;
	}

}
