package io.github.reactivestorage.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;

import io.github.reactivestorage.AbstractReactiveStorage;
import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.InvalidRangeException;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StoragePermissionException;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.support.ContentRanges;
import io.github.reactivestorage.support.ETags;

/**
 * A read-only mount over files served by a web server or CDN ({@code type: http}). Keys are
 * percent-encoded segment by segment and resolved against the base URL. {@code get} streams the
 * response body, copying each Netty chunk into a buffer of this mount's factory as the subscriber
 * requests it; a range {@code get} sends {@code Range} and, where the server ignores it and answers
 * {@code 200}, slices the full body itself. {@code info} and {@code exists} use {@code HEAD};
 * {@code url} returns the public URL. Writes fail with {@link io.github.reactivestorage.StoragePermissionException}
 * and {@code list} with {@link UnsupportedStorageOperationException}. Status codes map as 404/410 →
 * not found, 401/403 → permission, 416 → invalid range, 5xx, 429, too many redirects, connect
 * errors, timeouts and premature closes → {@link StorageConnectionException}.
 */
public class HttpStorage extends AbstractReactiveStorage {

	private static final Set<StorageCapability> CAPABILITIES = Set
		.copyOf(EnumSet.of(StorageCapability.RANGE_READ, StorageCapability.URL_GET));

	private final HttpStorageSettings settings;

	private final ConnectionProvider connections;

	private final HttpClient client;

