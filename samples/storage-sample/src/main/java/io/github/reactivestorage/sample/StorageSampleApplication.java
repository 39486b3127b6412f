package io.github.reactivestorage.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A WebFlux service with two mounts from {@code application.yml}: {@code files} on the local
 * disk under {@code ./data} (the default) and {@code scratch} in memory.
 */
@SpringBootApplication
public class StorageSampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(StorageSampleApplication.class, args);
	}

}
