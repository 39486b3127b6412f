package io.github.reactivestorage.azure;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.storage.blob.BlobAsyncClient;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.models.BlobDownloadHeaders;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobBeginCopyOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.AbstractReactiveStorage;
import io.github.reactivestorage.Checksum;
import io.github.reactivestorage.ChecksumAlgorithm;
import io.github.reactivestorage.ChecksumMismatchException;
import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.InvalidKeyException;
import io.github.reactivestorage.InvalidMetadataException;
import io.github.reactivestorage.InvalidRangeException;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.ObjectAlreadyExistsException;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StorageConfigurationException;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.StoragePermissionException;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.support.DiscardedBuffers;
import io.github.reactivestorage.support.Listings;
import io.github.reactivestorage.support.HeaderMetadataCodec;
import io.github.reactivestorage.support.ETags;

/**
 * Objects in one Azure Blob Storage container, as block blobs, over the SDK's Reactor-native
 * {@link BlobContainerAsyncClient} (nothing blocks).
 *
 * <ul>
 * <li>{@code put} streams the body as blocks of {@code blockSize} bytes with at most
 * {@code maxConcurrency} blocks in flight (each incoming buffer is copied and released at once), and
 * commits the block list only when the body completes: a body error or a cancel commits nothing and
 * leaves a previous version intact (uploaded but uncommitted blocks are discarded by Azure after a
 * week). Bodies smaller than one block go up in a single request. Create-only puts send
 * {@code If-None-Match: *}; conditional puts ({@code ifMatch}) send {@code If-Match} on the single
 * upload or on the Put Block List that commits the blocks, which Azure checks atomically (a body that
 * may take blocks first asks for the properties, so that no block is sent for an etag that already
 * differs). Conditional deletes send {@code If-Match} on the Delete Blob.</li>
 * <li>Metadata keys must be C# identifiers (portable keys {@code [a-z][a-z0-9_]{0,63}} are); others
 * are rejected with {@link InvalidMetadataException}. Values travel as ASCII headers: values that are
 * not plain printable ASCII are stored as RFC 2047 encoded words {@code =?UTF-8?B?...?=} and decoded
 * transparently.</li>
 * <li>{@code copy} is a server-side Copy Blob within the account (polled until done), keeping content
 * type and metadata; {@code move} is copy then delete.</li>
 * <li>{@code url} gives service SAS URLs; they need a shared key credential (connection string with
 * an account key, or account name and key). A PUT URL needs the uploader to send
 * {@code x-ms-blob-type: BlockBlob}.</li>
 * <li>Listings are sorted client-side per page into UTF-8 byte order.</li>
 * </ul>
 */
public class AzureBlobStorage extends AbstractReactiveStorage {

	private static final Set<StorageCapability> CAPABILITIES = EnumSet.of(StorageCapability.WRITE,
			StorageCapability.LIST, StorageCapability.DELIMITER_LIST, StorageCapability.RANGE_READ,
			StorageCapability.CONDITIONAL_PUT, StorageCapability.CONDITIONAL_WRITE, StorageCapability.SERVER_SIDE_COPY,
			StorageCapability.URL_GET, StorageCapability.URL_PUT, StorageCapability.USER_METADATA, StorageCapability.CHECKSUMS);

	private static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private static final Duration COPY_POLL_INTERVAL = Duration.ofMillis(500);

	private static final Duration COPY_SOURCE_SAS_EXPIRY = Duration.ofHours(1);

	private static final Duration MAX_URL_EXPIRY = Duration.ofDays(7);

	private static final int PAGE_SIZE = 1000;

	private final BlobContainerAsyncClient container;

	private final long blockSize;

	private final int maxConcurrency;

	private final boolean createContainer;

	private final Mono<Void> containerReady;

	private final @Nullable String encryptionScope;

	/**
	 * A mount over the container client with default upload tuning, not creating the container.
	 */
	public AzureBlobStorage(String name, BlobContainerAsyncClient container, DataBufferFactory bufferFactory) {
		this(name, container, bufferFactory, AzureBlobSettings.DEFAULT_BLOCK_SIZE,
				AzureBlobSettings.DEFAULT_MAX_CONCURRENCY, false);
	}

