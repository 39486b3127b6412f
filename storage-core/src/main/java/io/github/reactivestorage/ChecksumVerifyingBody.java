package io.github.reactivestorage;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * A put's body that computes a {@link Checksum} as it streams and, when the checksum has an expected
 * value, ends with a {@link ChecksumMismatchException} instead of completing when the content differs.
 * Every backend commits an object only when its body completes and stores nothing when the body
 * errors, so a wrong checksum never replaces the old version, on every backend, before any native
 * check the store itself does. {@link AbstractReactiveStorage} wraps the body
 * of a put with a checksum in one; a backend that keeps checksums reads {@link #checksums()} once the
 * body has completed. Each subscription computes afresh (a retried body is hashed again).
 */
public final class ChecksumVerifyingBody implements Publisher<DataBuffer> {

	private final Flux<DataBuffer> flux;

	private final Checksum checksum;

	private volatile @Nullable String value;

	/**
	 * @param body the body, whose buffers pass through unchanged
	 * @param checksum the checksum to compute and verify
	 * @param key the key, for the error
	 */
	public ChecksumVerifyingBody(Publisher<DataBuffer> body, Checksum checksum, String key) {
		this.checksum = checksum;
		this.flux = Flux.defer(() -> {
			Checksums.Hasher hasher = Checksums.hasher(checksum.algorithm());
			return Flux.from(body).doOnNext(hasher::update).concatWith(Mono.defer(() -> {
				String actual = hasher.base64();
				String expected = checksum.expected();
				if (expected != null && !expected.equals(actual)) {
					// the computed value is the client's own content: telling it back helps and reveals nothing
					return Mono.error(new ChecksumMismatchException("The content's " + checksum.algorithm().token()
							+ " checksum is " + actual + ", not the expected " + expected + "; nothing was stored", key,
							null));
				}
				this.value = actual;
				return Mono.empty();
			}));
		});
	}

	/** The checksum this body computes. */
	public Checksum checksum() {
		return this.checksum;
	}

	/**
	 * The computed (and, if expected, verified) checksum keyed by its algorithm's token, once the body
	 * has completed; empty before.
	 */
	public Map<String, String> checksums() {
		String computed = this.value;
		return (computed != null) ? Map.of(this.checksum.algorithm().token(), computed) : Map.of();
	}

	/** The verifying body of a put's body, or {@code null} when it is another publisher. */
	public static @Nullable ChecksumVerifyingBody of(Publisher<DataBuffer> body) {
		return (body instanceof ChecksumVerifyingBody verifying) ? verifying : null;
	}

	@Override
	public void subscribe(Subscriber<? super DataBuffer> subscriber) {
		this.flux.subscribe(subscriber);
	}

}
