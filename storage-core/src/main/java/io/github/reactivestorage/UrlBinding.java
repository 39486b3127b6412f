package io.github.reactivestorage;

/**
 * A constraint a backend can sign into a PUT URL ({@link UrlOptions#withContentLength},
 * {@link UrlOptions#withChecksum}) so that it refuses an upload that breaks it.
 */
public enum UrlBinding {

	/** The exact content length. */
	CONTENT_LENGTH,

	/** The SHA-256 checksum. */
	CHECKSUM_SHA256,

	/** The MD5 checksum ({@code Content-MD5}). */
	CHECKSUM_MD5;

	/** The binding of a checksum algorithm. */
	public static UrlBinding of(UrlOptions.Checksum checksum) {
		return switch (checksum) {
			case SHA256 -> CHECKSUM_SHA256;
			case MD5 -> CHECKSUM_MD5;
		};
	}

}
