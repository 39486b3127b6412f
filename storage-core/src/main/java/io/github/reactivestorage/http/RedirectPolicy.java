package io.github.reactivestorage.http;

import java.net.URI;
import java.util.Locale;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;

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

	/** Whether this policy lets a redirect from the base URL's mount go to the target ({@code null}: none usable). */
	boolean allows(URI base, @Nullable URI target) {
		if (target == null || this == NONE) {
			return false;
		}
		String scheme = target.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
			return false;
		}
		return this == ANY || sameOrigin(base, target);
	}

	/** The absolute URL a redirect answer points to, resolved against the request's URL, or {@code null}. */
	static @Nullable URI target(@Nullable String requestUrl, HttpHeaders headers) {
		String location = headers.get(HttpHeaderNames.LOCATION);
		if (requestUrl == null || location == null) {
			return null;
		}
		try {
			return URI.create(requestUrl).resolve(location.trim());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/** Whether a (redirected) request's URL is on the base URL's origin; an unparsable one is not. */
	static boolean sameOrigin(URI base, @Nullable String url) {
		try {
			return url != null && sameOrigin(base, URI.create(url));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
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
