package io.github.reactivestorage.autoconfigure.web;

import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
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

	/**
	 * @param idleTimeout the longest time the send may make no progress before the connection is
	 * closed, or {@code null} for no limit
	 */
	static @Nullable Mono<Void> send(AbstractServerHttpResponse response, FileChannel file, StoredContent content,
			@Nullable Duration idleTimeout) {
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
		Mono<Void> send = server.sendUsing(() -> file,
				(connection, channel) -> new DefaultFileRegion(channel, position, count), channel -> {
				})
			.then();
		Mono<Void> watched = (idleTimeout != null) ? Mono.defer(() -> {
			Stall stall = new Stall(server, idleTimeout);
			return send.doOnSubscribe((subscription) -> stall.watch()).doFinally((signal) -> stall.stop());
		}) : send;
		// the content is sent (then reported sent) or, on error or cancel, discarded: never left open
		return Mono.usingWhen(Mono.just(content), read -> response.setComplete().then(watched), StoredContent::sent,
				(read, error) -> read.discard(), StoredContent::discard);
	}

	/**
	 * Closes the connection when the file send makes no progress for the idle timeout (a client that
	 * stopped reading): the kernel sends the region, so no body buffer passes the idle-timeout
	 * decoration, and Reactor Netty has no write timeout by default. Progress is the connection's
	 * outbound buffer moving, checked on the event loop. Why not Netty's {@code IdleStateHandler} with
	 * {@code observeOutput}: its first writer-idle event of a write fires whatever the progress, which
	 * would end a slow but steady download of a large file.
	 */
	private static final class Stall implements Runnable {

		private final Channel channel;

		private final long nanos;

		private volatile @Nullable ScheduledFuture<?> task;

		private @Nullable Object message;

		private long progress = -1;

		private long pending = -1;

		Stall(HttpServerResponse response, Duration timeout) {
			Channel[] channel = { null };
			response.withConnection((connection) -> channel[0] = connection.channel());
			this.channel = channel[0];
			this.nanos = Math.max(1, timeout.toNanos());
		}

		void watch() {
			this.task = this.channel.eventLoop().scheduleAtFixedRate(this, this.nanos, this.nanos, TimeUnit.NANOSECONDS);
		}

		void stop() {
			ScheduledFuture<?> scheduled = this.task;
			if (scheduled != null) {
				scheduled.cancel(false);
			}
		}

		@Override
		public void run() {
			ChannelOutboundBuffer out = this.channel.unsafe().outboundBuffer();
			Object current = (out != null) ? out.current() : null;
			if (current == null) {
				// nothing waiting to be sent: not stalled
				this.message = null;
				return;
			}
			long currentProgress = out.currentProgress();
			long currentPending = out.totalPendingWriteBytes();
			if (current == this.message && currentProgress == this.progress && currentPending == this.pending) {
				stop();
				this.channel.close();
				return;
			}
			this.message = current;
			this.progress = currentProgress;
			this.pending = currentPending;
		}

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
