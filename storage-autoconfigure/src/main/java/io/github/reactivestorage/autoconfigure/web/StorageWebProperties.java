package io.github.reactivestorage.autoconfigure.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The HTTP endpoints that stream uploads and downloads through mounts ({@code storage.web.*}).
 */
@ConfigurationProperties("storage.web")
public class StorageWebProperties {

	/**
	 * Whether to expose the endpoints.
	 */
	private boolean enabled;

	/**
	 * Path the endpoints are served under: {base-path}/{mount}/{key}.
	 */
	private String basePath = "/storage";

	/**
	 * Mounts the endpoints expose, by name. Only these are served; empty exposes none.
	 */
	private List<String> mounts = new ArrayList<>();

	/**
	 * Content types that downloads may show inline in a browser. Every other type, and every type a
	 * browser runs or renders as a document (HTML, XML, SVG, JavaScript, PDF) whatever this list says,
	 * is sent as an attachment with "Content-Security-Policy: sandbox".
	 */
	private List<String> inlineTypes = new ArrayList<>(List.of("image/png", "image/jpeg", "image/gif",
			"image/webp", "image/avif", "audio/*", "video/*", "text/plain", "text/csv", "application/json"));

	/**
	 * Most parts (files and form fields, empty ones included) a multipart upload may have; more answer 413.
	 */
	private int maxParts = 100;

	/**
	 * Longest pause allowed while an upload or a download streams; a request idle for longer is aborted
	 * (an upload stores nothing).
	 */
	private Duration idleTimeout = Duration.ofSeconds(60);

	/**
	 * Largest upload (a raw PUT body, or all files of a multipart POST together). Checked while the
	 * bytes flow; larger uploads are answered 413 and nothing is stored. Unset means no limit.
	 */
	private @Nullable DataSize maxUploadSize;

	/**
	 * Whether the endpoints only read (GET, HEAD, listing): PUT, POST and DELETE answer 403.
	 */
	private boolean readOnly;

	/**
	 * Entries of a listing page when the request gives no limit.
	 */
	private int defaultPageSize = 1000;

	/**
	 * Largest listing page a request may ask for.
	 */
	private int maxPageSize = 10000;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getBasePath() {
		return this.basePath;
	}

	public void setBasePath(String basePath) {
		this.basePath = basePath;
	}

	public List<String> getMounts() {
		return this.mounts;
	}

	public void setMounts(List<String> mounts) {
		this.mounts = mounts;
	}

	public List<String> getInlineTypes() {
		return this.inlineTypes;
	}

	public void setInlineTypes(List<String> inlineTypes) {
		this.inlineTypes = inlineTypes;
	}

	public int getMaxParts() {
		return this.maxParts;
	}

	public void setMaxParts(int maxParts) {
		this.maxParts = maxParts;
	}

	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	public @Nullable DataSize getMaxUploadSize() {
		return this.maxUploadSize;
	}

	public void setMaxUploadSize(@Nullable DataSize maxUploadSize) {
		this.maxUploadSize = maxUploadSize;
	}

	public boolean isReadOnly() {
		return this.readOnly;
	}

	public void setReadOnly(boolean readOnly) {
		this.readOnly = readOnly;
	}

	public int getDefaultPageSize() {
		return this.defaultPageSize;
	}

	public void setDefaultPageSize(int defaultPageSize) {
		this.defaultPageSize = defaultPageSize;
	}

	public int getMaxPageSize() {
		return this.maxPageSize;
	}

	public void setMaxPageSize(int maxPageSize) {
		this.maxPageSize = maxPageSize;
	}

}
