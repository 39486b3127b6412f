package io.github.reactivestorage.autoconfigure.web;

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
import io.github.reactivestorage.autoconfigure.StorageAutoConfiguration;

/**
 * The storage endpoints, when {@code storage.web.enabled=true} in a reactive web application. Define
 * a {@link StorageHandler} or a {@code storageRouterFunction} bean to replace them.
 */
@AutoConfiguration(after = StorageAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnProperty(name = "storage.web.enabled", havingValue = "true")
@ConditionalOnBean(StorageMounts.class)
@EnableConfigurationProperties(StorageWebProperties.class)
@Import(DirectUploadConfiguration.class)
public class StorageWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	StorageHandler storageHandler(StorageMounts mounts, StorageWebProperties properties) {
		return new StorageHandler(mounts, properties);
	}

	@Bean
	@ConditionalOnMissingBean(name = "storageRouterFunction")
	RouterFunction<ServerResponse> storageRouterFunction(StorageHandler handler, StorageWebProperties properties) {
		return StorageRoutes.routes(properties.getBasePath(), handler);
	}

}
