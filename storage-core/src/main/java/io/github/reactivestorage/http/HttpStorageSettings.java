package io.github.reactivestorage.http;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How an {@link HttpStorage} reaches its server.
 *
 * @param baseUrl the URL keys are resolved against ({@code http} or {@code https}); a missing
 * trailing slash is added
 * @param headers extra headers sent with every request (for example an authorization token); their
 * values are never logged
 * @param connectTimeout how long to wait for a TCP connection
 * @param readTimeout the longest wait for the response and between two reads of its body
 * @param maxRedirects how many redirects are followed before the request fails (0 follows none)
 * @param redirects which redirects are followed ({@code null} gives {@link RedirectPolicy#SAME_ORIGIN})
 */
public record HttpStorageSettings(URI baseUrl, Map<String, String> headers, Duration connectTimeout,
		Duration readTimeout, int maxRedirects, RedirectPolicy redirects) {

	/** The default connect timeout. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	/** The default read timeout. */
	public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

	/** The default redirect limit. */
	public static final int DEFAULT_MAX_REDIRECTS = 5;

	public HttpStorageSettings {
		Objects.requireNonNull(baseUrl, "baseUrl must not be null");
		String scheme = baseUrl.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
				|| baseUrl.getHost() == null) {
			throw new IllegalArgumentException("base-url must be an absolute http or https URL: " + baseUrl);
		}
		if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
			throw new IllegalArgumentException("base-url must not have a query or fragment: " + baseUrl);
		}
		String path = (baseUrl.getRawPath() == null || baseUrl.getRawPath().isEmpty()) ? "/" : baseUrl.getRawPath();
		if (!path.endsWith("/")) {
			path = path + "/";
		}
		baseUrl = URI.create(scheme.toLowerCase(java.util.Locale.ROOT) + "://" + baseUrl.getRawAuthority() + path);
		headers = (headers == null) ? Map.of() : Map.copyOf(new LinkedHashMap<>(headers));
		connectTimeout = requirePositive(connectTimeout, DEFAULT_CONNECT_TIMEOUT, "connectTimeout");
		readTimeout = requirePositive(readTimeout, DEFAULT_READ_TIMEOUT, "readTimeout");
		if (maxRedirects < 0) {
			throw new IllegalArgumentException("maxRedirects must not be negative: " + maxRedirects);
		}
		redirects = (redirects != null) ? redirects : RedirectPolicy.SAME_ORIGIN;
	}

	/** Settings following same-origin redirects, as before the redirect policy existed. */
	public HttpStorageSettings(URI baseUrl, Map<String, String> headers, Duration connectTimeout,
			Duration readTimeout, int maxRedirects) {
		this(baseUrl, headers, connectTimeout, readTimeout, maxRedirects, RedirectPolicy.SAME_ORIGIN);
	}

	/** Settings with the base URL and the defaults. */
	public static HttpStorageSettings of(URI baseUrl) {
		return new HttpStorageSettings(baseUrl, Map.of(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT,
				DEFAULT_MAX_REDIRECTS);
	}

	/** These settings with the extra headers. */
	public HttpStorageSettings withHeaders(Map<String, String> headers) {
		return new HttpStorageSettings(this.baseUrl, headers, this.connectTimeout, this.readTimeout, this.maxRedirects,
				this.redirects);
	}

	/** These settings with the timeouts ({@code null} keeps the default). */
	public HttpStorageSettings withTimeouts(Duration connectTimeout, Duration readTimeout) {
		return new HttpStorageSettings(this.baseUrl, this.headers, connectTimeout, readTimeout, this.maxRedirects,
				this.redirects);
	}

	/** These settings with the redirect limit. */
	public HttpStorageSettings withMaxRedirects(int maxRedirects) {
		return new HttpStorageSettings(this.baseUrl, this.headers, this.connectTimeout, this.readTimeout, maxRedirects,
				this.redirects);
	}

	/** These settings with the redirect policy. */
	public HttpStorageSettings withRedirects(RedirectPolicy redirects) {
		return new HttpStorageSettings(this.baseUrl, this.headers, this.connectTimeout, this.readTimeout,
				this.maxRedirects, redirects);
	}

	private static Duration requirePositive(Duration value, Duration fallback, String name) {
		if (value == null) {
			return fallback;
		}
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive: " + value);
		}
		return value;
	}

	/** Header names only: values (tokens) are never printed. */
	@Override
	public String toString() {
		return "HttpStorageSettings[baseUrl=" + this.baseUrl + ", headers=" + this.headers.keySet()
				+ ", connectTimeout=" + this.connectTimeout + ", readTimeout=" + this.readTimeout + ", maxRedirects="
				+ this.maxRedirects + ", redirects=" + this.redirects + "]";
	}

}
