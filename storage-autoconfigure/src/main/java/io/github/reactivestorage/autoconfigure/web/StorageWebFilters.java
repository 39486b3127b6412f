package io.github.reactivestorage.autoconfigure.web;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ZeroCopyHttpOutputMessage;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Filters every storage route shares: headers on every answer, the exchange in the Reactor context
 * (for the request id of problem details and log lines), and the idle timeout of downloads.
 */
final class StorageWebFilters {

	/** Context key of the {@link ServerWebExchange} a handler answers. */
	static final String EXCHANGE = StorageWebFilters.class.getName() + ".exchange";

	private StorageWebFilters() {
	}

	/**
	 * {@code X-Content-Type-Options: nosniff} on every answer (downloads, listings, problems, 304s):
	 * a browser then never runs a stored object as a type other than the one declared. Set on the
	 * exchange's response before the handler, so that every response the handler builds keeps it.
	 */
	static HandlerFilterFunction<ServerResponse, ServerResponse> common() {
		return (request, next) -> {
			ServerWebExchange exchange = request.exchange();
			exchange.getResponse().getHeaders().set("X-Content-Type-Options", "nosniff");
			return next.handle(request).contextWrite(Context.of(EXCHANGE, exchange));
		};
	}

	/**
	 * Aborts a response body that pauses for longer than {@code timeout}: the connection is closed and the
	 * storage read cancelled (which releases what it held). The pause counts whether the backend is slow
	 * to produce or the client slow to take.
	 */
	static HandlerFilterFunction<ServerResponse, ServerResponse> responseIdleTimeout(Duration timeout) {
		return (request, next) -> next.handle(request).map(response -> new IdleTimeoutResponse(response, timeout));
	}

	/**
	 * The response under this class's own idle-timeout decoration, for a zero-copy send: the kernel sends
	 * the file, so the decoration has nothing to time there (the send watches its own progress against
	 * {@link #idleTimeout(ServerHttpResponse)}), and zero-copy needs the server's own response. Any other decorator is returned as it is (never unwrapped).
	 */
	static ServerHttpResponse withoutIdleTimeout(ServerHttpResponse response) {
		return (response instanceof IdleTimeoutHttpResponse idle) ? idle.getDelegate() : response;
	}

	/**
	 * The idle timeout of a response under this class's decoration, or {@code null}: a zero-copy send
	 * bypasses the decoration and applies it itself ({@link ZeroCopy}).
	 */
	static @Nullable Duration idleTimeout(ServerHttpResponse response) {
		return (response instanceof IdleTimeoutHttpResponse idle) ? idle.timeout : null;
	}

	/** A response written through a decorated exchange whose body writes time out when idle. */
	private record IdleTimeoutResponse(ServerResponse delegate, Duration timeout) implements ServerResponse {

		@Override
		public HttpStatusCode statusCode() {
			return this.delegate.statusCode();
		}

		@Override
		public HttpHeaders headers() {
			return this.delegate.headers();
		}

		@Override
		public MultiValueMap<String, ResponseCookie> cookies() {
			return this.delegate.cookies();
		}

		@Override
		public Mono<Void> writeTo(ServerWebExchange exchange, ServerResponse.Context context) {
			ServerHttpResponse response = exchange.getResponse();
			ServerHttpResponse decorated = (response instanceof ZeroCopyHttpOutputMessage)
					? new ZeroCopyIdleTimeoutResponse(response, this.timeout)
					: new IdleTimeoutHttpResponse(response, this.timeout);
			return this.delegate.writeTo(exchange.mutate().response(decorated).build(), context);
		}

	}

	private static class IdleTimeoutHttpResponse extends ServerHttpResponseDecorator {

		private final Duration timeout;

		IdleTimeoutHttpResponse(ServerHttpResponse delegate, Duration timeout) {
			super(delegate);
			this.timeout = timeout;
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			return super.writeWith(Flux.from(body).timeout(this.timeout));
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			return super.writeAndFlushWith(Flux.from(body).map(chunk -> Flux.from(chunk).timeout(this.timeout)));
		}

	}

	/**
	 * Keeps zero-copy file sending available. The kernel sends such a file; the server's own write
	 * timeouts bound it, not this idle timeout.
	 */
	private static final class ZeroCopyIdleTimeoutResponse extends IdleTimeoutHttpResponse
			implements ZeroCopyHttpOutputMessage {

		ZeroCopyIdleTimeoutResponse(ServerHttpResponse delegate, Duration timeout) {
			super(delegate, timeout);
		}

		@Override
		public Mono<Void> writeWith(Path file, long position, long count) {
			return ((ZeroCopyHttpOutputMessage) getDelegate()).writeWith(file, position, count);
		}

	}

}