	/**
	 * @param name the mount name
	 * @param container the container client
	 * @param bufferFactory the factory of the buffers {@code get} emits
	 * @param blockSize the block size of streamed uploads, in bytes
	 * @param maxConcurrency the most blocks of one upload in flight
	 * @param createContainer whether the first write creates the container when it does not exist
	 */
	public AzureBlobStorage(String name, BlobContainerAsyncClient container, DataBufferFactory bufferFactory,
			long blockSize, int maxConcurrency, boolean createContainer) {
		this(name, container, bufferFactory, blockSize, maxConcurrency, createContainer, null);
	}

	/**
	 * A mount whose uploads and copies are encrypted with an encryption scope of the account.
	 * @param encryptionScope the scope's name ({@code x-ms-encryption-scope} on every write), or
	 * {@code null} for the container's default
	 */
	public AzureBlobStorage(String name, BlobContainerAsyncClient container, DataBufferFactory bufferFactory,
			long blockSize, int maxConcurrency, boolean createContainer, @Nullable String encryptionScope) {
		super(name, bufferFactory);
		this.encryptionScope = (encryptionScope != null && !encryptionScope.isBlank()) ? encryptionScope : null;
		if (blockSize <= 0 || maxConcurrency <= 0) {
			throw new IllegalArgumentException("blockSize and maxConcurrency must be positive");
		}
		this.container = container;
		this.blockSize = blockSize;
		this.maxConcurrency = maxConcurrency;
		this.createContainer = createContainer;
		this.containerReady = createContainer
				? Mono.defer(container::createIfNotExists)
					.then()
					.onErrorMap(ex -> translate(ex, null))
					.cache(value -> Duration.ofMillis(Long.MAX_VALUE), ex -> Duration.ZERO,
							() -> Duration.ofMillis(Long.MAX_VALUE))
				: Mono.empty();
	}

	@Override
	public Set<StorageCapability> capabilities() {
		if (this.encryptionScope != null) {
			Set<StorageCapability> scoped = EnumSet.copyOf(CAPABILITIES);
			scoped.remove(StorageCapability.SERVER_SIDE_COPY);
			return scoped;
		}
		return CAPABILITIES;
	}

	/** The container client. */
	public BlobContainerAsyncClient containerClient() {
		return this.container;
	}

	@Override
	public <T> T unwrap(Class<T> type) {
		if (type.isInstance(this.container)) {
			return type.cast(this.container);
		}
		return super.unwrap(type);
	}

	@Override
	protected void validateMetadata(Map<String, String> metadata) {
		for (String key : metadata.keySet()) {
			if (!METADATA_KEY.matcher(key).matches()) {
				throw new InvalidMetadataException("Metadata key '" + key
						+ "' cannot be stored by Azure, which needs C# identifiers: use keys matching [a-z][a-z0-9_]{0,63}");
			}
		}
	}

	// ---- put ----

	@Override
	protected Mono<StoredObject> doPut(String key, Publisher<DataBuffer> body, PutOptions options) {
		if (options.ifMatch() == null) {
			return upload(key, body, options);
		}
		String header = ETags.strong(options.ifMatch());
		if (header == null) {
			return Mono.error(etagMismatch(key, null));
		}
		Mono<StoredObject> upload = upload(key, body, options)
			.onErrorMap(this::failedPrecondition, ex -> etagMismatch(key, ex.getCause()));
		if (options.contentLength() >= 0 && options.contentLength() <= this.blockSize) {
			return upload;
		}
		// a body that may go up in blocks is not sent for an etag that already differs
		return blob(key).getProperties()
			.onErrorMap(ex -> translate(ex, key))
			.onErrorMap(this::failedPrecondition, ex -> etagMismatch(key, ex.getCause()))
			.filter(properties -> options.ifMatch().equals(ETags.opaque(properties.getETag())))
			.switchIfEmpty(Mono.error(() -> etagMismatch(key, null)))
			.then(upload);
	}

