package io.github.reactivestorage.support;

import java.util.function.Function;

import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * A discard hook for a body's buffers that replaces, rather than joins, any hook further
 * downstream. {@code doOnDiscard} composes with the hooks below it, so a library hook plus the one
 * Spring WebFlux adds when it encodes an annotated controller's {@code Mono} would release a
 * discarded buffer twice; with {@code contextWrite(DiscardedBuffers.releasedOnce())} the operators
 * upstream of it release each discarded {@link DataBuffer} exactly once.
 */
public final class DiscardedBuffers {

	private DiscardedBuffers() {
	}

	/** For {@code contextWrite}: discarded data buffers upstream are released, by this hook only. */
	public static Function<Context, Context> releasedOnce() {
		return context -> Operators.enableOnDiscard(context, DiscardedBuffers::release);
	}

	private static void release(Object discarded) {
		if (discarded instanceof DataBuffer buffer) {
			DataBufferUtils.release(buffer);
		}
	}

}
