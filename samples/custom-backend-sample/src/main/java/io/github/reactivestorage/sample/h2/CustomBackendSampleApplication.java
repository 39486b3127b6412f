package io.github.reactivestorage.sample.h2;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A service whose mount {@code db} (see {@code application.yml}) is of the new type {@code h2}:
 * a {@link io.github.reactivestorage.autoconfigure.StorageBackendFactory} bean is all it takes.
 */
@SpringBootApplication
public class CustomBackendSampleApplication {

	@Bean
	H2StorageBackendFactory h2StorageBackendFactory() {
		return new H2StorageBackendFactory();
	}

	public static void main(String[] args) {
		SpringApplication.run(CustomBackendSampleApplication.class, args);
	}

}
