package io.github.reactivestorage.s3;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetUrlRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.AbstractReactiveStorage;
import io.github.reactivestorage.Checksum;
import io.github.reactivestorage.ChecksumAlgorithm;
import io.github.reactivestorage.ChecksumMismatchException;
import io.github.reactivestorage.Checksums;
import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.InvalidMetadataException;
import io.github.reactivestorage.InvalidRangeException;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.ObjectAlreadyExistsException;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.StoragePermissionException;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlBinding;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.PostPolicy;
import io.github.reactivestorage.PostPolicyOptions;
import io.github.reactivestorage.support.Listings;
import io.github.reactivestorage.support.HeaderMetadataCodec;
import io.github.reactivestorage.support.ETags;

/**
 * Objects in an S3 bucket through the AWS SDK v2 {@link S3AsyncClient} (non-blocking) and
 * {@link S3Presigner}.
 *
 * <ul>
 * <li>{@code put} cuts the body into parts of {@code partSize} as it arrives: a body that fits in one
 * part below {@code multipartThreshold} is sent as one PutObject; any other body (including every body
 * of unknown length past one part) becomes a multipart upload with at most {@code maxPartsInFlight}
 * parts uploading at once, so memory stays near {@code partSize × (maxPartsInFlight + 2)} whatever the
 * object's size. A failed or cancelled upload is aborted: no parts are left behind and no object
 * appears. Create-only puts send {@code If-None-Match: *}; conditional puts ({@code ifMatch}) send
 * {@code If-Match} on the PutObject or on the CompleteMultipartUpload (checked atomically by S3 when
 * the object is published), after a HEAD that fails a multipart upload early, before any part is
 * sent, when the etag already differs.</li>
 * <li>Ranged reads ask HEAD for the size, resolve the range by the contract's rules and read with
 * {@code If-Match} on the etag, so the bytes belong to one version.</li>
 * <li>{@code delete} checks existence first (S3 answers a delete of a missing key with success);
 * a conditional delete then sends {@code If-Match} on the DeleteObject.</li>
 * <li>Listings page lazily through ListObjectsV2 continuation tokens (1,000 keys a page).</li>
 * <li>Metadata values are encoded for ASCII-only headers ({@link io.github.reactivestorage.support.HeaderMetadataCodec}); keys must be
 * lower case (S3 lower-cases them).</li>
 * <li>{@code copy} is server-side (CopyObject, or UploadPartCopy parts above 5 GiB), keeping content
 * type and metadata; {@code url} presigns GET and PUT for up to 7 days (SigV4's limit).</li>
 * </ul>
 */
public class S3Storage extends AbstractReactiveStorage {

	/** The largest object CopyObject copies in one request. */
	static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;

	/** Part size of multipart copies. */
	static final long COPY_PART_SIZE = 512L * 1024 * 1024;

	private static final Duration MAX_URL_EXPIRY = Duration.ofDays(7);

	private final S3AsyncClient client;

	private final @Nullable S3Presigner presigner;

	private final String bucket;

	private final S3StorageOptions options;

	private final @Nullable AutoCloseable onClose;

	/**
	 * @param name the mount name
	 * @param client the client
	 * @param presigner the presigner, or {@code null} when URLs cannot be signed (anonymous access)
	 * @param bucket the bucket
	 * @param options part sizes and parallelism
	 * @param bufferFactory the factory of the buffers {@code get} emits
	 * @param onClose closed with this storage (the clients it owns), or {@code null}
	 */
	public S3Storage(String name, S3AsyncClient client, @Nullable S3Presigner presigner, String bucket,
			S3StorageOptions options, DataBufferFactory bufferFactory, @Nullable AutoCloseable onClose) {
		super(name, bufferFactory);
		this.client = client;
		this.presigner = presigner;
		this.bucket = bucket;
		this.options = options;
		this.onClose = onClose;
	}

	@Override
	public Set<StorageCapability> capabilities() {
		Set<StorageCapability> capabilities = EnumSet.of(StorageCapability.WRITE, StorageCapability.LIST,
				StorageCapability.DELIMITER_LIST, StorageCapability.RANGE_READ, StorageCapability.CONDITIONAL_PUT,
				StorageCapability.CONDITIONAL_WRITE, StorageCapability.SERVER_SIDE_COPY, StorageCapability.URL_GET,
				StorageCapability.USER_METADATA, StorageCapability.CHECKSUMS);
		if (this.presigner != null) {
			capabilities.add(StorageCapability.URL_PUT);
			capabilities.add(StorageCapability.POST_POLICY);
		}
		return capabilities;
	}