	private Mono<StoredObject> upload(String key, Publisher<DataBuffer> body, PutOptions options) {
		return Mono.defer(() -> {
			AtomicLong size = new AtomicLong();
			AtomicReference<@Nullable Throwable> bodyError = new AtomicReference<>();
			long expected = options.contentLength();
			Flux<ByteBuffer> data = Flux.from(body).map(buffer -> {
				try {
					int count = buffer.readableByteCount();
					byte[] bytes = new byte[count];
					buffer.read(bytes);
					long total = size.addAndGet(count);
					if (expected >= 0 && total > expected) {
						throw new StorageException("Body has more bytes than the content length given, " + expected,
								key, null);
					}
					return ByteBuffer.wrap(bytes);
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			}).concatWith(Mono.defer(() -> {
				if (expected >= 0 && size.get() != expected) {
					return Mono.error(new StorageException("Body has " + size.get()
							+ " bytes but the content length given was " + expected, key, null));
				}
				return Mono.empty();
			})).doOnError(bodyError::set).contextWrite(DiscardedBuffers.releasedOnce());
			BlobRequestConditions conditions = new BlobRequestConditions();
			if (options.createOnly()) {
				conditions.setIfNoneMatch("*");
			}
			if (options.ifMatch() != null) {
				conditions.setIfMatch(ETags.strong(options.ifMatch()));
			}
			ParallelTransferOptions transfer = new ParallelTransferOptions().setBlockSizeLong(this.blockSize)
				.setMaxSingleUploadSizeLong(this.blockSize)
				.setMaxConcurrency(this.maxConcurrency);
			BlobParallelUploadOptions upload = new BlobParallelUploadOptions(data).setParallelTransferOptions(transfer)
				.setHeaders(new BlobHttpHeaders().setContentType(options.contentType()).setContentMd5(expectedMd5(options)))
				.setMetadata(HeaderMetadataCodec.encode(options.metadata()))
				.setRequestConditions(conditions);
			BlobAsyncClient blob = blob(key);
			return this.containerReady.then(blob.uploadWithResponse(upload))
				.map(response -> StoredObject.builder(key)
					.size(size.get())
					.contentType(options.contentType())
					.etag(ETags.opaque(response.getValue().getETag()))
					.lastModified(instant(response.getValue().getLastModified()))
					.metadata(options.metadata())
					.build())
				.onErrorMap(ex -> {
					Throwable fromBody = bodyError.get();
					return (fromBody != null) ? fromBody : translate(ex, key);
				});
		});
	}

	// ---- get ----

	@Override
	protected Flux<DataBuffer> doGet(String key, @Nullable ByteRange range) {
		BlobAsyncClient blob = blob(key);
		if (range == null) {
			return download(blob, key, null, null);
		}
		// one download checked against its own headers (a suffix: properties first; see AzureBlobReads)
		return doRead(key, range).flatMapMany(StoredContent::content);
	}

	/** One download whose headers describe its body (a suffix range: properties first); see {@link AzureBlobReads}. */
	@Override
	protected Mono<StoredContent> doRead(String key, @Nullable ByteRange range) {
		return new AzureBlobReads(bufferFactory()).read(blob(key), key, range);
	}

	private Flux<DataBuffer> download(BlobAsyncClient blob, String key, @Nullable BlobRange range,
			@Nullable BlobRequestConditions conditions) {
		return blob.downloadStreamWithResponse(range, null, conditions, false)
			.onErrorMap(ex -> translate(ex, key))
			.flatMapMany(response -> {
				if (range != null && !isSatisfiable(range, response.getDeserializedHeaders())) {
					// Drain the (empty) body so the connection goes back to the pool.
					return response.getValue().onErrorResume(ex -> Mono.empty()).thenMany(Flux.error(
							new InvalidRangeException("Range start " + range.getOffset() + " is not before the object's size",
									key, null)));
				}
				return response.getValue().onErrorMap(ex -> translate(ex, key));
			})
			.map(this::toDataBuffer);
	}

	/**
	 * Whether the range starts inside the object (Azure answers 416 otherwise; Azurite answers an
	 * empty 206, so the size in {@code Content-Range} is checked too).
	 */
	private static boolean isSatisfiable(BlobRange range, BlobDownloadHeaders headers) {
		String contentRange = headers.getContentRange();
		if (contentRange == null) {
			return true;
		}
		int slash = contentRange.lastIndexOf('/');
		if (slash < 0 || contentRange.endsWith("*")) {
			return true;
		}
		try {
			long size = Long.parseLong(contentRange.substring(slash + 1).trim());
			return range.getOffset() < size;
		}
		catch (NumberFormatException ex) {
			return true;
		}
	}

	private DataBuffer toDataBuffer(ByteBuffer bytes) {
		DataBuffer buffer = bufferFactory().allocateBuffer(bytes.remaining());
		buffer.write(bytes);
		return buffer;
	}

	// ---- info, exists, delete ----

	@Override
	protected Mono<StoredObject> doInfo(String key) {
		return blob(key).getProperties().map(properties -> toStoredObject(key, properties))
			.onErrorMap(ex -> translate(ex, key));
	}

	/**
	 * The expected MD5 as the blob's {@code Content-MD5} property, stored with it (Azure verifies a
	 * transactional MD5 only per request; the library has verified the whole content before the commit).
	 */
	private static byte @Nullable [] expectedMd5(PutOptions options) {
		Checksum checksum = options.checksum();
		if (checksum == null || checksum.algorithm() != ChecksumAlgorithm.MD5 || checksum.expected() == null) {
			return null;
		}
		return java.util.Base64.getDecoder().decode(checksum.expected());
	}

	private static StoredObject toStoredObject(String key, BlobProperties properties) {
		return StoredObject.builder(key)
			.size(properties.getBlobSize())
			.contentType(properties.getContentType())
			.etag(ETags.opaque(properties.getETag()))
			.lastModified(instant(properties.getLastModified()))
			.metadata(HeaderMetadataCodec.decode(properties.getMetadata()))
			.checksums((properties.getContentMd5() != null) ? Map.of(ChecksumAlgorithm.MD5.token(),
					java.util.Base64.getEncoder().encodeToString(properties.getContentMd5())) : Map.of())
			.build();
	}

	@Override
	protected Mono<Boolean> doExists(String key) {
		return blob(key).exists().onErrorMap(ex -> translate(ex, key));
	}

	@Override
	protected Mono<Void> doDelete(String key) {
		return blob(key).delete().onErrorMap(ex -> translate(ex, key));
	}

	@Override
	protected Mono<Void> doDelete(String key, DeleteOptions options) {
		String header = ETags.strong(options.ifMatch());
		if (header == null) {
			return Mono.error(etagMismatch(key, null));
		}
		return blob(key).deleteWithResponse(null, new BlobRequestConditions().setIfMatch(header))
			.onErrorMap(ex -> translate(ex, key))
			.onErrorMap(this::failedPrecondition, ex -> etagMismatch(key, ex.getCause()))
			.then();
	}

	/**
	 * A conditional write's 412, or the 404 of a blob that does not exist; a missing container too when
	 * the mount creates it on the first write (then it only means that no object exists yet).
	 */
	private boolean failedPrecondition(Throwable ex) {
		return ex instanceof PreconditionFailedException || (ex instanceof ObjectNotFoundException
				&& (this.createContainer || !isContainerNotFound(ex.getCause())));
	}

	private static PreconditionFailedException etagMismatch(String key, @Nullable Throwable cause) {
		return new PreconditionFailedException("No object with the etag the write was conditional on", key, cause);
	}

	// ---- list ----

	@Override
	protected Flux<StoredObject> doList(ListOptions options) {
		return Flux.defer(() -> {
			ListBlobsOptions list = new ListBlobsOptions().setPrefix(options.prefix().isEmpty() ? null : options.prefix())
				.setDetails(new BlobListDetails().setRetrieveMetadata(true))
				.setMaxResultsPerPage(PAGE_SIZE);
			Flux<List<BlobItem>> pages = (options.delimiter() != null)
					? this.container.listBlobsByHierarchy(options.delimiter(), list).byPage().map(page -> page.getValue())
					: this.container.listBlobs(list).byPage().map(page -> page.getValue());
			Flux<StoredObject> sorted = pages.concatMap(page -> Flux.fromIterable(sortedPage(page)), 0)
				.onErrorResume(AzureBlobStorage::isContainerNotFound, this::missingContainer)
				.onErrorMap(ex -> translate(ex, null));
			return Listings.apply(sorted, options);
		});
	}

	private static boolean isContainerNotFound(Throwable ex) {
		return ex instanceof BlobStorageException blob && BlobErrorCode.CONTAINER_NOT_FOUND.equals(blob.getErrorCode());
	}

	/** A missing container lists empty when it is created on demand, else is a configuration error. */
	private Flux<StoredObject> missingContainer(Throwable ex) {
		if (this.createContainer) {
			return Flux.empty();
		}
		return Flux.error(new StorageConfigurationException("Container '" + this.container.getBlobContainerName()
				+ "' does not exist (set create-container to create it on the first write)", null, ex));
	}

	private static List<StoredObject> sortedPage(List<BlobItem> items) {
		List<StoredObject> objects = new ArrayList<>(items.size());
		for (BlobItem item : items) {
			objects.add(toStoredObject(item));
		}
		objects.sort((a, b) -> StorageKeys.ORDER.compare(a.key(), b.key()));
		return objects;
	}

	private static StoredObject toStoredObject(BlobItem item) {
		if (Boolean.TRUE.equals(item.isPrefix())) {
			return StoredObject.ofPrefix(item.getName());
		}
		BlobItemProperties properties = item.getProperties();
		StoredObject.Builder builder = StoredObject.builder(item.getName())
			.metadata(HeaderMetadataCodec.decode(item.getMetadata()));
		if (properties != null) {
			Long length = properties.getContentLength();
			builder.size((length != null) ? length : 0)
				.contentType(properties.getContentType())
				.etag(ETags.opaque(properties.getETag()))
				.lastModified(instant(properties.getLastModified()));
		}
		return builder.build();
	}

	// ---- url ----

	/**
	 * Seven days, as S3 and GCS: Azure caps a user delegation SAS at seven days and sets no limit on
	 * a service SAS signed with the account key, whose leak cannot be revoked short of rotating the
	 * key; a link that lives longer than a week is a stored access policy's job, not this API's.
	 */
	@Override
	protected @Nullable Duration maxUrlExpiry() {
		return MAX_URL_EXPIRY;
	}

	@Override
	protected Mono<URI> doUrl(String key, UrlOptions options) {
		return Mono.fromCallable(() -> {
			if (options.method() == UrlOptions.Method.PUT && this.encryptionScope != null) {
				// a SAS cannot make the uploader's request carry the scope: the blob would land in the default
				throw new UnsupportedStorageOperationException("Mount '" + name()
						+ "' encrypts with an encryption scope, which PUT URLs cannot carry", key, null);
			}
			BlobSasPermission permission = new BlobSasPermission();
			if (options.method() == UrlOptions.Method.PUT) {
				permission.setCreatePermission(true).setWritePermission(true);
			}
			else {
				permission.setReadPermission(true);
			}
			BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(
					OffsetDateTime.now().plus(options.expiry()), permission);
			if (options.method() == UrlOptions.Method.GET && options.contentType() != null) {
				values.setContentType(options.contentType());
			}
			BlobAsyncClient blob = blob(key);
			return URI.create(blob.getBlobUrl() + "?" + sign(blob, values, key));
		});
	}

	private static String sign(BlobAsyncClient blob, BlobServiceSasSignatureValues values, String key) {
		try {
			return blob.generateSas(values);
		}
		catch (RuntimeException ex) {
			throw new UnsupportedStorageOperationException("Signed URLs need a shared key credential (a connection "
					+ "string with an account key, or account-name and account-key)", key, ex);
		}
	}

	// ---- copy ----

	@Override
	protected Mono<StoredObject> doCopy(String source, String destination) {
		if (this.encryptionScope != null) {
			// the SDK's Copy Blob does not send x-ms-encryption-scope, so a server-side copy would land in
			// the container's default scope: stream it through the scoped upload instead
			return super.doCopy(source, destination);
		}
		BlobAsyncClient from = blob(source);
		BlobAsyncClient to = blob(destination);
		return from.getProperties().onErrorMap(ex -> translate(ex, source)).flatMap(properties -> {
			BlobBeginCopyOptions copy = new BlobBeginCopyOptions(sourceUrl(from))
				.setMetadata(properties.getMetadata())
				.setPollInterval(COPY_POLL_INTERVAL);
			return this.containerReady.then(to.beginCopy(copy)
				.takeUntil(response -> response.getStatus().isComplete())
				.last()
				.flatMap(response -> {
					if (response.getStatus() != LongRunningOperationStatus.SUCCESSFULLY_COMPLETED) {
						return Mono.error(new StorageException(
								"Copy to '" + destination + "' ended " + response.getStatus(), source, null));
					}
					return to.getProperties();
				})
				.flatMap(copied -> keepHeaders(to, properties, copied))
				.map(copied -> toStoredObject(destination, copied))
				.onErrorMap(ex -> translate(ex, destination)));
		});
	}

	/** Set the content type (and other headers) again if the copy did not keep them. */
	private static Mono<BlobProperties> keepHeaders(BlobAsyncClient to, BlobProperties source,
			BlobProperties copied) {
		if (java.util.Objects.equals(source.getContentType(), copied.getContentType())) {
			return Mono.just(copied);
		}
		BlobHttpHeaders headers = new BlobHttpHeaders().setContentType(source.getContentType())
			.setContentEncoding(source.getContentEncoding())
			.setContentDisposition(source.getContentDisposition())
			.setContentLanguage(source.getContentLanguage())
			.setCacheControl(source.getCacheControl());
		return to.setHttpHeaders(headers).then(to.getProperties());
	}

	private String sourceUrl(BlobAsyncClient from) {
		try {
			BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(
					OffsetDateTime.now().plus(COPY_SOURCE_SAS_EXPIRY), new BlobSasPermission().setReadPermission(true));
			return from.getBlobUrl() + "?" + from.generateSas(values);
		}
		catch (RuntimeException ex) {
			// No shared key: within the account the copy is authorised by the request's own credential.
			return from.getBlobUrl();
		}
	}

	// ---- helpers ----

	/**
	 * The blob of a key. Azure stores a backslash in a blob name as a forward slash, so keys holding
	 * one are rejected rather than silently aliased to another key.
	 */
	private BlobAsyncClient blob(String key) {
		if (key.indexOf('\\') >= 0) {
			throw new InvalidKeyException("Azure Blob Storage stores '\\' in a key as '/': keys must not contain "
					+ "a backslash", key, null);
		}
		BlobAsyncClient blob = this.container.getBlobAsyncClient(key);
		return (this.encryptionScope != null) ? blob.getEncryptionScopeAsyncClient(this.encryptionScope) : blob;
	}

	private static java.time.@Nullable Instant instant(@Nullable OffsetDateTime time) {
		return (time != null) ? time.toInstant() : null;
	}

	/**
	 * Map an SDK error to the contract's exceptions, keeping it as the cause.
	 */
	static Throwable translate(Throwable ex, @Nullable String key) {
		if (ex instanceof StorageException) {
			return ex;
		}
		if (ex instanceof BlobStorageException blob) {
			int status = blob.getStatusCode();
			BlobErrorCode code = blob.getErrorCode();
			String message = "Azure: " + status + ((code != null) ? " " + code : "");
			if (status == 404) {
				return new ObjectNotFoundException("No object under the key (" + message + ")", key, ex);
			}
			if (status == 403 || status == 401) {
				return new StoragePermissionException("Access denied (" + message + ")", key, ex);
			}
			if (status == 412 || (status == 409 && BlobErrorCode.BLOB_ALREADY_EXISTS.equals(code))) {
				return new ObjectAlreadyExistsException("An object already exists (" + message + ")", key, ex);
			}
			if (status == 416) {
				return new InvalidRangeException("The range is unsatisfiable (" + message + ")", key, ex);
			}
			if (BlobErrorCode.MD5MISMATCH.equals(code) || BlobErrorCode.INVALID_MD5.equals(code)) {
				return new ChecksumMismatchException("Azure found the content damaged (" + message + "); nothing was stored",
						key, ex);
			}
			if (status >= 500 || status == 408) {
				return new StorageConnectionException("Azure Blob Storage is unavailable (" + message + ")", key, ex);
			}
			return new StorageException("Azure Blob Storage refused the request (" + message + ")", key, ex);
		}
		if (isConnectionProblem(ex)) {
			return new StorageConnectionException("Cannot reach Azure Blob Storage: " + ex.getMessage(), key, ex);
		}
		return new StorageException("Azure Blob Storage failed: " + ex.getMessage(), key, ex);
	}

	private static boolean isConnectionProblem(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException || cause instanceof TimeoutException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

}
