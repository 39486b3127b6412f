package io.github.reactivestorage.autoconfigure.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The endpoint that hands browsers a signed form for an upload straight to the backend
 * ({@code POST {base-path}/{mount}/direct-uploads}, {@code storage.web.direct-uploads.*}).
 */
@ConfigurationProperties("storage.web.direct-uploads")
public class DirectUploadProperties {

	/**
	 * Whether to serve the endpoint (on the exposed, writable mounts that sign POST policies).
	 */
	private boolean enabled;

	/**
	 * Key prefix every upload is placed under; the server picks the rest of the key.
	 */
	private String prefix = "uploads/";

	/**
	 * Largest file a form admits; the backend refuses larger ones.
	 */
	private DataSize maxSize = DataSize.ofMegabytes(10);

	/**
	 * How long a form stays valid.
	 */
	private Duration expiry = Duration.ofMinutes(15);

	/**
	 * Content types a form may be asked for: exact types or {@code type/*}. Empty admits any type.
	 */
	private List<String> contentTypes = new ArrayList<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPrefix() {
		return this.prefix;
	}

	public void setPrefix(String prefix) {
		this.prefix = prefix;
	}

	public DataSize getMaxSize() {
		return this.maxSize;
	}

	public void setMaxSize(DataSize maxSize) {
		this.maxSize = maxSize;
	}

	public Duration getExpiry() {
		return this.expiry;
	}

	public void setExpiry(Duration expiry) {
		this.expiry = expiry;
	}

	public List<String> getContentTypes() {
		return this.contentTypes;
	}

	public void setContentTypes(List<String> contentTypes) {
		this.contentTypes = contentTypes;
	}

}
