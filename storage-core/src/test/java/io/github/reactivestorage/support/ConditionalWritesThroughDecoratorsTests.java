package io.github.reactivestorage.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StoragePermissionException;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.memory.MemoryStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditional puts and deletes through the prefix and read-only decorators, and the interface's
 * default of {@code delete(key, DeleteOptions)} for storages that only know the plain delete.
 */
class ConditionalWritesThroughDecoratorsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final MemoryStorage memory = new MemoryStorage("m");

	@Test
	void prefixedStorageSwapsAndDeletesUnderThePrefixAndReportsTheUsersKey() {
		ReactiveStorage prefixed = new PrefixedStorage(this.memory, "tenant");
		StoredObject first = prefixed.put("a.txt", bytes("one")).block(TIMEOUT);
		assertThat(first.key()).isEqualTo("a.txt");
		StoredObject second = prefixed.put("a.txt", bytes("two"), PutOptions.builder().ifMatch(first.etag()).build())
			.block(TIMEOUT);
		assertThat(second.key()).isEqualTo("a.txt");
		assertThat(this.memory.getBytes("tenant/a.txt").block(TIMEOUT)).isEqualTo(bytes("two"));
		StepVerifier.create(prefixed.delete("a.txt", DeleteOptions.ifMatch(first.etag())))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(PreconditionFailedException.class)
				.hasMessageContaining("key 'a.txt'")
				.hasMessageNotContaining("tenant"))
			.verify(TIMEOUT);
		// the same key outside the prefix is another object: its etag does not delete this one
		StoredObject outside = this.memory.put("a.txt", bytes("two")).block(TIMEOUT);
		assertThat(outside.etag()).isEqualTo(second.etag());
		StepVerifier.create(prefixed.delete("a.txt", DeleteOptions.ifMatch(second.etag()))).verifyComplete();
		assertThat(this.memory.exists("tenant/a.txt").block(TIMEOUT)).isFalse();
		assertThat(this.memory.exists("a.txt").block(TIMEOUT)).isTrue();
	}

	@Test
	void readOnlyStorageRefusesConditionalWritesAndDoesNotDeclareThem() {
		String etag = this.memory.put("a.txt", bytes("one")).block(TIMEOUT).etag();
		ReactiveStorage readOnly = new ReadOnlyStorage(this.memory);
		assertThat(readOnly.supports(StorageCapability.CONDITIONAL_WRITE)).isFalse();
		StepVerifier.create(readOnly.delete("a.txt", DeleteOptions.ifMatch(etag)))
			.expectError(StoragePermissionException.class)
			.verify(TIMEOUT);
		StepVerifier.create(readOnly.put("a.txt", bytes("two"), PutOptions.builder().ifMatch(etag).build()))
			.expectError(StoragePermissionException.class)
			.verify(TIMEOUT);
		assertThat(this.memory.getBytes("a.txt").block(TIMEOUT)).isEqualTo(bytes("one"));
	}

	@Test
	void theInterfaceDefaultRefusesAnEtagConditionAndForwardsAPlainDelete() {
		ReactiveStorage plain = new PlainDeleteOnly(this.memory);
		this.memory.put("a.txt", bytes("one")).block(TIMEOUT);
		StepVerifier.create(plain.delete("a.txt", DeleteOptions.ifMatch("x")))
			.expectError(UnsupportedStorageOperationException.class)
			.verify(TIMEOUT);
		assertThat(this.memory.exists("a.txt").block(TIMEOUT)).isTrue();
		StepVerifier.create(plain.delete("a.txt", DeleteOptions.defaults())).verifyComplete();
		assertThat(this.memory.exists("a.txt").block(TIMEOUT)).isFalse();
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/** A storage written before {@code delete(key, DeleteOptions)} existed: the default applies. */
	private record PlainDeleteOnly(ReactiveStorage delegate) implements ReactiveStorage {

		@Override
		public String name() {
			return "plain";
		}

		@Override
		public Set<StorageCapability> capabilities() {
			return Set.of(StorageCapability.WRITE);
		}

		@Override
		public DataBufferFactory bufferFactory() {
			return DefaultDataBufferFactory.sharedInstance;
		}

		@Override
		public Mono<StoredObject> put(String key, Publisher<DataBuffer> body, PutOptions options) {
			return this.delegate.put(key, body, options);
		}

		@Override
		public Flux<DataBuffer> get(String key) {
			return this.delegate.get(key);
		}

		@Override
		public Flux<DataBuffer> get(String key, ByteRange range) {
			return this.delegate.get(key, range);
		}

		@Override
		public Mono<StoredObject> info(String key) {
			return this.delegate.info(key);
		}

		@Override
		public Mono<Boolean> exists(String key) {
			return this.delegate.exists(key);
		}

		@Override
		public Mono<Void> delete(String key) {
			return this.delegate.delete(key);
		}

		@Override
		public Flux<StoredObject> list(ListOptions options) {
			return this.delegate.list(options);
		}

		@Override
		public Mono<java.net.URI> url(String key, UrlOptions options) {
			return this.delegate.url(key, options);
		}

		@Override
		public Mono<StoredObject> copy(String source, String destination) {
			return this.delegate.copy(source, destination);
		}

		@Override
		public Mono<StoredObject> move(String source, String destination) {
			return this.delegate.move(source, destination);
		}

		@Override
		public void close() {
		}

	}

}
