package io.github.reactivestorage.autoconfigure;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.http.HttpStorage;
import io.github.reactivestorage.http.HttpStorageSettings;
import io.github.reactivestorage.http.RedirectPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the {@code http} backend factory's wiring (no I/O).
 */
class HttpStorageBackendConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class));

	@Test
	void httpMountFromProperties() {
		this.runner
			.withPropertyValues("storage.mounts.cdn.type=http", "storage.mounts.cdn.base-url=https://cdn.example.com/files",
					"storage.mounts.cdn.headers.Authorization=Bearer token", "storage.mounts.cdn.connect-timeout=2s",
					"storage.mounts.cdn.read-timeout=7s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ReactiveStorage storage = context.getBean("cdn", ReactiveStorage.class);
				HttpStorage http = storage.unwrap(HttpStorage.class);
				assertThat(http).isNotNull();
				HttpStorageSettings settings = http.settings();
				assertThat(settings.baseUrl()).isEqualTo(URI.create("https://cdn.example.com/files/"));
				assertThat(settings.headers()).containsEntry("Authorization", "Bearer token");
				assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(settings.redirects()).isEqualTo(RedirectPolicy.SAME_ORIGIN);
				assertThat(storage.supports(StorageCapability.WRITE)).isFalse();
			});
	}

	@Test
	void followRedirectsIsConfigurable() {
		this.runner
			.withPropertyValues("storage.mounts.cdn.type=http", "storage.mounts.cdn.base-url=https://cdn.example.com/",
					"storage.mounts.cdn.follow-redirects=none")
			.run((context) -> assertThat(context.getBean("cdn", ReactiveStorage.class)
				.unwrap(HttpStorage.class)
				.settings()
				.redirects()).isEqualTo(RedirectPolicy.NONE));
	}

	@Test
	void unknownFollowRedirectsFailsNamingTheProperty() {
		this.runner
			.withPropertyValues("storage.mounts.cdn.type=http", "storage.mounts.cdn.base-url=https://cdn.example.com/",
					"storage.mounts.cdn.follow-redirects=everywhere")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("storage.mounts.cdn.follow-redirects")
				.hasStackTraceContaining("same-origin, any or none"));
	}

	@Test
	void missingBaseUrlFailsNamingTheProperty() {
		this.runner.withPropertyValues("storage.mounts.cdn.type=http")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("storage.mounts.cdn.base-url"));
	}

	@Test
	void invalidBaseUrlFails() {
		this.runner.withPropertyValues("storage.mounts.cdn.type=http", "storage.mounts.cdn.base-url=ftp://example.com/")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("base-url must be an absolute http or https URL")
				.hasStackTraceContaining("storage.mounts.cdn.base-url"));
	}

	@Test
	void withoutReactorNettyTheFactoryIsAbsent() {
		this.runner.withClassLoader(new FilteredClassLoader("reactor.netty.http.client"))
			.run((context) -> assertThat(context.getBeansOfType(StorageBackendFactory.class).values())
				.noneMatch((factory) -> factory.type().equals("http")));
	}

}
