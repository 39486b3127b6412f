package io.github.reactivestorage;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;

/**
 * Base class of every backend. It checks, at subscription and before any I/O, the key rules
 * ({@link StorageKeys}), listing prefixes and start-after values (the same rules), the backend's own
 * reserved names ({@link #checkReservedNames}), metadata ({@link StorageMetadata}), URL expiry and the
 * capabilities the backend declares, fills in a guessed content type, and adds the mount name (and
 * the key, where missing) to every {@link StorageException}. Subclasses implement seven methods
 * that receive normalised keys: {@link #doPut}, {@link #doGet}, {@link #doInfo}, {@link #doExists},
 * {@link #doDelete}, {@link #doList} and {@link #doUrl}. {@link #doCopy} defaults to a streamed copy
 * (constant memory) and {@link #doMove} to copy then delete; backends override them where the store
 * does better. A put with a {@link PutOptions#checksum()} reaches {@link #doPut} with a
 * {@link ChecksumVerifyingBody}, which fails instead of completing when the content differs.
 */
public abstract class AbstractReactiveStorage implements ReactiveStorage {

	/** The content type of objects stored without one whose key gives no hint. */
	public static final String DEFAULT_CONTENT_TYPE = MediaType.APPLICATION_OCTET_STREAM_VALUE;

	private final String name;

	private final DataBufferFactory bufferFactory;

