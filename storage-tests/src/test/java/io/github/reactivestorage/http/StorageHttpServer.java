package io.github.reactivestorage.http;

import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.InvalidRangeException;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StoredObject;

/**
 * A real HTTP server (Reactor Netty) that serves the objects of storages: {@code GET} and
 * {@code HEAD} of {@code /<root>/<percent-encoded key>} with Content-Type, Content-Length, a quoted
 * ETag, Last-Modified and single byte ranges ({@code 206}, or {@code 416}), the way a static file
 * server does. A root can be registered to ignore ranges (answering {@code 200}).
 */
final class StorageHttpServer implements AutoCloseable {

	private final Map<String, Root> roots = new ConcurrentHashMap<>();

	private final DisposableServer server;

	StorageHttpServer() {
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle(this::handle).bindNow();
	}

	URI baseUrl(String root) {
		return URI.create("http://127.0.0.1:" + this.server.port() + "/" + root + "/");
	}

	int port() {
		return this.server.port();
	}

	void serve(String root, ReactiveStorage storage, boolean honourRanges) {
		this.roots.put(root, new Root(storage, honourRanges));
	}

	void remove(String root) {
		this.roots.remove(root);
	}

	private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		String path = URI.create(request.uri()).getPath();
		int slash = path.indexOf('/', 1);
		Root root = (slash > 0) ? this.roots.get(path.substring(1, slash)) : null;
		if (root == null) {
			return response.status(HttpResponseStatus.NOT_FOUND).send();
		}
		if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
			return response.status(HttpResponseStatus.METHOD_NOT_ALLOWED).send();
		}
		String key = path.substring(slash + 1);
		boolean head = request.method().equals(HttpMethod.HEAD);
		return root.storage().info(key).flatMap((object) -> {
			headers(response, object);
			String rangeHeader = request.requestHeaders().get(HttpHeaderNames.RANGE);
			if (rangeHeader == null || !root.honourRanges() || head || !rangeHeader.startsWith("bytes=")
					|| rangeHeader.contains(",")) {
				response.header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(object.size()));
				return head ? response.send().then() : response.send(content(root.storage().get(key))).then();
			}
			ByteRange range = ByteRange.parse(rangeHeader.substring("bytes=".length()));
			long[] resolved;
			try {
				resolved = range.resolve(object.size());
			}
			catch (InvalidRangeException ex) {
				return response.status(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
					.header(HttpHeaderNames.CONTENT_RANGE, "bytes */" + object.size())
					.header(HttpHeaderNames.CONTENT_LENGTH, "0")
					.send()
					.then();
			}
			if (resolved[1] < resolved[0]) {
				// a suffix of an empty object: the empty representation, which no Content-Range can name
				response.header(HttpHeaderNames.CONTENT_LENGTH, "0");
				return response.send().then();
			}
			return response.status(HttpResponseStatus.PARTIAL_CONTENT)
				.header(HttpHeaderNames.CONTENT_RANGE, "bytes " + resolved[0] + "-" + resolved[1] + "/" + object.size())
				.header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(resolved[1] - resolved[0] + 1))
				.send(content(root.storage().get(key, range)))
				.then();
		}).onErrorResume(ObjectNotFoundException.class, (ex) -> response.status(HttpResponseStatus.NOT_FOUND)
			.header(HttpHeaderNames.CONTENT_LENGTH, "0")
			.send()
			.then());
	}

	private static void headers(HttpServerResponse response, StoredObject object) {
		if (object.contentType() != null) {
			response.header(HttpHeaderNames.CONTENT_TYPE, object.contentType());
		}
		if (object.etag() != null) {
			response.header(HttpHeaderNames.ETAG, "\"" + object.etag() + "\"");
		}
		if (object.lastModified() != null) {
			response.header(HttpHeaderNames.LAST_MODIFIED,
					DateTimeFormatter.RFC_1123_DATE_TIME.format(object.lastModified().atZone(ZoneOffset.UTC)));
		}
		response.header(HttpHeaderNames.ACCEPT_RANGES, "bytes");
	}

	static Flux<ByteBuf> content(Flux<DataBuffer> buffers) {
		return buffers.map((buffer) -> {
			try {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				return Unpooled.wrappedBuffer(bytes);
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		});
	}


	@Override
	public void close() {
		this.server.disposeNow();
	}

	private record Root(ReactiveStorage storage, boolean honourRanges) {
	}

}
