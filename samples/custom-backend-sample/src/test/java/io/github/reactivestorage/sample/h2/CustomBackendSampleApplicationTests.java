package io.github.reactivestorage.sample.h2;

import java.nio.charset.StandardCharsets;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageMounts;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application starts with the {@code h2} mount (in memory here) as a bean named after it.
 */
@SpringBootTest(properties = { "storage.mounts.db.path=", "storage.web.enabled=false" })
class CustomBackendSampleApplicationTests {

	@Autowired
	@Qualifier("db")
	private ReactiveStorage db;

	@Autowired
	private StorageMounts mounts;

	@Test
	void theMountOfTheCustomTypeIsABean() {
		assertThat(this.db.unwrap(H2Storage.class)).isNotNull();
		assertThat(this.mounts.names()).containsExactly("db");
		StepVerifier.create(this.db.put("a/b.txt", "hello".getBytes(StandardCharsets.UTF_8))
			.then(this.db.getBytes("a/b.txt")))
			.assertNext(bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("hello"))
			.verifyComplete();
	}

}
