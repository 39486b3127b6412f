package io.github.reactivestorage.autoconfigure;

import software.amazon.awssdk.services.s3.S3AsyncClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import io.github.reactivestorage.autoconfigure.service.S3ConnectionDetails;

/**
 * Backend factories for the cloud types, each active only when its SDK is on the classpath.
 */
@Configuration(proxyBeanMethods = false)
@Import({ CloudBackendsConfiguration.S3BackendConfiguration.class, GcsStorageBackendConfiguration.class,
		AzureStorageBackendConfiguration.class, HttpStorageBackendConfiguration.class })
class CloudBackendsConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "software.amazon.awssdk.services.s3.S3AsyncClient",
			"software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient" })
	static class S3BackendConfiguration {

		@Bean
		StorageBackendFactory s3StorageBackendFactory(ObjectProvider<S3ClientCustomizer> customizers,
				ObjectProvider<S3AsyncClient> client, ObjectProvider<S3ConnectionDetails> connectionDetails) {
			return new S3BackendFactory(customizers.orderedStream().toList(), client.getIfUnique(),
					connectionDetails.orderedStream().toList());
		}

	}

}
