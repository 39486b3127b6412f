package io.github.reactivestorage.gcs;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.Storage.CopyRequest;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CMEK on a GCS mount ({@code kms-key-name}): the key reaches every upload and every copy (recorded at
 * the client's API, as Google's in-process fake does not encrypt and reports no KMS key).
 */
class GcsStorageEncryptionTests {

	private static final String KEY = "projects/p/locations/europe-west1/keyRings/r/cryptoKeys/k";

	private final List<Object[]> writerOptions = new ArrayList<>();

	private final List<CopyRequest> copies = new ArrayList<>();

	private GcsStorage storage(GcsStorageOptions options) {
		Storage fake = GcsTestSupport.fakeWithSigningKey();
		Storage recording = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(),
				new Class<?>[] { Storage.class }, (proxy, method, args) -> {
					if (method.getName().equals("writer") && args != null && args.length == 2
							&& args[1] instanceof BlobWriteOption[] writeOptions) {
						this.writerOptions.add(writeOptions);
					}
					if (method.getName().equals("copy") && args != null && args[0] instanceof CopyRequest request) {
						this.copies.add(request);
					}
					try {
						return method.invoke(fake, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
		return new GcsStorage("gcs", recording, "bucket", DefaultDataBufferFactory.sharedInstance,
				Schedulers.newSingle("gcs-enc"), true, options.withListStartOffset(false));
	}

	private void exercise(GcsStorage storage) {
		storage.put("a.txt", "secret".getBytes(StandardCharsets.UTF_8)).block(Duration.ofSeconds(10));
		storage.copy("a.txt", "b.txt").block(Duration.ofSeconds(10));
		assertThat(storage.getBytes("b.txt").block(Duration.ofSeconds(10))).asString().isEqualTo("secret");
	}

	@Test
	void kmsKeyIsSentOnEveryUploadAndCopy() {
		exercise(storage(GcsStorageOptions.defaults().withKmsKeyName(KEY)));
		assertThat(this.writerOptions).isNotEmpty()
			.allSatisfy(options -> assertThat(Arrays.asList(options)).contains(BlobWriteOption.kmsKeyName(KEY)));
		assertThat(this.copies).isNotEmpty()
			.allSatisfy(copy -> assertThat(copy.getTargetOptions()).contains(BlobTargetOption.kmsKeyName(KEY)));
	}

	@Test
	void withoutAKeyNoKmsOptionIsSent() {
		exercise(storage(GcsStorageOptions.defaults()));
		assertThat(this.writerOptions).isNotEmpty()
			.allSatisfy(options -> assertThat(Arrays.toString(options)).doesNotContainIgnoringCase("kms"));
		assertThat(this.copies).allSatisfy(copy -> assertThat(copy.getTargetOptions()).isEmpty());
	}

	@Test
	void blankKeyNameMeansNone() {
		assertThat(GcsStorageOptions.defaults().withKmsKeyName("  ").kmsKeyName()).isNull();
	}

}
