package io.github.reactivestorage;

import java.io.ByteArrayOutputStream;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Collects streamed content into one array, releasing each buffer as it is copied: the one piece
 * behind {@link ReactiveStorage#getBytes} and {@link AbstractReactiveStorage#doGetBytes}.
 */
final class ContentBytes {

	private ContentBytes() {
	}

	static Mono<byte[]> collect(Flux<DataBuffer> content) {
		return content.collect(ByteArrayOutputStream::new, (out, buffer) -> {
			try {
				byte[] chunk = new byte[buffer.readableByteCount()];
				buffer.read(chunk);
				out.write(chunk, 0, chunk.length);
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}).map(ByteArrayOutputStream::toByteArray);
	}

}
