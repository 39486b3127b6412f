package io.github.reactivestorage.azure;

import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.PostPolicyOptions;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Azure has no browser form uploads and its SAS cannot bind a size or checksum: both are refused
 * before any I/O (the client points at a closed port and is never contacted), while a plain PUT URL
 * is still signed.
 */
class AzureBlobPostPolicyTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final AzureBlobStorage storage = storage();

	private static AzureBlobStorage storage() {
		String connection = "DefaultEndpointsProtocol=http;AccountName=" + AzuriteServer.ACCOUNT + ";AccountKey="
				+ AzuriteServer.KEY + ";BlobEndpoint=http://127.0.0.1:9/" + AzuriteServer.ACCOUNT + ";";
		AzureBlobSettings settings = AzureBlobSettings.ofConnectionString(connection, "offline");
		return new AzureBlobStorage("azure", AzureBlobClients.containerClient(settings),
				DefaultDataBufferFactory.sharedInstance, settings.blockSize(), settings.maxConcurrency(), false);
	}

	@Test
	void browserFormsAreUnsupportedWithAClearMessage() {
		assertThat(this.storage.supports(StorageCapability.POST_POLICY)).isFalse();
		StepVerifier.create(this.storage.postPolicy(PostPolicyOptions.forKey("k").maxSize(10).build()))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(UnsupportedStorageOperationException.class)
				.hasMessageContaining("browser upload forms")
				.hasMessageContaining("POST_POLICY"))
			.verify(TIMEOUT);
	}

	@Test
	void aSasPutUrlCannotBindALengthOrAChecksum() {
		StepVerifier.create(this.storage.url("k", UrlOptions.put(Duration.ofMinutes(5)).withContentLength(3)))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(UnsupportedStorageOperationException.class)
				.hasMessageContaining("content length"))
			.verify(TIMEOUT);
		StepVerifier.create(this.storage.url("k", UrlOptions.put(Duration.ofMinutes(5))
			.withChecksum(UrlOptions.Checksum.MD5, Base64.getEncoder().encodeToString(new byte[16]))))
			.expectError(UnsupportedStorageOperationException.class)
			.verify(TIMEOUT);
		assertThat(this.storage.url("k", UrlOptions.put(Duration.ofMinutes(5))).block(TIMEOUT).getQuery())
			.contains("sig=");
	}

}
