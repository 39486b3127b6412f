package io.github.reactivestorage.autoconfigure.actuate;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.autoconfigure.StorageAutoConfiguration;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.support.ForwardingReactiveStorage;

import static org.assertj.core.api.Assertions.assertThat;

class StorageActuatorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class, StorageActuatorAutoConfiguration.class))
		.withPropertyValues("storage.mounts.uploads.type=memory", "storage.mounts.media.type=memory",
				"storage.mounts.media.prefix=tenant", "storage.mounts.media.read-only=true",
				"storage.mounts.media.secret-access-key=NOTSHOWN", "storage.default-mount=uploads");

	@Test
	void healthHasOneEntryPerMount() {
		this.runner.run(context -> {
			CompositeReactiveHealthContributor health = context.getBean("storageHealthContributor",
					CompositeReactiveHealthContributor.class);
			ReactiveHealthIndicator uploads = (ReactiveHealthIndicator) health.getContributor("uploads");
			Health result = uploads.health().block();
			assertThat(result.getStatus()).isEqualTo(Status.UP);
			assertThat(result.getDetails()).containsEntry("type", "memory").containsEntry("writable", true);
			assertThat(health.getContributor("media")).isNotNull();
			assertThat(result.toString()).doesNotContain("NOTSHOWN");
		});
	}

	@Test
	void aFailingMountIsDownWithoutSecrets() {
		StorageMountHealthIndicator indicator = new StorageMountHealthIndicator(
				new ForwardingReactiveStorage(new MemoryStorage("broken")) {
					@Override
					public Mono<Boolean> exists(String key) {
						return Mono.error(new StorageConnectionException("Could not reach s3.internal.example:9000"));
					}
				}, "s3", Duration.ofSeconds(1));
		Health health = indicator.health().block();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("error", "unreachable")
			.containsEntry("reason", "The store is unreachable")
			.containsEntry("mount", "broken")
			.containsKey("errorId");
		assertThat(health.getDetails().toString()).doesNotContain("s3.internal.example", "9000", "Exception");
	}

	@Test
	void aHangingMountIsDownAfterTheTimeout() {
		StorageMountHealthIndicator indicator = new StorageMountHealthIndicator(
				new ForwardingReactiveStorage(new MemoryStorage("slow")) {
					@Override
					public Mono<Boolean> exists(String key) {
						return Mono.never();
					}
				}, "http", Duration.ofMillis(100));
		Health health = indicator.health().block(Duration.ofSeconds(5));
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("error", "timeout");
	}

	@Test
	void healthCanBeSwitchedOff() {
		this.runner.withPropertyValues("management.health.storage.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean("storageHealthContributor"));
	}

	@Test
	void endpointDescribesTheMounts() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=storage").run(context -> {
			StorageEndpoint.StorageDescriptor descriptor = context.getBean(StorageEndpoint.class).mounts();
			assertThat(descriptor.defaultMount()).isEqualTo("uploads");
			StorageEndpoint.MountDescriptor media = descriptor.mounts().get("media");
			assertThat(media.type()).isEqualTo("memory");
			assertThat(media.prefix()).isEqualTo("tenant/");
			assertThat(media.readOnly()).isTrue();
			assertThat(media.capabilities()).contains("LIST").doesNotContain("WRITE");
			assertThat(descriptor.toString()).doesNotContain("NOTSHOWN");
			assertThat(context.getBean(StorageEndpoint.class).mount("nope")).isNull();
		});
	}

}
