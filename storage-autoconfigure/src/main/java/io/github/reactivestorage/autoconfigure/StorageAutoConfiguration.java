package io.github.reactivestorage.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.filesystem.FilesystemStorage;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.observation.ByteCounter;
import io.github.reactivestorage.observation.ObservedStorage;
import io.github.reactivestorage.resilience.ResilienceSettings;
import io.github.reactivestorage.resilience.ResilientStorage;
import io.github.reactivestorage.support.PrefixedStorage;
import io.github.reactivestorage.support.ReadOnlyStorage;
import io.github.reactivestorage.transfer.StorageTransfer;

/**
 * Auto-configuration of the storage mounts: one {@link ReactiveStorage} bean per
 * {@code storage.mounts.<name>}, named after the mount, the default one {@code @Primary}, and a
 * {@link StorageMounts} bean. Backends come from {@link StorageBackendFactory} beans (memory and
 * filesystem always; cloud backends when their SDK is on the classpath); {@link MountDecorator} beans
 * wrap them. A {@code type: cache} mount is a {@link io.github.reactivestorage.cache.CachingStorage}
 * over two other mounts. A {@link StorageTransfer} bean copies and moves between the mounts.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@EnableConfigurationProperties(StorageProperties.class)
@Import({ StorageMountsRegistrar.class, CloudBackendsConfiguration.class })
public class StorageAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	StorageMountFactory storageMountFactory(StorageProperties properties,
			ObjectProvider<StorageBackendFactory> factories, ObjectProvider<MountDecorator> decorators,
			ConfigurableListableBeanFactory beanFactory) {
		ClassLoader classLoader = (beanFactory.getBeanClassLoader() != null) ? beanFactory.getBeanClassLoader()
				: getClass().getClassLoader();
		return new StorageMountFactory(properties, factories.orderedStream().toList(),
				decorators.orderedStream().toList(), classLoader);
	}

	@Bean
	@ConditionalOnMissingBean
	StorageMounts storageMounts(StorageProperties properties, ConfigurableListableBeanFactory beanFactory) {
		Map<String, ReactiveStorage> mounts = new LinkedHashMap<>();
		for (String name : properties.getMounts().keySet()) {
			mounts.put(name, beanFactory.getBean(name, ReactiveStorage.class));
		}
		return new StorageMounts(mounts, StorageMountsRegistrar.defaultMount(properties));
	}

	@Bean
	StorageBackendFactory memoryStorageBackendFactory() {
		return new StorageBackendFactory() {

			@Override
			public String type() {
				return "memory";
			}

			@Override
			public ReactiveStorage create(String name, MountProperties properties) {
				long maxSize = (properties.getMaxSize() != null) ? properties.getMaxSize().toBytes() : -1;
				return new MemoryStorage(name, DefaultDataBufferFactory.sharedInstance, maxSize);
			}

		};
	}

	@Bean
	StorageBackendFactory filesystemStorageBackendFactory() {
		return new StorageBackendFactory() {

			@Override
			public String type() {
				return "filesystem";
			}

			@Override
			public ReactiveStorage create(String name, MountProperties properties) {
				if (properties.getPath() == null || properties.getPath().isBlank()) {
					throw MountConfigurationException.missing(name, "path", "filesystem");
				}
				Path root = Paths.get(properties.getPath());
				if (Files.exists(root) && (!Files.isDirectory(root) || !Files.isWritable(root))) {
					throw new MountConfigurationException(
							"storage.mounts." + name + ".path '" + root.toAbsolutePath()
									+ "' exists but is not a writable directory",
							"Point storage.mounts." + name
									+ ".path at a writable directory, or at a path that does not exist yet (it is created on first write).");
				}
				return new FilesystemStorage(name, root, properties.getBaseUrl(), DefaultDataBufferFactory.sharedInstance,
						reactor.core.scheduler.Schedulers.boundedElastic(), properties.getDurability());
			}

		};
	}

	@Bean
	StorageBackendFactory cacheStorageBackendFactory(StorageProperties properties, BeanFactory beanFactory) {
		return new CacheMountBackendFactory(properties, beanFactory);
	}

	@Bean
	@ConditionalOnMissingBean
	StorageTransfer storageTransfer(StorageMounts storageMounts) {
		return new StorageTransfer(storageMounts);
	}

	@Bean
	@Order(0)
	MountDecorator prefixAndReadOnlyMountDecorator() {
		return (name, properties, storage) -> {
			ReactiveStorage decorated = storage;
			if (properties.getPrefix() != null && !properties.getPrefix().isBlank()) {
				decorated = new PrefixedStorage(decorated, properties.getPrefix());
			}
			if (properties.isReadOnly()) {
				decorated = new ReadOnlyStorage(decorated);
			}
			return decorated;
		};
	}

	@Bean
	@Order(100)
	MountDecorator resilienceMountDecorator() {
		return (name, properties, storage) -> {
			MountProperties.Retry retry = properties.getRetry();
			if (properties.getTimeout() == null && retry.getMaxAttempts() <= 1) {
				return storage;
			}
			ResilienceSettings settings = ResilienceSettings.NONE.withTimeout(properties.getTimeout())
				.withMaxAttempts(retry.getMaxAttempts())
				.withBackoff(retry.getInitialBackoff(), retry.getMaxBackoff());
			return new ResilientStorage(storage, settings);
		};
	}

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE - 100)
	MountDecorator observationMountDecorator(ObjectProvider<ObservationRegistry> registry,
			ObjectProvider<StorageByteCounters> counters) {
		return (name, properties, storage) -> {
			ObservationRegistry observationRegistry = registry.getIfAvailable();
			if (!properties.isObservations() || observationRegistry == null || observationRegistry.isNoop()) {
				return storage;
			}
			StorageByteCounters byteCounters = counters.getIfAvailable();
			ByteCounter counter = (byteCounters != null) ? byteCounters.forMount(name, properties.getType())
					: ByteCounter.NONE;
			return new ObservedStorage(storage, observationRegistry, String.valueOf(properties.getType()), counter);
		};
	}

	/**
	 * Counts bytes read and written per mount in Micrometer counters.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class ByteCounterConfiguration {

		@Bean
		StorageByteCounters storageByteCounters(ObjectProvider<MeterRegistry> meterRegistry) {
			return (mount, type) -> {
				MeterRegistry registry = meterRegistry.getIfAvailable();
				if (registry == null) {
					return ByteCounter.NONE;
				}
				Counter read = Counter.builder("storage.bytes.read")
					.baseUnit("bytes")
					.tag("storage.mount", mount)
					.tag("storage.type", String.valueOf(type))
					.register(registry);
				Counter written = Counter.builder("storage.bytes.written")
					.baseUnit("bytes")
					.tag("storage.mount", mount)
					.tag("storage.type", String.valueOf(type))
					.register(registry);
				return new ByteCounter() {

					@Override
					public void read(long bytes) {
						read.increment(bytes);
					}

					@Override
					public void written(long bytes) {
						written.increment(bytes);
					}

				};
			};
		}

	}

	/**
	 * Creates the byte counters of a mount.
	 */
	@FunctionalInterface
	interface StorageByteCounters {

		ByteCounter forMount(String mount, String type);

	}

}
