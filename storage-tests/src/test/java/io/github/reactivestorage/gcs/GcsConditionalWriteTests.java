package io.github.reactivestorage.gcs;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StoredObject;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The swap of a GCS compare-and-swap: the upload requires the generation whose etag was compared, so
 * an object replaced between the compare and the upload is not overwritten (Google's in-process fake
 * checks the generation when the upload opens, which is after the replacement here).
 */
class GcsConditionalWriteTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final Storage fake = GcsTestSupport.fakeWithSigningKey();

	private final AtomicBoolean replaceBeforeUpload = new AtomicBoolean();

	private final GcsStorage storage = new GcsStorage("m", replacingBeforeUpload(this.fake), "bucket",
			DefaultDataBufferFactory.sharedInstance, GcsStorageOptions.defaults().withListStartOffset(false));

	@AfterEach
	void close() {
		this.storage.close();
	}

	@Test
	void anObjectReplacedBetweenTheCompareAndTheUploadIsNotOverwritten() {
		StoredObject base = this.storage.put("a.txt", bytes("one")).block(TIMEOUT);
		this.replaceBeforeUpload.set(true);
		StepVerifier.create(this.storage.put("a.txt", bytes("lost update"), PutOptions.builder().ifMatch(base.etag()).build()))
			.expectError(PreconditionFailedException.class)
			.verify(TIMEOUT);
		assertThat(this.storage.getBytes("a.txt").block(TIMEOUT)).asString().isEqualTo("replaced");
	}

	@Test
	void withoutAReplacementTheSwapSucceeds() {
		StoredObject base = this.storage.put("a.txt", bytes("one")).block(TIMEOUT);
		StoredObject swapped = this.storage.put("a.txt", bytes("two"), PutOptions.builder().ifMatch(base.etag()).build())
			.block(TIMEOUT);
		assertThat(swapped.etag()).isNotEqualTo(base.etag());
		assertThat(this.storage.getBytes("a.txt").block(TIMEOUT)).asString().isEqualTo("two");
	}

	/** The client, with another writer replacing the object (a new generation) just before an armed upload opens. */
	private Storage replacingBeforeUpload(Storage target) {
		return (Storage) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Storage.class },
				(proxy, method, args) -> {
					if (method.getName().equals("writer") && this.replaceBeforeUpload.getAndSet(false)) {
						BlobInfo info = (BlobInfo) args[0];
						target.create(BlobInfo.newBuilder(BlobId.of(info.getBucket(), info.getName(), 424242L)).build(),
								bytes("replaced"));
					}
					try {
						return method.invoke(target, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
