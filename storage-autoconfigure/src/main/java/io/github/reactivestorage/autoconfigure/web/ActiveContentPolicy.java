package io.github.reactivestorage.autoconfigure.web;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.StoredObject;

/**
 * Decides how a download may be shown by a browser. Objects are uploaded by clients, so a stored
 * {@code text/html} or {@code image/svg+xml} served inline would run the uploader's script in the
 * application's origin. Only types on the inline allow-list ({@code storage.web.inline-types}) that a
 * browser cannot run or render as a document are served inline; everything else, whatever the list
 * says, gets {@code Content-Disposition: attachment} and {@code Content-Security-Policy: sandbox}
 * (which also covers a browser that ignores the disposition or a user who opens the saved file from a
 * link).
 */
final class ActiveContentPolicy {

	/** The CSP of every download that is not inline-safe: a unique origin, no script, no plugins. */
	static final String SANDBOX = "sandbox";

	private final List<MediaType> inlineTypes;

	ActiveContentPolicy(List<String> inlineTypes) {
		this.inlineTypes = inlineTypes.stream().map(MediaType::parseMediaType).toList();
	}

	/**
	 * Add the disposition and CSP headers a download of {@code object} needs. A disposition already
	 * present ({@code ?download}) is kept.
	 * @param headers the response headers
	 * @param object the object served
	 * @param key the key it is served under (its last segment names the attachment)
	 */
	void apply(HttpHeaders headers, StoredObject object, String key) {
		if (isInline(object.contentType())) {
			return;
		}
		headers.set("Content-Security-Policy", SANDBOX);
		if (!headers.containsHeader(HttpHeaders.CONTENT_DISPOSITION)) {
			headers.setContentDisposition(StorageDownloads.contentDisposition(StorageKeys.filename(key)));
		}
	}

	/** Whether an object of this stored content type may be shown inline. */
	boolean isInline(@Nullable String contentType) {
		MediaType type = parse(contentType);
		if (type == null || isActive(type)) {
			return false;
		}
		for (MediaType allowed : this.inlineTypes) {
			if (allowed.includes(type)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Types a browser runs or renders as a document: HTML, XHTML and every other XML (SVG, MathML, XSLT,
	 * RSS), JavaScript in all its names, PDF (its viewers run embedded script and forms), Flash, and the
	 * multipart and message types a browser may render as documents.
	 * These are never inline, so that a broad allow-list entry ({@code text/*}) cannot let them through.
	 */
	static boolean isActive(MediaType type) {
		if (type.isWildcardType() || type.isWildcardSubtype()) {
			return true;
		}
		String main = type.getType().toLowerCase(Locale.ROOT);
		String sub = type.getSubtype().toLowerCase(Locale.ROOT);
		if (sub.equals("xml") || sub.endsWith("+xml") || sub.contains("html") || sub.contains("javascript")
				|| sub.contains("ecmascript") || sub.equals("jscript") || sub.equals("livescript")
				|| sub.equals("x-shockwave-flash") || sub.equals("pdf") || sub.equals("xsl")
				|| sub.equals("xslt")) {
			return true;
		}
		return main.equals("multipart") || main.equals("message");
	}

	private static @Nullable MediaType parse(@Nullable String contentType) {
		if (contentType == null) {
			return null;
		}
		try {
			return MediaType.parseMediaType(contentType);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

}
