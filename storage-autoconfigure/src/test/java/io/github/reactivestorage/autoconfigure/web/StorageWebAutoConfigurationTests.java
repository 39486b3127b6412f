package io.github.reactivestorage.autoconfigure.web;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.autoconfigure.StorageAutoConfiguration;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.support.ForwardingReactiveStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the endpoints are configured, how they are replaced, and how backend failures are answered.
 */
class StorageWebAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class, StorageWebAutoConfiguration.class,
				WebFluxAutoConfiguration.class, HttpHandlerAutoConfiguration.class))
		.withPropertyValues("storage.mounts.uploads.type=memory");

	@Test
	void offByDefault() {
		this.runner.run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(StorageHandler.class);
			assertThat(context).doesNotHaveBean("storageRouterFunction");
		});
	}

	@Test
	void enabledServesTheMountsUnderTheBasePath() {
		this.runner.withPropertyValues("storage.web.enabled=true", "storage.web.base-path=/files",
				"storage.web.mounts=uploads", "storage.web.max-upload-size=1KB")
			.run(context -> {
				assertThat(context).hasSingleBean(StorageHandler.class);
				StorageWebProperties properties = context.getBean(StorageWebProperties.class);
				assertThat(properties.getMaxUploadSize().toBytes()).isEqualTo(1024);
				WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
				client.put().uri("/files/uploads/a.txt").contentType(MediaType.TEXT_PLAIN).bodyValue("hello")
					.exchange()
					.expectStatus().isCreated();
				client.get().uri("/files/uploads/a.txt").exchange()
					.expectStatus().isOk()
					.expectBody(String.class).isEqualTo("hello");
				client.put().uri("/files/uploads/big.bin").bodyValue(new byte[2048]).exchange()
					.expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
			});
	}

	@Test
	void notAReactiveWebApplicationNoEndpoints() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class, StorageWebAutoConfiguration.class))
			.withPropertyValues("storage.mounts.uploads.type=memory", "storage.web.enabled=true")
			.run(context -> assertThat(context).doesNotHaveBean(StorageHandler.class));
	}

	@Test
	void userRouterFunctionReplacesTheDefault() {
		this.runner.withPropertyValues("storage.web.enabled=true", "storage.web.mounts=uploads")
			.withUserConfiguration(OwnRoutes.class)
			.run(context -> {
				assertThat(context).hasSingleBean(StorageHandler.class);
				assertThat(context.getBean("storageRouterFunction")).isSameAs(context.getBean(OwnRoutes.class).routes);
				WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
				client.put().uri("/api/blobs/uploads/a.txt").bodyValue("x").exchange().expectStatus().isCreated();
				client.get().uri("/storage/uploads/a.txt").exchange().expectStatus().isNotFound();
			});
	}

	@Test
	void unreachableBackendIs503ProblemWithoutInternals() {
		ReactiveStorage down = new ForwardingReactiveStorage(new MemoryStorage("down")) {

			@Override
			public Mono<StoredObject> info(String key) {
				return Mono.error(new StorageConnectionException("Backend unreachable", key,
						new IllegalStateException("password=hunter2 at 10.0.0.1")));
			}

			@Override
			public Mono<StoredObject> put(String key, org.reactivestreams.Publisher<DataBuffer> body,
					PutOptions options) {
				return Mono.error(new StorageConnectionException("Backend unreachable", key,
						new IllegalStateException("password=hunter2 at 10.0.0.1")));
			}

			@Override
			public Flux<StoredObject> list(io.github.reactivestorage.ListOptions options) {
				return Flux.error(new IllegalStateException("password=hunter2 at 10.0.0.1"));
			}

		};
		StorageHandler handler = new StorageHandler(new StorageMounts(Map.of("down", down), "down"), exposing("down"));
		WebTestClient client = WebTestClient.bindToRouterFunction(StorageRoutes.routes("/storage", handler)).build();
		for (WebTestClient.ResponseSpec response : new WebTestClient.ResponseSpec[] {
				client.get().uri("/storage/down/a.txt").exchange(),
				client.put().uri("/storage/down/a.txt").bodyValue("x").exchange() }) {
			byte[] body = response.expectStatus().isEqualTo(503)
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.status").isEqualTo(503)
				.jsonPath("$.key").isEqualTo("a.txt")
				.returnResult()
				.getResponseBody();
			assertThat(new String(body, StandardCharsets.UTF_8)).doesNotContain("hunter2", "Exception", "\tat ");
		}
		byte[] body = client.get().uri("/storage/down").exchange()
			.expectStatus().isEqualTo(500)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().returnResult().getResponseBody();
		assertThat(new String(body, StandardCharsets.UTF_8)).doesNotContain("hunter2", "Exception", "\tat ");
	}

	@Test
	void rawPutPassesContentTypeAndLengthToTheMount() {
		java.util.List<PutOptions> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
		ReactiveStorage recording = new ForwardingReactiveStorage(new MemoryStorage("rec")) {

			@Override
			public Mono<StoredObject> put(String key, org.reactivestreams.Publisher<DataBuffer> body,
					PutOptions options) {
				seen.add(options);
				return super.put(key, body, options);
			}

		};
		StorageHandler handler = new StorageHandler(new StorageMounts(Map.of("rec", recording), "rec"), exposing("rec"));
		WebTestClient client = WebTestClient.bindToRouterFunction(StorageRoutes.routes("/storage", handler)).build();
		client.put().uri("/storage/rec/notes/a.csv").contentType(MediaType.parseMediaType("text/csv;charset=UTF-8"))
			.contentLength(5)
			.bodyValue("a,b,c")
			.exchange()
			.expectStatus().isCreated()
			.expectBody().jsonPath("$.contentType").isEqualTo("text/csv;charset=UTF-8").jsonPath("$.size").isEqualTo(5);
		assertThat(seen).singleElement().satisfies(options -> {
			assertThat(options.contentLength()).isEqualTo(5);
			assertThat(options.contentType()).isEqualTo("text/csv;charset=UTF-8");
		});
	}

	private static StorageWebProperties exposing(String... mounts) {
		StorageWebProperties properties = new StorageWebProperties();
		properties.setMounts(java.util.List.of(mounts));
		return properties;
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnRoutes {

		RouterFunction<ServerResponse> routes;

		@Bean
		RouterFunction<ServerResponse> storageRouterFunction(StorageHandler handler) {
			this.routes = RouterFunctions.nest(org.springframework.web.reactive.function.server.RequestPredicates.path("/api"),
					StorageRoutes.routes("/blobs", handler));
			return this.routes;
		}

	}

}
