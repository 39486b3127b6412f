package io.github.reactivestorage.transfer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Pseudo-random bodies generated chunk by chunk on demand (never held whole), and SHA-256 digests
 * computed while streaming.
 */
final class GeneratedBodies {

	static final int CHUNK = 64 * 1024;

	private GeneratedBodies() {
	}

	/** {@code size} bytes determined by {@code seed}, allocated chunk by chunk as requested. */
	static Flux<DataBuffer> body(long size, long seed, DataBufferFactory bufferFactory) {
		return Flux.<DataBuffer, long[]>generate(() -> new long[] { 0 }, (offset, sink) -> {
			if (offset[0] >= size) {
				sink.complete();
				return offset;
			}
			byte[] chunk = chunk(seed, offset[0], (int) Math.min(CHUNK, size - offset[0]));
			offset[0] += chunk.length;
			sink.next(bufferFactory.wrap(chunk));
			return offset;
		});
	}

	/** The SHA-256 of {@link #body}, computed without buffers. */
	static String sha256(long size, long seed) {
		MessageDigest digest = digest();
		for (long offset = 0; offset < size; offset += CHUNK) {
			digest.update(chunk(seed, offset, (int) Math.min(CHUNK, size - offset)));
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	/** The SHA-256 of a stream, releasing every buffer as it is digested. */
	static Mono<String> sha256(Flux<DataBuffer> content) {
		return content.reduce(digest(), (digest, buffer) -> {
			try (DataBuffer.ByteBufferIterator views = buffer.readableByteBuffers()) {
				while (views.hasNext()) {
					digest.update(views.next());
				}
			}
			finally {
				DataBufferUtils.release(buffer);
			}
			return digest;
		}).map((digest) -> HexFormat.of().formatHex(digest.digest()));
	}

	private static byte[] chunk(long seed, long offset, int length) {
		byte[] bytes = new byte[length];
		new SplittableRandom(seed * 31 + offset).nextBytes(bytes);
		return bytes;
	}

	private static MessageDigest digest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
