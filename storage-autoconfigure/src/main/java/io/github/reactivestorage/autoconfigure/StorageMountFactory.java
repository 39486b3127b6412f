package io.github.reactivestorage.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.util.ClassUtils;

import io.github.reactivestorage.ReactiveStorage;

/**
 * Builds the storage of each configured mount: picks the {@link StorageBackendFactory} of its type,
 * then applies the {@link MountDecorator}s. Unknown types and types whose SDK is missing fail with a
 * {@link MountConfigurationException} that names the fix.
 */
public class StorageMountFactory {

	private final StorageProperties properties;

	private final Map<String, StorageBackendFactory> factories = new LinkedHashMap<>();

	private final List<MountDecorator> decorators;

	private final ClassLoader classLoader;

	public StorageMountFactory(StorageProperties properties, List<StorageBackendFactory> factories,
			List<MountDecorator> decorators, ClassLoader classLoader) {
		this.properties = properties;
		this.classLoader = classLoader;
		for (StorageBackendFactory factory : factories) {
			this.factories.putIfAbsent(factory.type(), factory);
		}
		this.decorators = decorators;
	}

	/**
	 * Build the mount with the name.
	 * @throws MountConfigurationException if its configuration is wrong
	 */
	public ReactiveStorage create(String name) {
		MountProperties mount = this.properties.getMounts().get(name);
		if (mount == null) {
			throw new MountConfigurationException("No mount named '" + name + "' is configured",
					"Add storage.mounts." + name + ".type or use one of " + this.properties.getMounts().keySet() + ".");
		}
		String type = mount.getType();
		if (type == null || type.isBlank()) {
			throw new MountConfigurationException("Mount '" + name + "' has no type",
					"Set storage.mounts." + name + ".type to one of " + knownTypes() + ".");
		}
		StorageBackendFactory factory = this.factories.get(type);
		if (factory == null) {
			throw missingFactory(name, type);
		}
		ReactiveStorage storage = factory.create(name, mount);
		for (MountDecorator decorator : this.decorators) {
			storage = decorator.decorate(name, mount, storage);
		}
		return storage;
	}

	private MountConfigurationException missingFactory(String name, String type) {
		KnownBackends.Backend backend = KnownBackends.BACKENDS.get(type);
		if (backend != null && backend.requiredClass() != null
				&& !ClassUtils.isPresent(backend.requiredClass(), this.classLoader)) {
			return new MountConfigurationException(
					"Mount '" + name + "' has type " + type + " but " + backend.requiredClass()
							+ " is not on the classpath",
					"Add the dependency " + backend.dependency() + " (versions are managed by its BOM).");
		}
		if (backend != null) {
			return new MountConfigurationException(
					"Mount '" + name + "' has type " + type + " but no factory for it is active",
					"Make sure " + backend.dependency() + " is on the classpath with all its runtime dependencies, "
							+ "or declare a StorageBackendFactory bean for type '" + type + "'.");
		}
		return new MountConfigurationException(
				"Mount '" + name + "' has unknown type '" + type + "'; the known types are " + knownTypes(),
				"Set storage.mounts." + name + ".type to one of " + knownTypes()
						+ ", or declare a StorageBackendFactory bean for type '" + type + "'.");
	}

	private TreeSet<String> knownTypes() {
		return new TreeSet<>(this.factories.keySet());
	}

}
