package io.github.reactivestorage.autoconfigure.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.github.reactivestorage.StorageMounts;

/**
 * The direct-upload endpoint, imported by {@link StorageWebAutoConfiguration} and active with
 * {@code storage.web.direct-uploads.enabled=true}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "storage.web.direct-uploads.enabled", havingValue = "true")
@EnableConfigurationProperties(DirectUploadProperties.class)
class DirectUploadConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DirectUploadHandler storageDirectUploadHandler(StorageMounts mounts, StorageWebProperties web,
			DirectUploadProperties properties, ObjectProvider<StorageAccessPolicy> accessPolicy) {
		return new DirectUploadHandler(mounts, web, properties,
				accessPolicy.getIfAvailable(StorageAccessPolicy::permitAll));
	}

	@Bean
	@ConditionalOnMissingBean(name = "storageDirectUploadRouterFunction")
	RouterFunction<ServerResponse> storageDirectUploadRouterFunction(DirectUploadHandler handler,
			StorageWebProperties web) {
		return DirectUploadRoutes.routes(web.getBasePath(), handler);
	}

}
