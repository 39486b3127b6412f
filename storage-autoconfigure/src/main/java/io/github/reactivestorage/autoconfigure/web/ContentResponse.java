package io.github.reactivestorage.autoconfigure.web;

import java.nio.channels.FileChannel;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.util.ClassUtils;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;

import io.github.reactivestorage.StoredContent;

/**
 * A download response: status and headers decided from one read, and its content as the body, sent
 * from the read's open file without copying when it can be ({@link ZeroCopy}).
 *
 * <p>A {@code ServerResponse} of its own rather than one from {@code ServerResponse.ok()}: the builder's
 * response evaluates {@code checkNotModified} again while writing and may then never subscribe to the
 * body, which would leave the read's response or file open; here the content is always either sent
 * or discarded.
 */
final class ContentResponse implements ServerResponse {

	private static final boolean REACTOR_NETTY = ClassUtils.isPresent("reactor.netty.http.server.HttpServerResponse",
			ContentResponse.class.getClassLoader());

	private final HttpStatus status;

	private final HttpHeaders headers;

	private final @Nullable StoredContent content;

	private final MultiValueMap<String, ResponseCookie> cookies = new LinkedMultiValueMap<>();

	/** @param content the body, or {@code null} for a {@code HEAD} */
	ContentResponse(HttpStatus status, HttpHeaders headers, @Nullable StoredContent content) {
		this.status = status;
		this.headers = headers;
		this.content = content;
	}

	@Override
	public HttpStatusCode statusCode() {
		return this.status;
	}

	@Override
	public HttpHeaders headers() {
		return this.headers;
	}

	@Override
	public MultiValueMap<String, ResponseCookie> cookies() {
		return this.cookies;
	}

	@Override
	public Mono<Void> writeTo(ServerWebExchange exchange, Context context) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(this.status);
		response.getHeaders().putAll(this.headers);
		this.cookies.values().forEach(list -> list.forEach(response::addCookie));
		StoredContent body = this.content;
		if (body == null || exchange.getRequest().getMethod().matches("HEAD")) {
			return (body != null) ? body.discard().then(response.setComplete()) : response.setComplete();
		}
		FileChannel file = body.file();
		if (file != null && REACTOR_NETTY
				&& StorageWebFilters.withoutIdleTimeout(response) instanceof AbstractServerHttpResponse server) {
			Mono<Void> zeroCopy = ZeroCopy.send(server, file, body, StorageWebFilters.idleTimeout(response));
			if (zeroCopy != null) {
				return zeroCopy;
			}
		}
		return response.writeWith(body.content());
	}

	@Override
	public String toString() {
		return "ContentResponse[" + this.status + ", " + this.content + "]";
	}

}
