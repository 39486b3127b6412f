package io.github.reactivestorage.autoconfigure.web;

import java.nio.channels.FileChannel;

import io.netty.channel.Channel;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.ssl.SslHandler;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.http.server.reactive.AbstractServerHttpResponse;

import io.github.reactivestorage.StoredContent;

/**
 * Sends a read's bytes from its open file as a Netty {@link DefaultFileRegion} ({@code sendfile} on a
 * plain connection), on Reactor Netty only; kept apart so that the handler loads without it.
 *
 * <p>Why not Spring's {@code ZeroCopyHttpOutputMessage} or Reactor Netty's {@code sendFile}: both take
 * a {@code Path} and open it again, which after a concurrent overwrite by rename would send another
 * version than the headers describe. The region is built on the channel the read opened instead,
 * through {@code sendUsing}. Spring's response is committed first ({@code setComplete} applies its
 * status, headers and commit actions without writing), then the region is written on the native
 * response.
 *
 * <p>Falls back (returns {@code null}) where Reactor Netty itself would not send a region: TLS, response
 * compression, HTTP/2 streams, and responses Spring did not create on Reactor Netty (mock responses of
 * tests); a decorated response is never unwrapped, so a filter that wraps the body still sees it.
 */
final class ZeroCopy {

	private ZeroCopy() {
	}

	static @Nullable Mono<Void> send(AbstractServerHttpResponse response, FileChannel file, StoredContent content) {
		Object nativeResponse;
		try {
			nativeResponse = response.getNativeResponse();
		}
		catch (IllegalStateException ex) {
			return null;
		}
		if (!(nativeResponse instanceof HttpServerResponse server) || !canSendRegion(server)) {
			return null;
		}
		long position = content.start();
		long count = content.length();
		// the content is sent (then reported sent) or, on error or cancel, discarded: never left open
		return Mono.usingWhen(Mono.just(content),
				read -> response.setComplete()
					.then(server.sendUsing(() -> file,
							(connection, channel) -> new DefaultFileRegion(channel, position, count), channel -> {
							})
						.then()),
				StoredContent::sent, (read, error) -> read.discard(), StoredContent::discard);
	}

	private static boolean canSendRegion(HttpServerResponse response) {
		boolean[] plain = { false };
		response.withConnection(connection -> {
			Channel channel = connection.channel();
			// an HTTP/2 stream is a child of the connection's channel, which holds the multiplexer
			boolean stream = channel.parent() != null
					&& channel.parent().pipeline().get(NettyPipeline.H2MultiplexHandler) != null;
			plain[0] = !stream && channel.pipeline().get(SslHandler.class) == null
					&& channel.pipeline().get(NettyPipeline.CompressionHandler) == null;
		});
		return plain[0];
	}

}
