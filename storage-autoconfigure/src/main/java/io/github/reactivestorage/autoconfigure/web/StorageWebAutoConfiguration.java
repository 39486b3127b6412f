package io.github.reactivestorage.autoconfigure.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.autoconfigure.MountProperties;
import io.github.reactivestorage.autoconfigure.StorageAutoConfiguration;
import io.github.reactivestorage.autoconfigure.StorageProperties;

/**
 * The storage endpoints, when {@code storage.web.enabled=true} in a reactive web application. Only the
 * mounts named in {@code storage.web.mounts} are served (the start-up log says which). A
 * {@link StorageAccessPolicy} bean decides every request. Define a {@link StorageHandler} or a
 * {@code storageRouterFunction} bean to replace them.
 */
@AutoConfiguration(after = StorageAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnProperty(name = "storage.web.enabled", havingValue = "true")
@ConditionalOnBean(StorageMounts.class)
@EnableConfigurationProperties(StorageWebProperties.class)
@Import(DirectUploadConfiguration.class)
public class StorageWebAutoConfiguration {

	private static final Log logger = LogFactory.getLog(StorageWebAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	StorageHandler storageHandler(StorageMounts mounts, StorageWebProperties properties,
			ObjectProvider<StorageAccessPolicy> accessPolicy, ObjectProvider<StorageProperties> storageProperties) {
		logExposure(mounts, properties, storageProperties.getIfAvailable());
		return new StorageHandler(mounts, properties, accessPolicy.getIfAvailable(StorageAccessPolicy::permitAll));
	}

	@Bean
	@ConditionalOnMissingBean(name = "storageRouterFunction")
	RouterFunction<ServerResponse> storageRouterFunction(StorageHandler handler, StorageWebProperties properties) {
		return StorageRoutes.routes(properties.getBasePath(), handler);
	}

	/** Says at start-up what the endpoints expose, and warns about names that expose too little or too much. */
	static List<String> logExposure(StorageMounts mounts, StorageWebProperties properties,
			StorageProperties storageProperties) {
		List<String> warnings = new ArrayList<>();
		List<String> exposed = properties.getMounts();
		if (exposed.isEmpty()) {
			warnings.add("Storage endpoints under " + properties.getBasePath()
					+ " expose no mount: name the mounts to serve in storage.web.mounts");
		}
		else {
			logger.info("Storage endpoints under " + properties.getBasePath() + " expose the mounts " + exposed
					+ ((properties.isReadOnly()) ? " (read-only)" : ""));
		}
		Map<String, MountProperties> configured = (storageProperties != null) ? storageProperties.getMounts() : Map.of();
		for (String name : exposed) {
			if (mounts.find(name).isEmpty()) {
				warnings.add("storage.web.mounts names '" + name + "', which is not a mount; it is not served");
			}
			configured.forEach((cacheName, mount) -> {
				if ("cache".equals(mount.getType()) && (name.equals(mount.getCache()) || name.equals(mount.getOrigin()))) {
					warnings.add("storage.web.mounts exposes '" + name + "', the "
							+ (name.equals(mount.getCache()) ? "cache store" : "origin") + " of cache mount '" + cacheName
							+ "': writes through it bypass the cache (expose '" + cacheName + "' instead)");
				}
			});
		}
		warnings.forEach(logger::warn);
		return warnings;
	}

}
