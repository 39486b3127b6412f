package io.github.reactivestorage.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import io.github.reactivestorage.InvalidKeyException;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.cache.CachingStorage;
import io.github.reactivestorage.filesystem.FilesystemStorage;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.observation.ByteCounter;
import io.github.reactivestorage.observation.ObservedStorage;
import io.github.reactivestorage.resilience.ResilienceSettings;
import io.github.reactivestorage.resilience.ResilientStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile listing prefixes and start-after values through every decorator, over a filesystem root
 * with a file above it, a neighbouring tenant and the reserved directory: refused, never listed.
 */
class DecoratedListingTests {

	private static final List<String> HOSTILE = List.of("..", "../", "../../", "a/..", "a/../", "./", "a//",
			"../tenant-b/", "x\u0000", "\ud800");

	@TempDir
	Path directory;

	@Test
	void everyDecoratorRefusesHostilePrefixesAndStartAfterValues() throws Exception {
		Files.writeString(this.directory.resolve("SENTINEL-above.txt"), "above");
		FilesystemStorage filesystem = new FilesystemStorage("files", this.directory.resolve("root"));
		filesystem.put("tenant-a/in.txt", "in".getBytes()).block(Duration.ofSeconds(10));
		filesystem.put("tenant-b/secret.txt", "secret".getBytes()).block(Duration.ofSeconds(10));
		Map<String, Function<ReactiveStorage, ReactiveStorage>> decorators = Map.of("read-only", ReadOnlyStorage::new,
				"resilient", storage -> new ResilientStorage(storage, ResilienceSettings.NONE), "observed",
				storage -> new ObservedStorage(storage, ObservationRegistry.create(), "filesystem", ByteCounter.NONE),
				"cache", storage -> new CachingStorage("cached", storage, new MemoryStorage("cache"), -1, null),
				"prefix", storage -> new PrefixedStorage(storage, "tenant-a"), "prefix over read-only",
				storage -> new PrefixedStorage(new ReadOnlyStorage(storage), "tenant-a"));
		decorators.forEach((name, decorator) -> {
			ReactiveStorage storage = decorator.apply(filesystem);
			for (String hostile : HOSTILE) {
				StepVerifier.create(storage.list(ListOptions.builder().prefix(hostile).delimiter("/").build()))
					.as(name + " prefix " + hostile)
					.expectError(InvalidKeyException.class)
					.verify(Duration.ofSeconds(10));
				StepVerifier.create(storage.list(ListOptions.builder().startAfter(hostile).build()))
					.as(name + " after " + hostile)
					.expectError(InvalidKeyException.class)
					.verify(Duration.ofSeconds(10));
			}
			if (!name.startsWith("prefix")) {
				StepVerifier.create(storage.list(ListOptions.builder().prefix(".storage/").build()))
					.as(name + " reserved")
					.expectError(InvalidKeyException.class)
					.verify(Duration.ofSeconds(10));
			}
			List<String> keys = storage.list(ListOptions.all()).map(StoredObject::key).collectList().block();
			assertThat(keys).as(name)
				.isEqualTo(name.startsWith("prefix") ? List.of("in.txt") : List.of("tenant-a/in.txt", "tenant-b/secret.txt"));
		});
	}

	@Test
	void aPrefixedMountOverACarelessDelegateStaysInsideItsPrefix() {
		ReactiveStorage careless = new ForwardingReactiveStorage(new MemoryStorage("careless")) {
			@Override
			public Flux<StoredObject> list(ListOptions options) {
				// a custom backend that ignores the prefix and checks nothing
				return Flux.just("tenant-a/in.txt", "tenant-b/secret.txt", "../above.txt")
					.map(key -> StoredObject.ofPrefix(key));
			}
		};
		PrefixedStorage mount = new PrefixedStorage(careless, "tenant-a");
		assertThat(mount.list(ListOptions.all()).map(StoredObject::key).collectList().block()).containsExactly("in.txt");
		StepVerifier.create(mount.list(ListOptions.builder().prefix("../").build()))
			.expectError(InvalidKeyException.class)
			.verify(Duration.ofSeconds(10));
		StepVerifier.create(mount.list(ListOptions.builder().startAfter("../tenant-b/").build()))
			.expectError(InvalidKeyException.class)
			.verify(Duration.ofSeconds(10));
	}

}
