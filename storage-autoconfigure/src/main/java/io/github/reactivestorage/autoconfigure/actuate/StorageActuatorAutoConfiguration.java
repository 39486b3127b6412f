package io.github.reactivestorage.autoconfigure.actuate;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.autoconfigure.MountProperties;
import io.github.reactivestorage.autoconfigure.StorageAutoConfiguration;
import io.github.reactivestorage.autoconfigure.StorageProperties;

/**
 * Actuator support for the mounts: a {@code storage} health group with one entry per mount, and the
 * {@code storage} endpoint describing them. Both are optional: each needs its Boot module on the
 * classpath ({@code spring-boot-health}, {@code spring-boot-actuator-autoconfigure}).
 */
@AutoConfiguration(after = StorageAutoConfiguration.class)
@ConditionalOnBean(StorageMounts.class)
public class StorageActuatorAutoConfiguration {

	/** How long a mount's health probe may take. */
	static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(5);

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.ReactiveHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("storage")
	static class StorageHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "storageHealthContributor")
		CompositeReactiveHealthContributor storageHealthContributor(StorageMounts mounts,
				StorageProperties properties) {
			Map<String, MountProperties> configured = properties.getMounts();
			return CompositeReactiveHealthContributor.fromMap(mounts.asMap(),
					storage -> new StorageMountHealthIndicator(storage, type(configured, storage.name()),
							HEALTH_TIMEOUT));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
	static class StorageEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		StorageEndpoint storageEndpoint(StorageMounts mounts, StorageProperties properties) {
			return new StorageEndpoint(mounts, name -> type(properties.getMounts(), name));
		}

	}

	private static String type(Map<String, MountProperties> configured, String name) {
		MountProperties mount = configured.get(name);
		return (mount != null && mount.getType() != null) ? mount.getType() : "custom";
	}

}
