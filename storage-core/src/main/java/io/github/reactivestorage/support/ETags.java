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

	/**
	 * The opaque etag as a strong HTTP entity tag ({@code "abc"}) for an {@code If-Match} header, or
	 * {@code null} when it holds a character an entity tag cannot (RFC 9110: visible ASCII except
	 * {@code "}): no stored object has such an etag, so a condition naming it can only fail, and it
	 * must never reach a request header (a CR or LF would split it). {@code *} is refused too: no store
	 * gives it as an etag, and some (Azurite) read {@code "*"} as the wildcard.
	 */
	public static @Nullable String strong(String etag) {
		if (etag.isEmpty() || etag.equals("*")) {
			return null;
		}
		for (int i = 0; i < etag.length(); i++) {
			char c = etag.charAt(i);
			if (c < 0x21 || c == '"' || c > 0x7E) {
				return null;
			}
		}
		return "\"" + etag + "\"";
	}

}
