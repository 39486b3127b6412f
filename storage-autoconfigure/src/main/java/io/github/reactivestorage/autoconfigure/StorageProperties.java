package io.github.reactivestorage.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the storage mounts ({@code storage.*}).
 */
@ConfigurationProperties("storage")
public class StorageProperties {

	/**
	 * Name of the mount injected where no qualifier is given (the @Primary ReactiveStorage bean).
	 * Optional when there is exactly one mount.
	 */
	private @Nullable String defaultMount;

	/**
	 * Mounts by name. Each becomes a ReactiveStorage bean named after the mount.
	 */
	private Map<String, MountProperties> mounts = new LinkedHashMap<>();

	public @Nullable String getDefaultMount() {
		return this.defaultMount;
	}

	public void setDefaultMount(@Nullable String defaultMount) {
		this.defaultMount = defaultMount;
	}

	public Map<String, MountProperties> getMounts() {
		return this.mounts;
	}

	public void setMounts(Map<String, MountProperties> mounts) {
		this.mounts = mounts;
	}

	@Override
	public String toString() {
		return "StorageProperties[defaultMount=" + this.defaultMount + ", mounts=" + this.mounts + "]";
	}

}