	/** The bucket. */
	public String getBucket() {
		return this.bucket;
	}

	@Override
	public <T> T unwrap(Class<T> type) {
		if (type.isInstance(this.client)) {
			return type.cast(this.client);
		}
		if (this.presigner != null && type.isInstance(this.presigner)) {
			return type.cast(this.presigner);
		}
		return super.unwrap(type);
	}

	@Override
	protected @Nullable Duration maxUrlExpiry() {
		return MAX_URL_EXPIRY;
	}

	@Override
	protected void validateMetadata(Map<String, String> metadata) {
		for (String key : metadata.keySet()) {
			for (int i = 0; i < key.length(); i++) {
				char c = key.charAt(i);
				if (Character.isUpperCase(c)) {
					throw new InvalidMetadataException("Metadata key '" + key
							+ "' has upper-case letters, which S3 lower-cases: use lower-case keys");
				}
			}
		}
	}

	// ---- put ----

	@Override
	protected Mono<StoredObject> doPut(String key, Publisher<DataBuffer> body, PutOptions options) {
		if (options.ifMatch() != null && ETags.strong(options.ifMatch()) == null) {
			return Mono.error(etagMismatch(key, null));
		}
		Map<String, String> metadata = HeaderMetadataCodec.encode(options.metadata());
		AtomicLong total = new AtomicLong();
		Flux<Part> parts = Parts.cut(Flux.from(body), this.options.partSize(), total);
		return parts.switchOnFirst((first, all) -> {
			if (first.hasValue() && first.get().last() && first.get().length() < this.options.multipartThreshold()) {
				return all.next().flatMap(part -> putSingle(key, part, options, metadata));
			}
			if (!first.hasValue() && first.isOnComplete()) {
				return putSingle(key, new Part(0, List.of(), 0, true), options, metadata);
			}
			if (first.isOnError()) {
				return all.then(Mono.empty());
			}
			return putMultipart(key, all, options, metadata, total);
		}).next().flatMap(object -> {
			if (options.contentLength() >= 0 && options.contentLength() != object.size()) {
				return Mono.error(new StorageException("Body had " + object.size()
						+ " bytes but the content length given was " + options.contentLength() + "; the object was stored",
						key, null));
			}
			return Mono.just(object);
		});
	}

	private Mono<StoredObject> putSingle(String key, Part content, PutOptions options, Map<String, String> metadata) {
		if (options.contentLength() >= 0 && options.contentLength() != content.length()) {
			return Mono.error(new StorageException("Body has " + content.length()
					+ " bytes but the content length given was " + options.contentLength(), key, null));
		}
		PutObjectRequest.Builder request = PutObjectRequest.builder()
			.bucket(this.bucket)
			.key(key)
			.contentType(options.contentType())
			.contentLength((long) content.length())
			.metadata(metadata)
			.applyMutation(this.options.encryption()::put)
			.applyMutation(put -> nativeChecksum(put, options));
		if (options.createOnly()) {
			request.ifNoneMatch("*");
		}
		if (options.ifMatch() != null) {
			request.ifMatch(ETags.strong(options.ifMatch()));
		}
		return conditional(call(key, Operation.PUT,
				() -> this.client.putObject(request.build(), content.body())), key, options)
			.map(response -> StoredObject.builder(key)
				.size(content.length())
				.contentType(options.contentType())
				.etag(ETags.opaque(response.eTag()))
				.lastModified(Instant.now())
				.metadata(options.metadata())
				.build());
	}

