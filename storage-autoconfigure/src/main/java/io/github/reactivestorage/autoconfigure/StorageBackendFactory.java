package io.github.reactivestorage.autoconfigure;

import io.github.reactivestorage.ReactiveStorage;

/**
 * Creates the storage of one backend type from a mount's properties. Declare one as a bean to add a
 * custom backend: mounts with {@code type} equal to {@link #type()} are built by it. The
 * auto-configuration applies {@code prefix}, {@code read-only}, timeouts, retries and observation on
 * top, so a factory only builds the bare backend.
 */
public interface StorageBackendFactory {

	/** The {@code storage.mounts.<name>.type} this factory builds. */
	String type();

	/**
	 * Build the backend of a mount.
	 * @param name the mount name (also the bean name)
	 * @param properties the mount's properties
	 * @throws MountConfigurationException naming the property to fix when the properties are incomplete
	 */
	ReactiveStorage create(String name, MountProperties properties);

}
