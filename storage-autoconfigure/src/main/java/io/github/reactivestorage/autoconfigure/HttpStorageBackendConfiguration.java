package io.github.reactivestorage.autoconfigure;

import java.net.URI;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.http.HttpStorage;
import io.github.reactivestorage.http.HttpStorageSettings;
import io.github.reactivestorage.http.RedirectPolicy;

/**
 * The {@code http} backend factory (read-only mounts over a web server or CDN), active when Reactor
 * Netty's HTTP client is on the classpath. Uses {@code base-url}, {@code headers},
 * {@code connect-timeout}, {@code read-timeout} and {@code follow-redirects}; redirects are followed
 * up to {@value HttpStorageSettings#DEFAULT_MAX_REDIRECTS} times.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "reactor.netty.http.client.HttpClient")
class HttpStorageBackendConfiguration {

	@Bean
	StorageBackendFactory httpStorageBackendFactory() {
		return new HttpBackendFactory();
	}

	static final class HttpBackendFactory implements StorageBackendFactory {

		@Override
		public String type() {
			return "http";
		}

		@Override
		public ReactiveStorage create(String name, MountProperties properties) {
			String baseUrl = properties.getBaseUrl();
			if (baseUrl == null || baseUrl.isBlank()) {
				throw MountConfigurationException.missing(name, "base-url", "http");
			}
			RedirectPolicy redirects;
			try {
				redirects = RedirectPolicy.of(properties.getFollowRedirects());
			}
			catch (IllegalArgumentException ex) {
				throw new MountConfigurationException("Mount '" + name + "' of type http has an invalid "
						+ "storage.mounts." + name + ".follow-redirects: " + properties.getFollowRedirects(),
						"Set storage.mounts." + name + ".follow-redirects to same-origin, any or none.", ex);
			}
			HttpStorageSettings settings;
			try {
				settings = HttpStorageSettings.of(URI.create(baseUrl.trim()))
					.withHeaders(properties.getHeaders())
					.withTimeouts(properties.getConnectTimeout(), properties.getReadTimeout())
					.withRedirects(redirects);
			}
			catch (IllegalArgumentException ex) {
				throw new MountConfigurationException("Mount '" + name + "' of type http has an invalid "
						+ "storage.mounts." + name + ".base-url: " + ex.getMessage(),
						"Set storage.mounts." + name + ".base-url to an absolute http or https URL such as "
								+ "https://cdn.example.com/files/.",
						ex);
			}
			return new HttpStorage(name, DefaultDataBufferFactory.sharedInstance, settings);
		}

	}

}
