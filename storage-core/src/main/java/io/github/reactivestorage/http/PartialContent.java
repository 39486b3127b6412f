package io.github.reactivestorage.http;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Flux;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StorageException;

/**
 * Checks a {@code 206} answer against the range that was asked for: its {@code Content-Range} must
 * name exactly the bytes the range resolves to (for the size the server states), its
 * {@code Content-Length} must agree, and the body must carry that many bytes. A server that answers
 * another range, several ranges ({@code multipart/byteranges}, no {@code Content-Range}) or a body of
 * another length gives an error, never bytes the caller did not ask for.
 */
final class PartialContent {

	/** {@code bytes first-last/size}, where size may be {@code *} (RFC 9110, section 14.4). */
	private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)");

	private PartialContent() {
	}

	/** The byte count the body must have, or empty when the answer is not the range asked for. */
	static Optional<Long> check(HttpHeaders headers, ByteRange range, String key) {
		String value = headers.get(HttpHeaderNames.CONTENT_RANGE);
		Matcher matcher = (value != null) ? CONTENT_RANGE.matcher(value.trim()) : null;
		if (matcher == null || !matcher.matches()) {
			return Optional.empty();
		}
		long first = Long.parseLong(matcher.group(1));
		long last = Long.parseLong(matcher.group(2));
		if (last < first) {
			return Optional.empty();
		}
		if (!"*".equals(matcher.group(3))) {
			long size = Long.parseLong(matcher.group(3));
			if (last >= size) {
				return Optional.empty();
			}
			long[] expected;
			try {
				expected = range.resolve(size);
			}
			catch (StorageException ex) {
				return Optional.empty();
			}
			if (expected[0] != first || expected[1] != last) {
				return Optional.empty();
			}
		}
		else if (range.isSuffix() || first != range.start()
				|| (range.end() >= 0 && last > range.end())) {
			// without the size a suffix cannot be checked, and a range must start where asked
			return Optional.empty();
		}
		long length = last - first + 1;
		String contentLength = headers.get(HttpHeaderNames.CONTENT_LENGTH);
		if (contentLength != null && !contentLength.trim().equals(Long.toString(length))) {
			return Optional.empty();
		}
		return Optional.of(length);
	}

	static StorageException mismatch(String key) {
		return new StorageException("The server answered 206 with a range other than the one requested", key, null);
	}

	/** The body, failing if it carries more or fewer bytes than the range named. */
	static Flux<ByteBuf> exactly(Flux<ByteBuf> body, long expected, String key) {
		return Flux.defer(() -> {
			long[] received = { 0 };
			return body.<ByteBuf>handle((chunk, sink) -> {
				received[0] += chunk.readableBytes();
				if (received[0] > expected) {
					sink.error(mismatch(key));
					return;
				}
				sink.next(chunk);
			}).concatWith(Flux.defer(() -> (received[0] == expected) ? Flux.empty()
					: Flux.error(new StorageConnectionException("The server sent " + received[0] + " of the "
							+ expected + " bytes of the range", key, null))));
		});
	}

}