	private Mono<StoredObject> putMultipart(String key, Flux<Part> parts, PutOptions options,
			Map<String, String> metadata, AtomicLong total) {
		S3MultipartUpload upload = new S3MultipartUpload(this.client, this.bucket, key);
		Mono<String> create = call(key, Operation.PUT, () -> upload.create(() -> this.client.createMultipartUpload(request -> request
			.bucket(this.bucket)
			.key(key)
			.contentType(options.contentType())
			.metadata(metadata)
			.applyMutation(this.options.encryption()::createUpload)
			.applyMutation(builder -> {
				if (fullObjectCrc32c(options) != null) {
					builder.checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32_C)
						.checksumType(ChecksumType.FULL_OBJECT);
				}
			})))).map(response -> response.uploadId());
		if (options.ifMatch() != null) {
			// no part is sent for an etag that already differs; S3 checks again when completing
			create = head(key).onErrorMap(ObjectNotFoundException.class, ex -> etagMismatch(key, ex))
				.filter(head -> options.ifMatch().equals(ETags.opaque(head.eTag())))
				.switchIfEmpty(Mono.error(() -> etagMismatch(key, null)))
				.then(create);
		}
		return aborting(upload, create.flatMap(uploadId -> parts
			.flatMapSequential(part -> uploadPart(key, uploadId, part, upload, fullObjectCrc32c(options) != null),
					this.options.maxPartsInFlight(), 1)
			.collectList()
			.flatMap(completed -> complete(key, uploadId, completed, options, upload))
			.map(etag -> StoredObject.builder(key)
				.size(total.get())
				.contentType(options.contentType())
				.etag(etag)
				.lastModified(Instant.now())
				.metadata(options.metadata())
				.build())));
	}

	/**
	 * The upload, aborted when it fails (the error follows the abort) or is cancelled (the abort
	 * runs on its own), each time once its requests in flight have settled ({@link S3MultipartUpload}).
	 */
	private static <T> Mono<T> aborting(S3MultipartUpload upload, Mono<T> transfer) {
		return transfer.onErrorResume(ex -> upload.abort().then(Mono.error(ex)))
			.doOnCancel(() -> upload.abort().subscribe());
	}

	/**
	 * Upload one part; with {@code crc32c}, with the part's CRC32C for S3 to verify (a full-object
	 * CRC32C upload needs one on every part).
	 */
	private Mono<CompletedPart> uploadPart(String key, String uploadId, Part part, S3MultipartUpload upload,
			boolean crc32c) {
		int number = part.index() + 1;
		String partCrc = crc32c ? part.crc32c() : null;
		return call(key, Operation.PUT, () -> upload.start(() -> this.client.uploadPart(request -> request.bucket(this.bucket)
			.key(key)
			.uploadId(uploadId)
			.partNumber(number)
			.contentLength((long) part.length())
			.checksumCRC32C(partCrc)
			.applyMutation(this.options.encryption()::part), part.body())))
			.map(response -> CompletedPart.builder().partNumber(number).eTag(response.eTag()).checksumCRC32C(partCrc).build());
	}

	/**
	 * The expected CRC32C of a put, sent as a full-object checksum of a multipart upload that S3 verifies
	 * when completing it, or {@code null}. (SHA-256 and MD5 have no full-object form in multipart uploads:
	 * only the library verifies those.)
	 */
	private static @Nullable String fullObjectCrc32c(PutOptions options) {
		Checksum checksum = options.checksum();
		return (checksum != null && checksum.algorithm() == ChecksumAlgorithm.CRC32C) ? checksum.expected() : null;
	}

	private Mono<String> complete(String key, String uploadId, List<CompletedPart> parts, PutOptions options,
			S3MultipartUpload upload) {
		CompleteMultipartUploadRequest.Builder request = CompleteMultipartUploadRequest.builder()
			.bucket(this.bucket)
			.key(key)
			.uploadId(uploadId)
			.multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())
			.applyMutation(this.options.encryption()::complete);
		if (fullObjectCrc32c(options) != null) {
			request.checksumCRC32C(fullObjectCrc32c(options)).checksumType(ChecksumType.FULL_OBJECT);
		}
		if (options.createOnly()) {
			request.ifNoneMatch("*");
		}
		if (options.ifMatch() != null) {
			request.ifMatch(ETags.strong(options.ifMatch()));
		}
		return conditional(call(key, Operation.PUT,
				() -> upload.complete(() -> this.client.completeMultipartUpload(request.build()))), key, options)
			.map(response -> ETags.opaque(response.eTag()));
	}

	// ---- get, info, exists, delete ----

	@Override
	protected Flux<DataBuffer> doGet(String key, @Nullable ByteRange range) {
		if (range == null) {
			return read(key, GetObjectRequest.builder()
				.bucket(this.bucket)
				.key(key)
				.applyMutation(this.options.encryption()::get)
				.build());
		}
		return doRead(key, range).flatMapMany(StoredContent::content);
	}

	/** One {@code GetObject}: its headers describe the bytes of its body (see {@link S3Reads}). */
	@Override
	protected Mono<StoredContent> doRead(String key, @Nullable ByteRange range) {
		return new S3Reads(this.client, this.bucket, bufferFactory(), this.options.encryption()).read(key, range);
	}

	private Flux<DataBuffer> read(String key, GetObjectRequest request) {
		return call(key, Operation.GET,
				() -> this.client.getObject(request, AsyncResponseTransformer.toPublisher()))
			.flatMapMany(publisher -> Flux.from(publisher).map(this::toDataBuffer))
			.onErrorMap(ex -> !(ex instanceof StorageException), ex -> translate(ex, key, Operation.GET));
	}

	private DataBuffer toDataBuffer(ByteBuffer byteBuffer) {
		DataBuffer buffer = bufferFactory().allocateBuffer(byteBuffer.remaining());
		buffer.write(byteBuffer);
		return buffer;
	}

	@Override
	protected Mono<StoredObject> doInfo(String key) {
		return head(key).map(head -> StoredObject.builder(key)
			.size(head.contentLength())
			.contentType(head.contentType())
			.etag(ETags.opaque(head.eTag()))
			.lastModified(head.lastModified())
			.metadata(HeaderMetadataCodec.decode(head.metadata()))
			.checksums(checksumsOf(head))
			.build());
	}

	/** The full-object checksums S3 reports (stored by a put that sent them natively). */
	static Map<String, String> checksumsOf(HeadObjectResponse head) {
		return checksumsOf(head.checksumSHA256(), head.checksumCRC32C());
	}

	/** The full-object checksums of S3's response headers, keyed by algorithm token. */
	static Map<String, String> checksumsOf(@Nullable String sha256, @Nullable String crc32c) {
		Map<String, String> checksums = new java.util.LinkedHashMap<>();
		// a multipart object's composite checksum ("…-3") is not a checksum of the content
		if (sha256 != null && !sha256.contains("-")) {
			checksums.put(ChecksumAlgorithm.SHA_256.token(), sha256);
		}
		if (crc32c != null && !crc32c.contains("-")) {
			checksums.put(ChecksumAlgorithm.CRC32C.token(), crc32c);
		}
		return checksums;
	}

	/**
	 * The expected checksum sent as S3's own header, so S3 verifies the bytes it received too (it answers
	 * {@code BadDigest} otherwise); the library has verified them before the request is sent.
	 */
	private static void nativeChecksum(PutObjectRequest.Builder request, PutOptions options) {
		Checksum checksum = options.checksum();
		if (checksum == null || checksum.expected() == null) {
			return;
		}
		switch (checksum.algorithm()) {
			case SHA_256 -> request.checksumSHA256(checksum.expected());
			case CRC32C -> request.checksumCRC32C(checksum.expected());
			case MD5 -> request.contentMD5(checksum.expected());
		}
	}

	private Mono<HeadObjectResponse> head(String key) {
		return call(key, Operation.GET, () -> this.client.headObject(request -> request.bucket(this.bucket)
			.key(key)
			.checksumMode(ChecksumMode.ENABLED)
			.applyMutation(this.options.encryption()::head)));
	}

	@Override
	protected Mono<Boolean> doExists(String key) {
		return head(key).map(head -> true).onErrorResume(ObjectNotFoundException.class, ex -> Mono.just(false));
	}

	@Override
	protected Mono<Void> doDelete(String key) {
		return head(key).then(call(key, Operation.DELETE,
				() -> this.client.deleteObject(request -> request.bucket(this.bucket).key(key))))
			.then();
	}

	@Override
	protected Mono<Void> doDelete(String key, DeleteOptions options) {
		String expected = options.ifMatch();
		String header = ETags.strong(expected);
		if (header == null) {
			return Mono.error(etagMismatch(key, null));
		}
		// S3 answers a delete of a missing key with success, so existence (and, saving a request, the
		// etag) is checked first; the DeleteObject's If-Match then makes the delete itself conditional
		return head(key).onErrorMap(ObjectNotFoundException.class, ex -> etagMismatch(key, ex))
			.filter(head -> expected.equals(ETags.opaque(head.eTag())))
			.switchIfEmpty(Mono.error(() -> etagMismatch(key, null)))
			.then(call(key, Operation.DELETE, () -> this.client.deleteObject(request -> request.bucket(this.bucket)
				.key(key)
				.ifMatch(header))))
			.onErrorMap(S3Storage::failedPrecondition, ex -> etagMismatch(key, ex.getCause()))
			.then();
	}

	/** A conditional put's failures as {@link PreconditionFailedException}; other puts unchanged. */
	private static <T> Mono<T> conditional(Mono<T> call, String key, PutOptions options) {
		if (options.ifMatch() == null) {
			return call;
		}
		return call.onErrorMap(S3Storage::failedPrecondition, ex -> etagMismatch(key, ex.getCause()));
	}

	/**
	 * A conditional write's 412 (or the 409 of a conflicting concurrent one), or the 404 S3 answers when
	 * no object exists.
	 */
	private static boolean failedPrecondition(Throwable ex) {
		return ex instanceof ObjectAlreadyExistsException || ex instanceof PreconditionFailedException
				|| (ex instanceof ObjectNotFoundException && !(ex.getCause() instanceof NoSuchBucketException));
	}

	private static PreconditionFailedException etagMismatch(String key, @Nullable Throwable cause) {
		return new PreconditionFailedException("No object with the etag the write was conditional on", key, cause);
	}

	// ---- list ----

	@Override
	protected Flux<StoredObject> doList(ListOptions options) {
		ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(this.bucket);
		if (!options.prefix().isEmpty()) {
			request.prefix(options.prefix());
		}
		if (options.delimiter() != null) {
			request.delimiter(options.delimiter());
		}
		if (options.startAfter() != null) {
			request.startAfter(options.startAfter());
		}
		if (options.hasLimit()) {
			request.maxKeys(Math.min(options.limit() + 1, 1000));
		}
		ListObjectsV2Request first = request.build();
		Flux<StoredObject> pages = listPage(first)
			.expand(page -> Boolean.TRUE.equals(page.isTruncated()) && page.nextContinuationToken() != null
					? listPage(first.toBuilder().continuationToken(page.nextContinuationToken()).build())
					: Mono.empty())
			.concatMapIterable(page -> merge(page.contents(), page.commonPrefixes()), 1);
		return Listings.apply(pages, options);
	}

	private Mono<ListObjectsV2Response> listPage(ListObjectsV2Request request) {
		return call(null, Operation.LIST, () -> this.client.listObjectsV2(request));
	}

	private static List<StoredObject> merge(List<S3Object> contents, List<CommonPrefix> prefixes) {
		List<StoredObject> entries = new ArrayList<>(contents.size() + prefixes.size());
		for (S3Object object : contents) {
			entries.add(StoredObject.builder(object.key())
				.size((object.size() != null) ? object.size() : 0)
				.etag(ETags.opaque(object.eTag()))
				.lastModified(object.lastModified())
				.build());
		}
		for (CommonPrefix prefix : prefixes) {
			entries.add(StoredObject.ofPrefix(prefix.prefix()));
		}
		entries.sort((a, b) -> StorageKeys.compare(a.key(), b.key()));
		return entries;
	}

	// ---- url ----

	@Override
	protected Mono<URI> doUrl(String key, UrlOptions options) {
		return Mono.fromCallable(() -> {
			if (this.options.encryption().refusesUrl(options.method() == UrlOptions.Method.PUT)) {
				// a URL cannot carry an SSE-C key, and a PUT URL would store without the KMS key
				throw new UnsupportedStorageOperationException("Mount '" + name() + "' uses "
						+ this.options.encryption().mode() + " encryption, which " + options.method() + " URLs cannot carry",
						key, null);
			}
			if (this.presigner == null) {
				if (options.method() == UrlOptions.Method.PUT) {
					throw new UnsupportedStorageOperationException(
							"Mount '" + name() + "' has no credentials to sign PUT URLs with", key, null);
				}
				return this.client.utilities()
					.getUrl(GetUrlRequest.builder().bucket(this.bucket).key(key).build())
					.toURI();
			}
			if (options.method() == UrlOptions.Method.PUT) {
				return this.presigner.presignPutObject(presign -> presign.signatureDuration(options.expiry())
					.putObjectRequest(put -> bind(put.bucket(this.bucket).key(key).contentType(options.contentType()),
							options)))
					.url()
					.toURI();
			}
			return this.presigner.presignGetObject(presign -> presign.signatureDuration(options.expiry())
				.getObjectRequest(get -> get.bucket(this.bucket).key(key))).url().toURI();
		})
			// signing resolves credentials, and a provider may refresh them with blocking I/O (STS,
			// instance metadata, a profile file): never on the caller's (event-loop) thread
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorMap(URISyntaxException.class, ex -> new StorageException("Invalid URL", key, ex));
	}

	/**
	 * The presigner signs every header the request sets ({@code X-Amz-SignedHeaders}), so a length or
	 * checksum set here must be sent as that header, and S3 refuses an upload whose header differs.
	 */
	private static PutObjectRequest.Builder bind(PutObjectRequest.Builder put, UrlOptions options) {
		if (options.contentLength() >= 0) {
			put.contentLength(options.contentLength());
		}
		if (options.checksum() == UrlOptions.Checksum.SHA256) {
			put.checksumSHA256(options.checksumValue());
		}
		else if (options.checksum() == UrlOptions.Checksum.MD5) {
			put.contentMD5(options.checksumValue());
		}
		return put;
	}

	@Override
	protected Set<UrlBinding> urlBindings() {
		return EnumSet.allOf(UrlBinding.class);
	}

	// ---- post policy ----

	/** A SigV4 POST policy signed with the client's credentials ({@link S3PostPolicies}). */
	@Override
	protected Mono<PostPolicy> doPostPolicy(PostPolicyOptions options) {
		if (this.presigner == null) {
			return Mono.error(new UnsupportedStorageOperationException(
					"Mount '" + name() + "' has no credentials to sign browser upload forms with", options.key(), null));
		}
		if (this.options.encryption().refusesUrl(true)) {
			// the form's upload would not carry the customer key or the KMS key
			return Mono.error(new UnsupportedStorageOperationException("Mount '" + name() + "' uses "
					+ this.options.encryption().mode() + " encryption, which browser upload forms cannot carry",
					options.key(), null));
		}
		return new S3PostPolicies(this.client, this.presigner, this.bucket, Clock.systemUTC())
			.sign(options);
	}

	// ---- copy ----

	@Override
	protected Mono<StoredObject> doCopy(String source, String destination) {
		return head(source).flatMap(head -> {
			Mono<?> copy = (head.contentLength() <= MAX_SINGLE_COPY) ? copySingle(source, destination)
					: copyMultipart(source, destination, head);
			return copy.then(doInfo(destination));
		});
	}

	private Mono<?> copySingle(String source, String destination) {
		return call(source, Operation.COPY, () -> this.client.copyObject(CopyObjectRequest.builder()
			.sourceBucket(this.bucket)
			.sourceKey(source)
			.destinationBucket(this.bucket)
			.destinationKey(destination)
			.metadataDirective(MetadataDirective.COPY)
			.applyMutation(this.options.encryption()::copy)
			.build()));
	}

	private Mono<?> copyMultipart(String source, String destination, HeadObjectResponse head) {
		S3MultipartUpload upload = new S3MultipartUpload(this.client, this.bucket, destination);
		Mono<String> create = call(destination, Operation.PUT, () -> upload.create(() -> this.client.createMultipartUpload(request -> request
			.bucket(this.bucket)
			.key(destination)
			.contentType(head.contentType())
			.metadata(head.metadata())
			.applyMutation(this.options.encryption()::createUpload)))).map(response -> response.uploadId());
		return aborting(upload, create.flatMap(uploadId -> Flux.fromIterable(copyRanges(head.contentLength(), COPY_PART_SIZE))
			.flatMapSequential(range -> {
				int number = (int) (range[0] / COPY_PART_SIZE) + 1;
				return call(destination, Operation.COPY, () -> upload.start(() -> this.client.uploadPartCopy(UploadPartCopyRequest.builder()
					.sourceBucket(this.bucket)
					.sourceKey(source)
					.destinationBucket(this.bucket)
					.destinationKey(destination)
					.uploadId(uploadId)
					.partNumber(number)
					.copySourceRange("bytes=" + range[0] + "-" + range[1])
					.copySourceIfMatch(head.eTag())
					.applyMutation(this.options.encryption()::partCopy)
					.build()))).map(response -> CompletedPart.builder()
						.partNumber(number)
						.eTag(response.copyPartResult().eTag())
						.build());
			}, this.options.maxPartsInFlight())
			.collectList()
			.flatMap(parts -> complete(destination, uploadId, parts, PutOptions.defaults(), upload))));
	}

	/** The inclusive byte ranges of the parts of a multipart copy. */
	static List<long[]> copyRanges(long size, long partSize) {
		List<long[]> ranges = new ArrayList<>();
		for (long start = 0; start < size; start += partSize) {
			ranges.add(new long[] { start, Math.min(size, start + partSize) - 1 });
		}
		return ranges;
	}

	// ---- helpers ----

	enum Operation {

		GET, PUT, DELETE, LIST, COPY

	}

	private <T> Mono<T> call(@Nullable String key, Operation operation, Supplier<CompletableFuture<T>> call) {
		return Mono.fromFuture(call, true).onErrorMap(ex -> !(ex instanceof StorageException),
				ex -> translate(ex, key, operation));
	}

	/** S3's error codes of a checksum that does not match what it received. */
	static boolean isChecksumError(@Nullable String code) {
		return "BadDigest".equals(code) || "InvalidDigest".equals(code) || "XAmzContentChecksumMismatch".equals(code)
				|| "InvalidChecksum".equals(code);
	}

	static StorageException translate(Throwable error, @Nullable String key, Operation operation) {
		Throwable ex = (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
		if (ex instanceof StorageException storageException) {
			return storageException;
		}
		if (ex instanceof NoSuchBucketException) {
			return new ObjectNotFoundException("The bucket does not exist", key, ex);
		}
		if (ex instanceof NoSuchKeyException) {
			return new ObjectNotFoundException("No object under the key", key, ex);
		}
		if (ex instanceof SdkServiceException service) {
			int status = service.statusCode();
			if (status == 404) {
				return new ObjectNotFoundException("No object under the key", key, ex);
			}
			if (status == 401 || status == 403) {
				return new StoragePermissionException("S3 denied access (HTTP " + status + ")", key, ex);
			}
			if (status == 412 || status == 409) {
				if (operation == Operation.GET) {
					return new StorageConnectionException("The object changed while it was read", key, ex);
				}
				return new ObjectAlreadyExistsException("An object already exists", key, ex);
			}
			if (status == 416) {
				return new InvalidRangeException("S3 found the range unsatisfiable", key, ex);
			}
			if (status == 400 && service instanceof software.amazon.awssdk.awscore.exception.AwsServiceException aws
					&& aws.awsErrorDetails() != null && isChecksumError(aws.awsErrorDetails().errorCode())) {
				return new ChecksumMismatchException("S3 found the content damaged (" + aws.awsErrorDetails().errorCode()
						+ "); nothing was stored", key, ex);
			}
			if (status >= 500 || status == 429) {
				return new StorageConnectionException("S3 is unavailable (HTTP " + status + ")", key, ex);
			}
			return new StorageException("S3 refused the request (HTTP " + status + ")", key, ex);
		}
		if (ex instanceof ApiCallTimeoutException || ex instanceof IOException
				|| (ex instanceof SdkClientException && ex.getCause() instanceof IOException)) {
			return new StorageConnectionException("Could not reach S3", key, ex);
		}
		if (ex instanceof SdkClientException) {
			return new StorageConnectionException("S3 client error: " + ex.getMessage(), key, ex);
		}
		if (ex instanceof SdkException) {
			return new StorageException("S3 error", key, ex);
		}
		return new StorageException("S3 error: " + ex.getClass().getSimpleName(), key, ex);
	}

	@Override
	public void close() {
		if (this.onClose != null) {
			try {
				this.onClose.close();
			}
			catch (Exception ex) {
				// closing is best effort
			}
		}
	}

	/**
	 * One part of an upload: its zero-based index, its content in blocks of at most
	 * {@link Parts#BLOCK} bytes, its length, and whether it is the last.
	 */
	record Part(int index, List<ByteBuffer> blocks, int length, boolean last) {

		/** The base64 CRC32C of the part's bytes (the blocks are not changed). */
		String crc32c() {
			Checksums.Hasher hasher = Checksums.hasher(ChecksumAlgorithm.CRC32C);
			this.blocks.forEach(hasher::update);
			return hasher.base64();
		}

		/** The request body: the blocks as they are, neither copied nor changed (the SDK reads views). */
		AsyncRequestBody body() {
			return this.blocks.isEmpty() ? AsyncRequestBody.empty()
					: AsyncRequestBody.fromByteBuffersUnsafe(this.blocks.toArray(new ByteBuffer[0]));
		}

		/** A copy of the content in one array. */
		byte[] bytes() {
			byte[] content = new byte[this.length];
			int offset = 0;
			for (ByteBuffer block : this.blocks) {
				int count = block.remaining();
				block.get(block.position(), content, offset, count);
				offset += count;
			}
			return content;
		}

		Part asLast() {
			return new Part(this.index, this.blocks, this.length, true);
		}

	}

	/**
	 * Cuts a stream of buffers into parts of a fixed size, releasing each buffer once copied, and
	 * marks the last part (one part of look-ahead). Each byte is copied once, into blocks of at most
	 * {@link #BLOCK} bytes that become the part's request body as they are: no contiguous part-sized
	 * array (which G1 would allocate as a humongous object) and no copy by the SDK.
	 */
	static final class Parts {

		/** Small enough never to be a humongous allocation (G1 regions are at least 1 MiB). */
		static final int BLOCK = 256 * 1024;

		private Parts() {
		}

		static Flux<Part> cut(Flux<DataBuffer> body, int partSize, AtomicLong total) {
			return Flux.defer(() -> {
				PartBuilder[] current = { new PartBuilder(partSize) };
				Part[] held = { null };
				int[] index = { 0 };
				// each buffer is copied and released in map, so nothing queued downstream holds one
				Flux<PartBuilder> filled = body.map(buffer -> {
					try {
						total.addAndGet(buffer.readableByteCount());
						List<PartBuilder> done = new ArrayList<>(1);
						while (buffer.readableByteCount() > 0) {
							current[0].take(buffer);
							if (current[0].length == partSize) {
								done.add(current[0]);
								current[0] = new PartBuilder(partSize);
							}
						}
						return done;
					}
					finally {
						DataBufferUtils.release(buffer);
					}
				})
					.concatMapIterable(done -> done, 1)
					.concatWith(Flux.defer(() -> (current[0].length > 0) ? Flux.just(current[0]) : Flux.empty()));
				return filled.concatMap(builder -> {
					Part previous = held[0];
					held[0] = builder.build(index[0]++);
					return (previous != null) ? Flux.just(previous) : Flux.empty();
				}, 1).concatWith(Flux.defer(() -> (held[0] != null) ? Flux.just(held[0].asLast()) : Flux.empty()));
			});
		}

	}

	/** The blocks of a part being filled. */
	private static final class PartBuilder {

		private final int partSize;

		private final List<ByteBuffer> blocks = new ArrayList<>();

		private byte @Nullable [] block;

		private int blockFilled;

		int length;

		PartBuilder(int partSize) {
			this.partSize = partSize;
		}

		/** Copies what fits of the buffer into the current block, starting a new block when it is full. */
		void take(DataBuffer buffer) {
			byte[] target = this.block;
			if (target == null || this.blockFilled == target.length) {
				if (target != null) {
					this.blocks.add(ByteBuffer.wrap(target));
				}
				target = new byte[Math.min(Parts.BLOCK, this.partSize - this.length)];
				this.block = target;
				this.blockFilled = 0;
			}
			int count = Math.min(buffer.readableByteCount(), target.length - this.blockFilled);
			buffer.read(target, this.blockFilled, count);
			this.blockFilled += count;
			this.length += count;
		}

		Part build(int index) {
			List<ByteBuffer> all = new ArrayList<>(this.blocks);
			if (this.block != null && this.blockFilled > 0) {
				all.add(ByteBuffer.wrap(this.block, 0, this.blockFilled));
			}
			return new Part(index, List.copyOf(all), this.length, false);
		}

	}

}
