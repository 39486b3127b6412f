package io.github.reactivestorage.autoconfigure;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Backend factories for the cloud types, each active only when its SDK is on the classpath.
 */
@Configuration(proxyBeanMethods = false)
@Import({ S3StorageBackendConfiguration.class, AzureStorageBackendConfiguration.class })
class CloudBackendsConfiguration {

}
