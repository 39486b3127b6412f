package io.github.reactivestorage;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Options of {@link ReactiveStorage#url(String, UrlOptions)}: the HTTP method the URL is for and how
 * long it stays valid. A non-positive expiry is an {@link IllegalArgumentException} at construction;
 * one past the backend's maximum (S3: 7 days) is an {@link IllegalArgumentException} signalled by
 * {@code url}.
 */
public final class UrlOptions {

	/** The HTTP method a URL is signed for. */
	public enum Method {

		GET, PUT

	}

	/** The expiry when none is given. */
	public static final Duration DEFAULT_EXPIRY = Duration.ofHours(1);

	private final Method method;

	private final Duration expiry;

	private final @Nullable String contentType;

	private UrlOptions(Method method, Duration expiry, @Nullable String contentType) {
		Objects.requireNonNull(method, "method must not be null");
		Objects.requireNonNull(expiry, "expiry must not be null");
		if (expiry.isZero() || expiry.isNegative()) {
			throw new IllegalArgumentException("URL expiry must be positive: " + expiry);
		}
		this.method = method;
		this.expiry = expiry;
		this.contentType = contentType;
	}

	/** A GET URL valid for {@link #DEFAULT_EXPIRY}. */
	public static UrlOptions get() {
		return new UrlOptions(Method.GET, DEFAULT_EXPIRY, null);
	}

	/** A GET URL valid for the given time. */
	public static UrlOptions get(Duration expiry) {
		return new UrlOptions(Method.GET, expiry, null);
	}

	/** A PUT URL valid for the given time. */
	public static UrlOptions put(Duration expiry) {
		return new UrlOptions(Method.PUT, expiry, null);
	}

	/**
	 * A PUT URL valid for the given time that requires the uploader to send this content type (signed
	 * into the URL where the backend can).
	 */
	public static UrlOptions put(Duration expiry, @Nullable String contentType) {
		return new UrlOptions(Method.PUT, expiry, contentType);
	}

	public Method method() {
		return this.method;
	}

	public Duration expiry() {
		return this.expiry;
	}

	public @Nullable String contentType() {
		return this.contentType;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof UrlOptions that) && this.method == that.method && this.expiry.equals(that.expiry)
				&& Objects.equals(this.contentType, that.contentType);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.method, this.expiry, this.contentType);
	}

	@Override
	public String toString() {
		return "UrlOptions[" + this.method + ", expiry=" + this.expiry + "]";
	}

}
