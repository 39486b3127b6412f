package io.github.reactivestorage.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.cache.CachingStorage;

/**
 * Builds {@code type: cache} mounts: a {@link CachingStorage} over the mounts named by {@code origin}
 * and {@code cache}, which are looked up as beans (and so built first). Unknown names, a mount naming
 * itself, a cache that is its own origin and cycles through other cache mounts fail with a
 * {@link MountConfigurationException}.
 */
class CacheMountBackendFactory implements StorageBackendFactory {

	static final String TYPE = "cache";

	private final StorageProperties properties;

	private final BeanFactory beanFactory;

	CacheMountBackendFactory(StorageProperties properties, BeanFactory beanFactory) {
		this.properties = properties;
		this.beanFactory = beanFactory;
	}

	@Override
	public String type() {
		return TYPE;
	}

	@Override
	public ReactiveStorage create(String name, MountProperties mount) {
		String origin = reference(name, mount.getOrigin(), "origin");
		String cache = reference(name, mount.getCache(), "cache");
		if (origin.equals(cache)) {
			throw new MountConfigurationException(
					"Mount '" + name + "' of type cache has '" + origin + "' as both its origin and its cache",
					"Point storage.mounts." + name + ".cache at a separate fast mount (memory or filesystem).");
		}
		checkNoCycle(name, new ArrayList<>(List.of(name)));
		if (mount.getTtl() != null && (mount.getTtl().isNegative() || mount.getTtl().isZero())) {
			throw new MountConfigurationException(
					"storage.mounts." + name + ".ttl is " + mount.getTtl() + " but must be positive",
					"Set storage.mounts." + name + ".ttl to a positive duration (e.g. 10m), or remove it.");
		}
		long maxSize = (mount.getMaxSize() != null) ? mount.getMaxSize().toBytes() : -1;
		if (this.beanFactory instanceof ConfigurableBeanFactory configurable) {
			// closed before the mounts it uses
			configurable.registerDependentBean(origin, name);
			configurable.registerDependentBean(cache, name);
		}
		return new CachingStorage(name, this.beanFactory.getBean(origin, ReactiveStorage.class),
				this.beanFactory.getBean(cache, ReactiveStorage.class), maxSize, mount.getTtl());
	}

	private String reference(String name, @Nullable String target, String property) {
		if (target == null || target.isBlank()) {
			throw MountConfigurationException.missing(name, property, TYPE);
		}
		if (target.equals(name)) {
			throw new MountConfigurationException(
					"storage.mounts." + name + "." + property + " names the mount itself",
					"Set storage.mounts." + name + "." + property + " to another mount"
							+ ("origin".equals(property) ? " (the slow one reads fall back to)."
									: " (a fast memory or filesystem mount)."));
		}
		Map<String, MountProperties> mounts = this.properties.getMounts();
		if (!mounts.containsKey(target)) {
			throw new MountConfigurationException(
					"storage.mounts." + name + "." + property + " is '" + target + "' but no mount has that name; the mounts are "
							+ mounts.keySet(),
					"Set storage.mounts." + name + "." + property + " to one of " + others(name) + ".");
		}
		return target;
	}

	/** Follow origin and cache references through other cache mounts; coming back to one is a cycle. */
	private void checkNoCycle(String current, List<String> path) {
		MountProperties mount = this.properties.getMounts().get(current);
		if (mount == null || !TYPE.equals(mount.getType())) {
			return;
		}
		for (String next : new String[] { mount.getOrigin(), mount.getCache() }) {
			if (next == null) {
				continue;
			}
			if (path.contains(next)) {
				List<String> cycle = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
				cycle.add(next);
				throw new MountConfigurationException(
						"Cache mounts refer to each other in a cycle: " + String.join(" -> ", cycle),
						"Make the origin and cache of each cache mount a mount that is not (through other caches) "
								+ "the cache mount itself.");
			}
			path.add(next);
			checkNoCycle(next, path);
			path.remove(path.size() - 1);
		}
	}

	private List<String> others(String name) {
		return this.properties.getMounts().keySet().stream().filter((other) -> !other.equals(name)).toList();
	}

}
