package io.github.reactivestorage.autoconfigure.web;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.autoconfigure.StorageAutoConfiguration;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.support.ForwardingReactiveStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which mounts the endpoints expose, and the authorization hook consulted before any I/O.
 */
@org.junit.jupiter.api.extension.ExtendWith(OutputCaptureExtension.class)
class StorageEndpointsAccessTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class, StorageWebAutoConfiguration.class,
				WebFluxAutoConfiguration.class, HttpHandlerAutoConfiguration.class))
		.withPropertyValues("storage.mounts.uploads.type=memory", "storage.mounts.origin.type=memory",
				"storage.mounts.store.type=memory", "storage.mounts.cached.type=cache",
				"storage.mounts.cached.origin=origin", "storage.mounts.cached.cache=store", "storage.web.enabled=true");

	/** Counts every call that would reach the store. */
	private final AtomicInteger io = new AtomicInteger();

	private final ReactiveStorage counted = new ForwardingReactiveStorage(new MemoryStorage("files")) {

		@Override
		public Mono<io.github.reactivestorage.StoredObject> info(String key) {
			StorageEndpointsAccessTests.this.io.incrementAndGet();
			return super.info(key);
		}

		@Override
		public Mono<io.github.reactivestorage.StoredObject> put(String key,
				org.reactivestreams.Publisher<org.springframework.core.io.buffer.DataBuffer> body,
				io.github.reactivestorage.PutOptions options) {
			StorageEndpointsAccessTests.this.io.incrementAndGet();
			return super.put(key, body, options);
		}

		@Override
		public reactor.core.publisher.Flux<io.github.reactivestorage.StoredObject> list(
				io.github.reactivestorage.ListOptions options) {
			StorageEndpointsAccessTests.this.io.incrementAndGet();
			return super.list(options);
		}

		@Override
		public Mono<Void> delete(String key) {
			StorageEndpointsAccessTests.this.io.incrementAndGet();
			return super.delete(key);
		}

	};

	private WebTestClient client(StorageAccessPolicy policy) {
		StorageWebProperties properties = new StorageWebProperties();
		properties.setMounts(List.of("files"));
		StorageHandler handler = new StorageHandler(new StorageMounts(Map.of("files", this.counted), "files"),
				properties, policy);
		return WebTestClient.bindToRouterFunction(StorageRoutes.routes("/storage", handler))
			.webFilter((exchange, chain) -> {
				String user = exchange.getRequest().getHeaders().getFirst("X-Test-User");
				return chain.filter((user != null) ? exchange.mutate().principal(Mono.just(() -> user)).build() : exchange);
			})
			.build();
	}

	@Test
	void noMountIsExposedUnlessNamed(CapturedOutput output) {
		this.runner.run(context -> {
			WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
			client.put().uri("/storage/uploads/a.txt").bodyValue("x").exchange().expectStatus().isNotFound();
			client.get().uri("/storage/uploads").exchange().expectStatus().isNotFound();
			client.get().uri("/storage/store/a.txt").exchange().expectStatus().isNotFound();
			assertThat(context.getBean("uploads", ReactiveStorage.class).exists("a.txt").block()).isFalse();
		});
		assertThat(output).contains("expose no mount: name the mounts to serve in storage.web.mounts");
	}

	@Test
	void onlyTheNamedMountsAreExposedAndTheLogSaysWhich(CapturedOutput output) {
		this.runner.withPropertyValues("storage.web.mounts=uploads,cached").run(context -> {
			WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
			client.put().uri("/storage/uploads/a.txt").bodyValue("x").exchange().expectStatus().isCreated();
			client.get().uri("/storage/cached/a.txt").exchange().expectStatus().isNotFound();
			for (String hidden : List.of("origin", "store")) {
				client.put().uri("/storage/" + hidden + "/poison.txt").bodyValue("x").exchange().expectStatus().isNotFound();
				client.get().uri("/storage/" + hidden).exchange().expectStatus().isNotFound();
			}
			assertThat(context.getBean("store", ReactiveStorage.class).exists("poison.txt").block()).isFalse();
		});
		assertThat(output).contains("expose the mounts [uploads, cached]");
	}

	@Test
	void exposingACacheBackingMountByNameIsWarnedAbout(CapturedOutput output) {
		this.runner.withPropertyValues("storage.web.mounts=store,origin,typo").run(context -> assertThat(context).hasNotFailed());
		assertThat(output).contains("exposes 'store', the cache store of cache mount 'cached'")
			.contains("exposes 'origin', the origin of cache mount 'cached'")
			.contains("names 'typo', which is not a mount");
	}

	@Test
	void thePolicyBeanIsUsed() {
		this.runner.withPropertyValues("storage.web.mounts=uploads")
			.withBean(StorageAccessPolicy.class, () -> request -> Mono.just(
					(request.operation() == StorageOperation.READ) ? StorageAccessDecision.GRANTED
							: StorageAccessDecision.UNAUTHENTICATED))
			.run(context -> {
				WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
				client.put().uri("/storage/uploads/a.txt").bodyValue("x").exchange().expectStatus().isUnauthorized();
				client.get().uri("/storage/uploads/a.txt").exchange().expectStatus().isNotFound();
			});
	}

	@Test
	void thePolicySeesMountOperationKeyAndPrefixOfEveryRoute() {
		List<String> seen = new CopyOnWriteArrayList<>();
		WebTestClient client = client(request -> {
			seen.add(request.mount() + " " + request.operation() + " " + request.key() + " " + request.prefix());
			return Mono.just(StorageAccessDecision.GRANTED);
		});
		client.put().uri("/storage/files/docs/a.txt").bodyValue("a").exchange().expectStatus().isCreated();
		client.get().uri("/storage/files/docs/a.txt").exchange().expectStatus().isOk();
		client.head().uri("/storage/files/docs/a.txt").exchange().expectStatus().isOk();
		client.get().uri("/storage/files?prefix=docs/").exchange().expectStatus().isOk();
		client.get().uri("/storage/files/").exchange().expectStatus().isOk();
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("file", new AbstractStorageEndpointsTests.NamedResource("b.txt", "b"));
		client.post().uri("/storage/files?prefix=up").body(BodyInserters.fromMultipartData(body.build()))
			.exchange().expectStatus().isCreated();
		client.delete().uri("/storage/files/docs/a.txt").exchange().expectStatus().isNoContent();
		assertThat(seen).containsExactly("files WRITE docs/a.txt false", "files READ docs/a.txt false",
				"files READ docs/a.txt false", "files LIST docs/ true", "files LIST  true", "files WRITE up/ true",
				"files DELETE docs/a.txt false");
	}

	@Test
	void deniedIs403AndUnauthenticatedIs401BeforeAnyIo() {
		WebTestClient client = client(request -> request.principal()
			.map(principal -> principal.getName().equals("writer") ? StorageAccessDecision.GRANTED
					: StorageAccessDecision.DENIED)
			.defaultIfEmpty(StorageAccessDecision.UNAUTHENTICATED));
		client.put().uri("/storage/files/a.txt").bodyValue("a").exchange()
			.expectStatus().isUnauthorized()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.mount").isEqualTo("files").jsonPath("$.key").isEqualTo("a.txt");
		client.put().uri("/storage/files/a.txt").header("X-Test-User", "reader").bodyValue("a").exchange()
			.expectStatus().isForbidden();
		client.get().uri("/storage/files?prefix=").header("X-Test-User", "reader").exchange().expectStatus().isForbidden();
		client.delete().uri("/storage/files/a.txt").exchange().expectStatus().isUnauthorized();
		assertThat(this.io).hasValue(0);
		client.put().uri("/storage/files/a.txt").header("X-Test-User", "writer").bodyValue("a").exchange()
			.expectStatus().isCreated();
		assertThat(this.io).hasValue(1);
	}

	@Test
	void anEmptyDecisionDeniesAndAFailingPolicyIsAGeneric500() {
		client(request -> Mono.empty()).get().uri("/storage/files/a.txt").exchange().expectStatus().isForbidden();
		byte[] body = client(request -> Mono.error(new IllegalStateException("ldap://10.1.2.3 down"))).get()
			.uri("/storage/files/a.txt").exchange()
			.expectStatus().isEqualTo(500)
			.expectBody().returnResult().getResponseBody();
		assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("10.1.2.3", "ldap",
				"Exception");
		assertThat(this.io).hasValue(0);
	}

	/**
	 * A policy that keeps a prefix private sees prefixes in the form the mount lists and writes them:
	 * a leading {@code /} (dropped by the key rules) does not get a request past it.
	 */
	@Test
	void thePolicySeesPrefixesInTheirNormalForm() {
		this.counted.put("private/secret.txt", "s".getBytes(java.nio.charset.StandardCharsets.UTF_8)).block();
		this.io.set(0);
		List<String> seen = new CopyOnWriteArrayList<>();
		WebTestClient client = client(request -> {
			seen.add(request.operation() + " " + request.key());
			return Mono.just(request.key().startsWith("private/") ? StorageAccessDecision.DENIED
					: StorageAccessDecision.GRANTED);
		});
		client.get().uri("/storage/files?prefix=/private/").exchange().expectStatus().isForbidden();
		client.get().uri(java.net.URI.create("/storage/files?prefix=%2Fprivate%2F")).exchange().expectStatus().isForbidden();
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("file", new AbstractStorageEndpointsTests.NamedResource("b.txt", "b"));
		client.post().uri("/storage/files?prefix=//private").body(BodyInserters.fromMultipartData(body.build()))
			.exchange().expectStatus().isForbidden();
		assertThat(seen).containsExactly("LIST private/", "LIST private/", "WRITE private/");
		assertThat(this.io).hasValue(0);
	}

	@Test
	void anInvalidKeyIsRefusedBeforeThePolicyIsAsked() {
		AtomicInteger asked = new AtomicInteger();
		client(request -> {
			asked.incrementAndGet();
			return Mono.just(StorageAccessDecision.GRANTED);
		}).get().uri(java.net.URI.create("/storage/files/a/%2e%2e/b")).exchange().expectStatus().isBadRequest();
		assertThat(asked).hasValue(0);
	}

}
