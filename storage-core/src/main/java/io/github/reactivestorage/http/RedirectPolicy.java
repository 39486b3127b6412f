package io.github.reactivestorage.http;

import java.net.URI;
import java.util.Locale;

/**
 * Which redirects an {@link HttpStorage} follows ({@code follow-redirects}). Whatever the policy,
 * the configured headers go only to the base URL's origin (scheme, host and port).
 */
public enum RedirectPolicy {

	/** Redirects to the base URL's origin only (the default); one to another origin is an error. */
	SAME_ORIGIN,

	/** Redirects to any {@code http} or {@code https} URL, without the configured headers off the origin. */
	ANY,

	/** No redirect is followed: a 3xx answer is an error. */
	NONE;

	/** The policy named as in configuration ({@code same-origin}, {@code any}, {@code none}), any case. */
	public static RedirectPolicy of(String value) {
		String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
		for (RedirectPolicy policy : values()) {
			if (policy.name().equals(name)) {
				return policy;
			}
		}
		throw new IllegalArgumentException("follow-redirects must be same-origin, any or none: " + value);
	}

	/** Whether two absolute URLs share scheme, host and port (RFC 6454), default ports made explicit. */
	static boolean sameOrigin(URI a, URI b) {
		return a.getScheme() != null && b.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
				&& a.getHost() != null && b.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
				&& port(a) == port(b);
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

}
