package io.github.reactivestorage.autoconfigure.web;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.github.reactivestorage.autoconfigure.StorageAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the direct-upload endpoint is configured: off unless asked for, its properties bound, a bad
 * configuration refused at start-up.
 */
class DirectUploadPostPolicyAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class, StorageWebAutoConfiguration.class,
				WebFluxAutoConfiguration.class, HttpHandlerAutoConfiguration.class))
		.withPropertyValues("storage.mounts.uploads.type=memory", "storage.web.enabled=true",
				"storage.web.mounts=uploads");

	@Test
	void offUnlessEnabled() {
		this.runner.run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(StorageHandler.class);
			assertThat(context).doesNotHaveBean(DirectUploadHandler.class);
			assertThat(context).doesNotHaveBean("storageDirectUploadRouterFunction");
		});
	}

	@Test
	void enabledBindsItsPropertiesAndServesTheRoute() {
		this.runner.withPropertyValues("storage.web.direct-uploads.enabled=true",
				"storage.web.direct-uploads.prefix=in/", "storage.web.direct-uploads.max-size=5MB",
				"storage.web.direct-uploads.expiry=2m", "storage.web.direct-uploads.content-types=image/*,application/pdf")
			.run(context -> {
				assertThat(context).hasSingleBean(DirectUploadHandler.class);
				assertThat(context).hasBean("storageDirectUploadRouterFunction");
				DirectUploadProperties properties = context.getBean(DirectUploadProperties.class);
				assertThat(properties.getMaxSize().toMegabytes()).isEqualTo(5);
				assertThat(properties.getExpiry()).hasMinutes(2);
				assertThat(properties.getContentTypes()).containsExactly("image/*", "application/pdf");
				// a memory mount cannot sign forms: the route answers, and says so
				WebTestClient.bindToApplicationContext(context)
					.build()
					.post()
					.uri("/storage/uploads/direct-uploads")
					.exchange()
					.expectStatus()
					.isEqualTo(501);
			});
	}

	@Test
	void aPrefixBreakingTheKeyRulesFailsTheStartUp() {
		this.runner.withPropertyValues("storage.web.direct-uploads.enabled=true",
				"storage.web.direct-uploads.prefix=bad\u0000/")
			.run(context -> assertThat(context).hasFailed());
	}

}
