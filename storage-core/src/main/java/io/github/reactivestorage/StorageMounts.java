package io.github.reactivestorage;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The configured mounts, by name. The Spring Boot auto-configuration exposes one as a bean; it can
 * also be built by hand. Iterates in configuration order.
 */
public final class StorageMounts implements Iterable<ReactiveStorage> {

	private final Map<String, ReactiveStorage> mounts;

	private final @Nullable String defaultMount;

	/**
	 * @param mounts the mounts by name
	 * @param defaultMount the name of the default mount; {@code null} means the only mount if there is
	 * exactly one, else none
	 * @throws IllegalArgumentException if {@code defaultMount} names no mount
	 */
	public StorageMounts(Map<String, ? extends ReactiveStorage> mounts, @Nullable String defaultMount) {
		this.mounts = Collections.unmodifiableMap(new LinkedHashMap<>(mounts));
		if (defaultMount != null && !this.mounts.containsKey(defaultMount)) {
			throw new IllegalArgumentException(
					"Default mount '" + defaultMount + "' is not one of the mounts " + this.mounts.keySet());
		}
		this.defaultMount = (defaultMount != null) ? defaultMount
				: (this.mounts.size() == 1) ? this.mounts.keySet().iterator().next() : null;
	}

	/** The mount names, in configuration order. */
	public Set<String> names() {
		return this.mounts.keySet();
	}

	/** The mounts by name. */
	public Map<String, ReactiveStorage> asMap() {
		return this.mounts;
	}

	/** The mount with the name, if any. */
	public Optional<ReactiveStorage> find(String name) {
		return Optional.ofNullable(this.mounts.get(name));
	}

	/**
	 * The mount with the name.
	 * @throws StorageConfigurationException naming the known mounts if there is none
	 */
	public ReactiveStorage get(String name) {
		ReactiveStorage storage = this.mounts.get(name);
		if (storage == null) {
			throw new StorageConfigurationException(
					"No mount named '" + name + "'; the mounts are " + this.mounts.keySet());
		}
		return storage;
	}

	/** The name of the default mount, if there is one. */
	public Optional<String> defaultMountName() {
		return Optional.ofNullable(this.defaultMount);
	}

	/**
	 * The default mount.
	 * @throws StorageConfigurationException if there is none
	 */
	public ReactiveStorage getDefault() {
		if (this.defaultMount == null) {
			throw new StorageConfigurationException("No default mount: set storage.default-mount to one of "
					+ this.mounts.keySet());
		}
		return this.mounts.get(this.defaultMount);
	}

	@Override
	public Iterator<ReactiveStorage> iterator() {
		return this.mounts.values().iterator();
	}

	@Override
	public String toString() {
		return "StorageMounts" + this.mounts.keySet();
	}

}
