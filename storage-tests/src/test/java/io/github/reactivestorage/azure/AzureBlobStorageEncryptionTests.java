package io.github.reactivestorage.azure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.storage.blob.BlobContainerAsyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An Azure mount's encryption scope ({@code encryption-scope}): {@code x-ms-encryption-scope} on every
 * request that writes content (Put Blob, Put Block, Put Block List, and the upload a copy becomes),
 * recorded by a pipeline policy against Azurite. Azurite 3.35 accepts the header without encrypting or
 * checking that the scope exists (and fails a server-side copy of a scoped blob with a 500): this
 * proves what is sent, not what a store does with it.
 */
@ExtendWith(AzuriteExtension.class)
class AzureBlobStorageEncryptionTests {

	record Sent(HttpMethod method, String url, String scope) {
	}

	private final List<Sent> sent = new CopyOnWriteArrayList<>();

	private AzureBlobStorage storage(String scope) {
		AzureBlobSettings settings = AzureBlobSettings
			.ofConnectionString(AzuriteExtension.server().connectionString(), "enc" + UUID.randomUUID().toString().substring(0, 8))
			.withUploads(256 * 1024, 2)
			.withCreateContainer(true);
		HttpPipelinePolicy recorder = (context, next) -> {
			this.sent.add(new Sent(context.getHttpRequest().getHttpMethod(), context.getHttpRequest().getUrl().toString(),
					context.getHttpRequest().getHeaders().getValue("x-ms-encryption-scope")));
			return next.process();
		};
		BlobContainerAsyncClient container = AzureBlobClients.containerClient(settings, builder -> builder.addPolicy(recorder));
		return new AzureBlobStorage("azure", container, DefaultDataBufferFactory.sharedInstance, settings.blockSize(),
				settings.maxConcurrency(), true, scope);
	}

	private static Flux<DataBuffer> large() {
		return Flux.range(0, 4).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[256 * 1024]));
	}

	private void exercise(AzureBlobStorage storage) {
		Duration timeout = Duration.ofSeconds(30);
		storage.put("small.txt", "secret".getBytes(StandardCharsets.UTF_8)).block(timeout);
		storage.put("large.bin", large(), PutOptions.defaults()).block(timeout);
		assertThat(storage.getBytes("large.bin").block(timeout)).hasSize(4 * 256 * 1024);
		storage.copy("small.txt", "copy.txt").block(timeout);
		assertThat(storage.getBytes("copy.txt").block(timeout)).asString().isEqualTo("secret");
	}

	private List<Sent> blobWrites() {
		// the container's creation is not a blob write
		return this.sent.stream()
			.filter(s -> s.method() == HttpMethod.PUT && !s.url().contains("restype=container"))
			.toList();
	}

	@Test
	void encryptionScopeIsSentOnEveryBlobWrite() {
		AzureBlobStorage storage = storage("tenant-scope");
		// the SDK's Copy Blob cannot carry the scope, so a scoped mount copies through its own upload
		assertThat(storage.supports(StorageCapability.SERVER_SIDE_COPY)).isFalse();
		exercise(storage);
		List<Sent> writes = blobWrites();
		assertThat(writes).extracting(Sent::url)
			.anyMatch(url -> url.contains("comp=block&"))
			.anyMatch(url -> url.contains("comp=blocklist"))
			.anyMatch(url -> url.endsWith("/copy.txt"));
		assertThat(writes).allSatisfy(s -> assertThat(s.scope()).as(s.url()).isEqualTo("tenant-scope"));
	}

	@Test
	void putUrlsThatCannotCarryTheScopeAreRefused() {
		AzureBlobStorage storage = storage("tenant-scope");
		assertThatThrownBy(() -> storage.url("a.txt", UrlOptions.put(Duration.ofMinutes(5))).block())
			.isInstanceOf(UnsupportedStorageOperationException.class)
			.hasMessageContaining("encryption scope");
		assertThat(storage.url("a.txt", UrlOptions.get(Duration.ofMinutes(5))).block()).isNotNull();
	}

	@Test
	void withoutAScopeNoneIsSent() {
		exercise(storage(null));
		assertThat(this.sent).allSatisfy(s -> assertThat(s.scope()).isNull());
	}

}
