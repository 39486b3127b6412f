package io.github.reactivestorage;

import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Options of {@link ReactiveStorage#url(String, UrlOptions)}: the HTTP method the URL is for and how
 * long it stays valid. A non-positive expiry is an {@link IllegalArgumentException} at construction;
 * one past the backend's maximum (S3: 7 days) is an {@link IllegalArgumentException} signalled by
 * {@code url}.
 *
 * <p>A PUT URL may also bind the upload ({@link #withContentLength}, {@link #withChecksum}): the value is
 * signed into the URL, the uploader must send it as the header the backend names, and the backend
 * refuses an upload whose header differs. A backend that cannot bind a requested constraint fails the
 * {@code url} call with {@link UnsupportedStorageOperationException} rather than returning a URL that
 * does not bind it.
 */
public final class UrlOptions {

	/** The HTTP method a URL is signed for. */
	public enum Method {

		GET, PUT

	}

	/** A checksum a PUT URL can bind. */
	public enum Checksum {

		/** SHA-256 of the content (S3 {@code x-amz-checksum-sha256}). */
		SHA256(32),

		/** MD5 of the content ({@code Content-MD5}, checked by S3 and GCS). */
		MD5(16);

		private final int length;

		Checksum(int length) {
			this.length = length;
		}

	}

	/** The expiry when none is given. */
	public static final Duration DEFAULT_EXPIRY = Duration.ofHours(1);

	private final Method method;

	private final Duration expiry;

	private final @Nullable String contentType;

	private final long contentLength;

	private final @Nullable Checksum checksum;

	private final @Nullable String checksumValue;

	private UrlOptions(Method method, Duration expiry, @Nullable String contentType) {
		this(method, expiry, contentType, -1, null, null);
	}

	private UrlOptions(Method method, Duration expiry, @Nullable String contentType, long contentLength,
			@Nullable Checksum checksum, @Nullable String checksumValue) {
		Objects.requireNonNull(method, "method must not be null");
		Objects.requireNonNull(expiry, "expiry must not be null");
		if (expiry.isZero() || expiry.isNegative()) {
			throw new IllegalArgumentException("URL expiry must be positive: " + expiry);
		}
		this.method = method;
		this.expiry = expiry;
		this.contentType = contentType;
		this.contentLength = contentLength;
		this.checksum = checksum;
		this.checksumValue = checksumValue;
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

	/** The content length the PUT URL binds, or {@code -1}. */
	public long contentLength() {
		return this.contentLength;
	}

	/** The checksum algorithm the PUT URL binds, or {@code null}. */
	public @Nullable Checksum checksum() {
		return this.checksum;
	}

	/** The base64 checksum value the PUT URL binds, or {@code null}. */
	public @Nullable String checksumValue() {
		return this.checksumValue;
	}

	/** Whether the URL binds anything beyond the content type. */
	public boolean bindsUpload() {
		return this.contentLength >= 0 || this.checksum != null;
	}

	/**
	 * These options binding the exact content length of the upload (PUT only).
	 * @throws IllegalArgumentException for a GET URL or a negative length
	 */
	public UrlOptions withContentLength(long contentLength) {
		requirePut("a content length");
		if (contentLength < 0) {
			throw new IllegalArgumentException("Content length must not be negative: " + contentLength);
		}
		return new UrlOptions(this.method, this.expiry, this.contentType, contentLength, this.checksum,
				this.checksumValue);
	}

	/**
	 * These options binding the checksum of the upload (PUT only), given in base64 as the headers carry
	 * it.
	 * @throws IllegalArgumentException for a GET URL, or a value that is not the base64 of a digest of the
	 * algorithm's length
	 */
	public UrlOptions withChecksum(Checksum algorithm, String base64Value) {
		requirePut("a checksum");
		Objects.requireNonNull(algorithm, "algorithm must not be null");
		Objects.requireNonNull(base64Value, "base64Value must not be null");
		byte[] digest;
		try {
			digest = Base64.getDecoder().decode(base64Value);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Checksum is not base64");
		}
		if (digest.length != algorithm.length) {
			throw new IllegalArgumentException("A " + algorithm + " checksum has " + algorithm.length + " bytes, not "
					+ digest.length);
		}
		// re-encoded so that only the canonical spelling reaches a signature and a header
		return new UrlOptions(this.method, this.expiry, this.contentType, this.contentLength, algorithm,
				Base64.getEncoder().encodeToString(digest));
	}

	private void requirePut(String what) {
		if (this.method != Method.PUT) {
			throw new IllegalArgumentException("Only a PUT URL can bind " + what);
		}
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof UrlOptions that) && this.method == that.method && this.expiry.equals(that.expiry)
				&& Objects.equals(this.contentType, that.contentType) && this.contentLength == that.contentLength
				&& this.checksum == that.checksum && Objects.equals(this.checksumValue, that.checksumValue);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.method, this.expiry, this.contentType, this.contentLength, this.checksumValue);
	}

	@Override
	public String toString() {
		return "UrlOptions[" + this.method + ", expiry=" + this.expiry + "]";
	}

}