	/**
	 * A mount reading from the server the settings name, with its own connection pool (disposed by
	 * {@link #close()}).
	 */
	public HttpStorage(String name, DataBufferFactory bufferFactory, HttpStorageSettings settings) {
		super(name, bufferFactory);
		this.settings = settings;
		this.connections = ConnectionProvider.builder("storage-http-" + name).maxConnections(64).build();
		int maxRedirects = settings.maxRedirects();
		this.client = HttpClient.create(this.connections)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
					settings.connectTimeout().toMillis()))
			.responseTimeout(settings.readTimeout())
			.headers((headers) -> settings.headers().forEach(headers::set))
			// Reactor Netty decides each redirect with the predicate and lets the consumer edit the
			// redirected request: there the configured headers (tokens) are dropped off the origin
			.followRedirect((request, response) -> isRedirect(response.status().code())
					&& request.redirectedFrom().length < maxRedirects
					&& settings.redirects().allows(settings.baseUrl(),
							RedirectPolicy.target(request.resourceUrl(), response.responseHeaders())),
					(redirected) -> {
						if (!RedirectPolicy.sameOrigin(settings.baseUrl(), redirected.resourceUrl())) {
							settings.headers().keySet().forEach(redirected.requestHeaders()::remove);
						}
					});
	}

	/** The settings this mount was built with. */
	public HttpStorageSettings settings() {
		return this.settings;
	}

	@Override
	public Set<StorageCapability> capabilities() {
		return CAPABILITIES;
	}

	@Override
	protected Mono<StoredObject> doPut(String key, Publisher<DataBuffer> body, PutOptions options) {
		return Mono.error(new StoragePermissionException("Mount '" + name() + "' is read-only", key, null));
	}

	/** The content of {@link #doRead}: one {@code GET}, with every check of its answer. */
	@Override
	protected Flux<DataBuffer> doGet(String key, @Nullable ByteRange range) {
		return doRead(key, range).flatMapMany(StoredContent::content);
	}

	/**
	 * One {@code GET}: its status and headers describe the body it carries ({@code 206}: the size from
	 * {@code Content-Range}; a {@code 200} to a range is sliced). The body is read when the content is
	 * subscribed; a discarded read closes the connection instead of returning it with an unread body.
	 */
	@Override
	protected Mono<StoredContent> doRead(String key, @Nullable ByteRange range) {
		HttpClient request = (range != null)
				? this.client.headers((headers) -> headers.set(HttpHeaderNames.RANGE, range.toHttpHeaderValue()))
				: this.client;
		Mono<StoredContent> read = request.get()
			.uri(resourceUrl(key))
			.responseConnection((response, connection) -> Mono.fromCallable(() -> {
				// a connection lost mid-body fails the content, which the caller reads after this Mono is done
				Flux<ByteBuf> body = connection.inbound()
					.receive()
					.onErrorMap((ex) -> !(ex instanceof StorageException), (ex) -> transportError(ex, key));
				Mono<Void> discard = Mono.fromRunnable(connection::dispose);
				try {
					return content(key, range, response, body, discard);
				}
				catch (RuntimeException ex) {
					connection.dispose();
					throw ex;
				}
			}))
			.single()
			.onErrorMap((ex) -> !(ex instanceof StorageException), (ex) -> transportError(ex, key));
		if (range == null || !range.isSuffix() || range.suffixLength() == 0) {
			return read;
		}
		// servers answer 416 to a suffix of an empty object, which RFC 9110 makes the empty representation
		return read.onErrorResume(InvalidRangeException.class, (ex) -> doRead(key, null).flatMap((whole) -> {
			if (whole.object().size() == 0) {
				return Mono.just(StoredContent.range(whole.object(), 0, -1, whole.content(), whole.discard()));
			}
			return whole.discard().then(Mono.error(ex));
		}));
	}

	private StoredContent content(String key, @Nullable ByteRange range, HttpClientResponse response,
			Flux<ByteBuf> body, Mono<Void> discard) {
		int status = response.status().code();
		HttpHeaders headers = response.responseHeaders();
		if (status == 206 && range != null) {
			long[] contentRange = ContentRanges.parse(headers.get(HttpHeaderNames.CONTENT_RANGE));
			if (contentRange == null) {
				throw new StorageConnectionException("Server sent 206 without a Content-Range", key, null);
			}
			// the answer must name exactly the bytes asked for, and the body carry exactly that many
			long expected = PartialContent.check(headers, range, key).orElseThrow(() -> PartialContent.mismatch(key));
			StoredObject object = toStoredObject(key, headers).toBuilder().size(contentRange[2]).build();
			return StoredContent.range(object, contentRange[0], contentRange[1],
					PartialContent.exactly(body, expected, key).map(this::copy), discard);
		}
		if (status != 200) {
			throw statusError(response, key);
		}
		StoredObject object = toStoredObject(key, headers);
		if (range == null) {
			return StoredContent.whole(object, body.map(this::copy), discard);
		}
		long size = contentLength(headers);
		if (size < 0) {
			throw new StorageConnectionException("Server ignored the Range header and sent no Content-Length", key,
					null);
		}
		long[] span = range.resolve(size);
		return StoredContent.range(object, span[0], span[1], slice(body, span[0], span[1]), discard);
	}

	@Override
	protected Mono<StoredObject> doInfo(String key) {
		return head(key).flatMap((response) -> {
			if (response.status().code() == 200) {
				return Mono.just(toStoredObject(key, response.responseHeaders()));
			}
			return Mono.error(statusError(response, key));
		});
	}

	@Override
	protected Mono<Boolean> doExists(String key) {
		return head(key).flatMap((response) -> {
			int status = response.status().code();
			if (status == 200) {
				return Mono.just(true);
			}
			if (status == 404 || status == 410) {
				return Mono.just(false);
			}
			return Mono.error(statusError(response, key));
		});
	}

	@Override
	protected Mono<Void> doDelete(String key) {
		return Mono.error(new StoragePermissionException("Mount '" + name() + "' is read-only", key, null));
	}

	@Override
	protected Flux<StoredObject> doList(ListOptions options) {
		return Flux.error(new UnsupportedStorageOperationException("Mount '" + name()
				+ "' is an HTTP mount: a web server offers no listing (capability LIST)", null, null));
	}

	@Override
	protected Mono<URI> doUrl(String key, UrlOptions options) {
		return Mono.just(URI.create(resourceUrl(key)));
	}

	@Override
	public void close() {
		this.connections.dispose();
	}

	/** The public URL of a normalised key: the base URL followed by the percent-encoded segments. */
	String resourceUrl(String key) {
		StringBuilder url = new StringBuilder(this.settings.baseUrl().toString());
		String[] segments = key.split("/", -1);
		for (int i = 0; i < segments.length; i++) {
			if (i > 0) {
				url.append('/');
			}
			encodeSegment(segments[i], url);
		}
		return url.toString();
	}

	private Mono<HttpClientResponse> head(String key) {
		return this.client.head()
			.uri(resourceUrl(key))
			.response()
			.onErrorMap((ex) -> !(ex instanceof StorageException), (ex) -> transportError(ex, key));
	}

	private DataBuffer copy(ByteBuf chunk) {
		return copy(chunk, chunk.readerIndex(), chunk.readableBytes());
	}

	private DataBuffer copy(ByteBuf chunk, int index, int length) {
		// Reactor Netty releases the chunk once onNext returns: copy it now
		DataBuffer buffer = bufferFactory().allocateBuffer(length);
		try {
			buffer.write(chunk.nioBuffer(index, length));
			return buffer;
		}
		catch (RuntimeException ex) {
			org.springframework.core.io.buffer.DataBufferUtils.release(buffer);
			throw ex;
		}
	}

	private Flux<DataBuffer> slice(Flux<ByteBuf> body, long first, long last) {
		return Flux.defer(() -> {
			long[] position = { 0 };
			return body.<DataBuffer>handle((chunk, sink) -> {
				long chunkStart = position[0];
				long chunkEnd = chunkStart + chunk.readableBytes();
				position[0] = chunkEnd;
				long from = Math.max(first, chunkStart);
				long to = Math.min(last + 1, chunkEnd);
				if (from < to) {
					sink.next(copy(chunk, chunk.readerIndex() + (int) (from - chunkStart), (int) (to - from)));
				}
				if (chunkEnd > last) {
					sink.complete();
				}
			});
		});
	}

	private StoredObject toStoredObject(String key, HttpHeaders headers) {
		return StoredObject.builder(key)
			.size(Math.max(0, contentLength(headers)))
			.contentType(headers.get(HttpHeaderNames.CONTENT_TYPE))
			.etag(ETags.opaque(headers.get(HttpHeaderNames.ETAG)))
			.lastModified(parseDate(headers.get(HttpHeaderNames.LAST_MODIFIED)))
			.metadata(Map.of())
			.build();
	}

	private StorageException statusError(HttpClientResponse response, String key) {
		int status = response.status().code();
		String message = "HTTP " + status + " for " + response.method() + " of '" + key + "' on mount '"
				+ name() + "'";
		if (status == 404 || status == 410) {
			return new ObjectNotFoundException("Object not found (HTTP " + status + ")", key, null);
		}
		if (status == 401 || status == 403) {
			return new StoragePermissionException("Access denied (HTTP " + status + ")", key, null);
		}
		if (status == 416) {
			return new InvalidRangeException("Range not satisfiable (HTTP 416)", key, null);
		}
		if (isRedirect(status)) {
			return redirectError(response, key);
		}
		if (status >= 500 || status == 429 || status == 408) {
			return new StorageConnectionException("Server error (HTTP " + status + ")", key, null);
		}
		return new StorageException(message, key, null);
	}

	/** Why a redirect answer reached us: the policy refused it, or the limit was reached. */
	private StorageException redirectError(HttpClientResponse response, String key) {
		int status = response.status().code();
		if (this.settings.redirects() == RedirectPolicy.NONE) {
			return new StorageException("The server answered a redirect (HTTP " + status
					+ "), which mount '" + name() + "' does not follow (follow-redirects: none)", key, null);
		}
		if (!this.settings.redirects().allows(this.settings.baseUrl(),
				RedirectPolicy.target(response.resourceUrl(), response.responseHeaders()))) {
			return new StorageException("The server redirected (HTTP " + status + ") to a URL that mount '" + name()
					+ "' does not follow (follow-redirects: " + this.settings.redirects().name()
						.toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ")", key, null);
		}
		return new StorageConnectionException(
				"Too many redirects (more than " + this.settings.maxRedirects() + ")", key, null);
	}

	private StorageException transportError(Throwable ex, String key) {
		return new StorageConnectionException("Request to " + this.settings.baseUrl().getHost() + " failed: " + ex,
				key, ex);
	}

	private static boolean isRedirect(int status) {
		return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
	}

	private static long contentLength(HttpHeaders headers) {
		String value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
		if (value == null) {
			return -1;
		}
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static @Nullable Instant parseDate(@Nullable String value) {
		if (value == null) {
			return null;
		}
		try {
			return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private static void encodeSegment(String segment, StringBuilder out) {
		for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xFF;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
					|| c == '_' || c == '~') {
				out.append((char) c);
			}
			else {
				out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
					.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
			}
		}
	}

}