	protected AbstractReactiveStorage(String name, DataBufferFactory bufferFactory) {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("Mount name must not be empty");
		}
		this.name = name;
		this.bufferFactory = bufferFactory;
	}

	@Override
	public final String name() {
		return this.name;
	}

	@Override
	public final DataBufferFactory bufferFactory() {
		return this.bufferFactory;
	}

	@Override
	public abstract Set<StorageCapability> capabilities();

	// ---- public API: checks, then the backend ----

	@Override
	public final Mono<StoredObject> put(String key, Publisher<DataBuffer> body, PutOptions options) {
		return Mono.defer(() -> {
			String normalized = checkedKey(key);
			requireWrite(normalized);
			if (options.createOnly()) {
				requireCapability(StorageCapability.CONDITIONAL_PUT, "create-only put", normalized);
			}
			if (options.ifMatch() != null) {
				requireCapability(StorageCapability.CONDITIONAL_WRITE, "conditional put", normalized);
			}
			StorageMetadata.validate(options.metadata());
			validateMetadata(options.metadata());
			Checksum checksum = options.checksum();
			if (checksum == null) {
				return doPut(normalized, body, withContentType(normalized, options));
			}
			requireCapability(StorageCapability.CHECKSUMS, "checksums", normalized);
			ChecksumVerifyingBody verifying = new ChecksumVerifyingBody(body, checksum, normalized);
			return doPut(normalized, verifying, withContentType(normalized, options))
				.map(stored -> stored.withChecksums(verifying.checksums()));
		}).onErrorMap(StorageException.class, ex -> decorate(ex, key));
	}

	@Override
	public final Flux<DataBuffer> get(String key) {
		return Flux.defer(() -> doGet(checkedKey(key), null))
			.onErrorMap(StorageException.class, ex -> decorate(ex, key));
	}

	@Override
	public final Flux<DataBuffer> get(String key, ByteRange range) {
		return Flux.defer(() -> doGet(checkedKey(key), range))
			.onErrorMap(StorageException.class, ex -> decorate(ex, key));
	}

	@Override
	public final Mono<byte[]> getBytes(String key) {
		return Mono.defer(() -> doGetBytes(checkedKey(key)))
			.onErrorMap(StorageException.class, ex -> decorate(ex, key));
	}

	@Override
	public final Mono<StoredContent> read(String key, @Nullable ByteRange range) {
		return Mono.defer(() -> doRead(checkedKey(key), range))
			.onErrorMap(StorageException.class, ex -> decorate(ex, key));
	}

	@Override
	public final Mono<StoredObject> info(String key) {
		return Mono.defer(() -> doInfo(checkedKey(key)))
			.onErrorMap(StorageException.class, ex -> decorate(ex, key));
	}

	@Override
	public final Mono<Boolean> exists(String key) {
		return Mono.defer(() -> doExists(checkedKey(key)))
			.onErrorMap(StorageException.class, ex -> decorate(ex, key));
	}

	@Override
	public final Mono<Void> delete(String key) {
		return Mono.defer(() -> {
			String normalized = checkedKey(key);
			requireWrite(normalized);
			return doDelete(normalized);
		}).onErrorMap(StorageException.class, ex -> decorate(ex, key));
	}

	@Override
	public final Mono<Void> delete(String key, DeleteOptions options) {
		return Mono.defer(() -> {
			String normalized = checkedKey(key);
			requireWrite(normalized);
			if (options.ifMatch() == null) {
				return doDelete(normalized);
			}
			requireCapability(StorageCapability.CONDITIONAL_WRITE, "conditional delete", normalized);
			return doDelete(normalized, options);
		}).onErrorMap(StorageException.class, ex -> decorate(ex, key));
	}

	@Override
	public final Flux<StoredObject> list(ListOptions options) {
		return Flux.defer(() -> {
			ListOptions.Builder normalized = options.toBuilder()
				.prefix(checkedPrefix(options.prefix()));
			if (options.startAfter() != null) {
				normalized.startAfter(checkedPrefix(options.startAfter()));
			}
			requireCapability(StorageCapability.LIST, "list", null);
			if (options.delimiter() != null) {
				requireCapability(StorageCapability.DELIMITER_LIST, "list with a delimiter", null);
			}
			ListOptions checked = normalized.build();
			Flux<StoredObject> entries = doList(checked);
			return checked.hasLimit() ? entries.take(checked.limit(), true) : entries;
		}).onErrorMap(StorageException.class, ex -> decorate(ex, null));
	}

	@Override
	public final Mono<URI> url(String key, UrlOptions options) {
		return Mono.defer(() -> {
			String normalized = checkedKey(key);
			if (options.method() == UrlOptions.Method.PUT) {
				requireWrite(normalized);
				requireCapability(StorageCapability.URL_PUT, "PUT URLs", normalized);
			}
			else {
				requireCapability(StorageCapability.URL_GET, "URLs", normalized);
			}
			Duration max = maxUrlExpiry();
			if (max != null && options.expiry().compareTo(max) > 0) {
				return Mono.error(new IllegalArgumentException("URL expiry " + options.expiry()
						+ " is longer than the " + max + " mount '" + name() + "' can sign for"));
			}
			requireUrlBindings(normalized, options);
			return doUrl(normalized, options);
		}).onErrorMap(StorageException.class, ex -> decorate(ex, key));
	}

	@Override
	public final Mono<PostPolicy> postPolicy(PostPolicyOptions options) {
		String userKey = (options.key() != null) ? options.key() : options.keyPrefix();
		return Mono.defer(() -> {
			PostPolicyOptions checked = options.normalized();
			String location = (checked.key() != null) ? checked.key() : checked.keyPrefix();
			requireWrite(location);
			requireCapability(StorageCapability.POST_POLICY, "browser upload forms", location);
			StorageMetadata.validate(checked.metadata());
			validateMetadata(checked.metadata());
			Duration max = maxUrlExpiry();
			if (max != null && checked.expiry().compareTo(max) > 0) {
				return Mono.error(new IllegalArgumentException("Policy expiry " + checked.expiry()
						+ " is longer than the " + max + " mount '" + name() + "' can sign for"));
			}
			return doPostPolicy(checked);
		}).onErrorMap(StorageException.class, ex -> decorate(ex, userKey));
	}

	@Override
	public final Mono<StoredObject> copy(String source, String destination) {
		return Mono.defer(() -> {
			String from = checkedKey(source);
			String to = checkedKey(destination);
			requireWrite(to);
			if (from.equals(to)) {
				return doInfo(from);
			}
			return doCopy(from, to);
		}).onErrorMap(StorageException.class, ex -> decorate(ex, source));
	}

	@Override
	public final Mono<StoredObject> move(String source, String destination) {
		return Mono.defer(() -> {
			String from = checkedKey(source);
			String to = checkedKey(destination);
			requireWrite(to);
			if (from.equals(to)) {
				return doInfo(from);
			}
			return doMove(from, to);
		}).onErrorMap(StorageException.class, ex -> decorate(ex, source));
	}

	// ---- key rules: the shared ones, then the backend's reserved names ----

	private String checkedKey(String key) {
		String normalized = StorageKeys.normalize(key);
		checkReservedNames(normalized, false);
		return normalized;
	}

	private String checkedPrefix(@Nullable String prefix) {
		String normalized = StorageKeys.normalizePrefix(prefix);
		checkReservedNames(normalized, true);
		return normalized;
	}

	/**
	 * Reject names the backend keeps for itself, after the shared rules ({@link StorageKeys}) passed
	 * and before any I/O: called with every normalised key, listing prefix and start-after value.
	 * A prefix or start-after value ({@code isPrefix}) may end in a partial segment; reject it where
	 * it could match the reserved names, so that no listing ever shows the backend's own files. The
	 * default reserves nothing.
	 * @param normalizedKeyOrPrefix the key, prefix or start-after value in its normal form
	 * @param isPrefix whether it is a prefix or start-after value rather than a whole key
	 * @throws InvalidKeyException if it names or reaches into something the backend reserves
	 */
	protected void checkReservedNames(String normalizedKeyOrPrefix, boolean isPrefix) {
	}

	// ---- what a backend implements ----

	/**
	 * Store the body. The key is normalised, permissions and metadata checked, and the options carry a
	 * content type. The implementation releases every buffer of the body, also on error and cancel.
	 */
	protected abstract Mono<StoredObject> doPut(String key, Publisher<DataBuffer> body, PutOptions options);

	/**
	 * Stream the content, or the range of it when {@code range} is not {@code null}
	 * (use {@link ByteRange#resolve(long)}).
	 */
	protected abstract Flux<DataBuffer> doGet(String key, @Nullable ByteRange range);

	/**
	 * The whole content as one array the caller may keep and change. Defaults to collecting
	 * {@link #doGet}; a backend that holds the bytes already can answer without the buffers.
	 */
	protected Mono<byte[]> doGetBytes(String key) {
		return ContentBytes.collect(doGet(key, null));
	}

	/**
	 * The object's information and content from one lookup; see {@link ReactiveStorage#read}. Defaults to
	 * {@link #doInfo} then {@link #doGet}; backends that can read both at once (one request, one open
	 * file) override it.
	 */
	protected Mono<StoredContent> doRead(String key, @Nullable ByteRange range) {
		return doInfo(key).map(object -> {
			if (range == null) {
				return StoredContent.whole(object, doGet(key, null), Mono.empty());
			}
			long[] span = range.resolve(object.size());
			Flux<DataBuffer> content = (span[1] < span[0]) ? Flux.empty()
					: doGet(key, ByteRange.of(span[0], span[1]));
			return StoredContent.range(object, span[0], span[1], content, Mono.empty());
		});
	}

	/** The object's information, or {@link ObjectNotFoundException}. */
	protected abstract Mono<StoredObject> doInfo(String key);

	/** Whether an object exists under the key. */
	protected abstract Mono<Boolean> doExists(String key);

	/** Delete the object, or {@link ObjectNotFoundException}. */
	protected abstract Mono<Void> doDelete(String key);

	/**
	 * Delete the object only if its etag is {@code options.ifMatch()}, atomically, else
	 * {@link PreconditionFailedException}, also when no object exists (as HTTP {@code If-Match} answers 412
	 * for a missing resource). Called only
	 * with an etag condition and only when the backend declares {@link StorageCapability#CONDITIONAL_WRITE},
	 * which a backend overriding this declares.
	 */
	protected Mono<Void> doDelete(String key, DeleteOptions options) {
		return Mono.error(new UnsupportedStorageOperationException(
				"Mount '" + name() + "' declares CONDITIONAL_WRITE but does not implement conditional deletes", key,
				null));
	}

	/**
	 * The entries the normalised options select in ascending UTF-8 byte order. The base class also
	 * applies the limit, so an implementation may ignore it (but should page accordingly).
	 * {@link io.github.reactivestorage.support.Listings} applies the options to a sorted stream.
	 */
	protected abstract Flux<StoredObject> doList(ListOptions options);

	/** A URL for the object; the method, capability and expiry are checked. */
	protected abstract Mono<URI> doUrl(String key, UrlOptions options);

	/**
	 * A signed upload form for the checked options: the key is normalised ({@link StorageKeys#normalize})
	 * or the prefix ({@link StorageKeys#normalizePrefix}), neither holds {@code ${filename}}, metadata and
	 * expiry are checked, the mount is writable and declares {@link StorageCapability#POST_POLICY}, which a
	 * backend overriding this declares.
	 */
	protected Mono<PostPolicy> doPostPolicy(PostPolicyOptions options) {
		return Mono.error(new UnsupportedStorageOperationException(
				"Mount '" + name() + "' declares POST_POLICY but does not implement it", options.key(), null));
	}

	/**
	 * What {@link #doUrl} binds into a PUT URL beyond the content type; a PUT URL asking for anything else
	 * fails before {@link #doUrl} is called. None by default, so that a backend that ignores the
	 * constraints never hands out a URL that does not bind them.
	 */
	protected Set<UrlBinding> urlBindings() {
		return Set.of();
	}

	/**
	 * Copy {@code source} to a different key {@code destination}. Defaults to streaming the content
	 * through this JVM, keeping content type and metadata; memory stays constant.
	 */
	protected Mono<StoredObject> doCopy(String source, String destination) {
		return doInfo(source).flatMap(object -> {
			PutOptions options = PutOptions.builder()
				.contentType(object.contentType())
				.metadata(object.metadata())
				.contentLength(object.size())
				.build();
			return doPut(destination, doGet(source, null), withContentType(destination, options));
		});
	}

	/** Move {@code source} to a different key: {@link #doCopy} then {@link #doDelete} of the source. */
	protected Mono<StoredObject> doMove(String source, String destination) {
		return doCopy(source, destination).flatMap(copied -> doDelete(source).thenReturn(copied));
	}

	/**
	 * Backend-specific metadata checks beyond {@link StorageMetadata#validate}; throw
	 * {@link InvalidMetadataException}. By default every key that passes the shared rules is accepted.
	 */
	protected void validateMetadata(java.util.Map<String, String> metadata) {
	}

	/** The longest expiry {@link #url} signs for, or {@code null} for no limit. */
	protected @Nullable Duration maxUrlExpiry() {
		return null;
	}

	// ---- helpers ----

	/** The options with a content type: the given one, else guessed from the key, else the default. */
	protected static PutOptions withContentType(String key, PutOptions options) {
		if (options.contentType() != null) {
			return options;
		}
		return options.toBuilder().contentType(guessContentType(key)).build();
	}

	/** The content type {@code MediaTypeFactory} guesses from the key's extension, else the default. */
	public static String guessContentType(String key) {
		return MediaTypeFactory.getMediaType(StorageKeys.filename(key))
			.map(MediaType::toString)
			.orElse(DEFAULT_CONTENT_TYPE);
	}

	private void requireWrite(String key) {
		if (!supports(StorageCapability.WRITE)) {
			throw new StoragePermissionException("Mount '" + name() + "' is read-only", key, null);
		}
	}

	private void requireUrlBindings(String key, UrlOptions options) {
		if (!options.bindsUpload()) {
			return;
		}
		Set<UrlBinding> supported = urlBindings();
		if (options.contentLength() >= 0 && !supported.contains(UrlBinding.CONTENT_LENGTH)) {
			throw unboundable("a content length", key);
		}
		if (options.checksum() != null && !supported.contains(UrlBinding.of(options.checksum()))) {
			throw unboundable("a " + options.checksum() + " checksum", key);
		}
	}

	private UnsupportedStorageOperationException unboundable(String what, String key) {
		return new UnsupportedStorageOperationException(
				"Mount '" + name() + "' cannot bind " + what + " into a PUT URL", key, null);
	}

	private void requireCapability(StorageCapability capability, String what, @Nullable String key) {
		if (!supports(capability)) {
			throw new UnsupportedStorageOperationException(
					"Mount '" + name() + "' does not support " + what + " (capability " + capability + ")", key, null);
		}
	}

	private StorageException decorate(StorageException ex, @Nullable String key) {
		if (ex.getKey() == null && key != null) {
			ex.withKey(key);
		}
		return ex.withMountIfAbsent(name());
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + name() + "]";
	}

}
