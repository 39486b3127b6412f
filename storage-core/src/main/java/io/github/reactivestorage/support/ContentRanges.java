package io.github.reactivestorage.support;

import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code Content-Range} header of a {@code 206} answer, for backends whose SDK or client hands
 * it over as a string. Written here because Spring's {@code HttpRange} parses request {@code Range}
 * headers only.
 */
public final class ContentRanges {

	private ContentRanges() {
	}

	/**
	 * {@code bytes first-last/size} as {@code [first, last, size]}, or {@code null} when the header is
	 * missing, malformed, or gives no size ({@code *}).
	 */
	public static long @Nullable [] parse(@Nullable String header) {
		if (header == null || !header.startsWith("bytes ")) {
			return null;
		}
		int dash = header.indexOf('-', 6);
		int slash = header.indexOf('/', 6);
		if (dash < 0 || slash < dash) {
			return null;
		}
		try {
			return new long[] { Long.parseLong(header.substring(6, dash).trim()),
					Long.parseLong(header.substring(dash + 1, slash).trim()),
					Long.parseLong(header.substring(slash + 1).trim()) };
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
