package io.github.reactivestorage.support;

import org.jspecify.annotations.Nullable;

/**
 * Turns an HTTP entity tag ({@code "abc"}, {@code W/"abc"}) into the opaque value
 * {@link io.github.reactivestorage.StoredObject#etag()} carries, without quotes. Shared by the backends
 * whose stores answer with HTTP entity tags (S3, Azure, HTTP).
 */
public final class ETags {

	private ETags() {
	}

	/**
	 * The tag without a weak prefix or surrounding quotes, or {@code null} when there is none.
	 */
	public static @Nullable String opaque(@Nullable String etag) {
		if (etag == null) {
			return null;
		}
		String value = etag.trim();
		if (value.startsWith("W/")) {
			value = value.substring(2);
		}
		if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
			value = value.substring(1, value.length() - 1);
		}
		return value.isEmpty() ? null : value;
	}

}
