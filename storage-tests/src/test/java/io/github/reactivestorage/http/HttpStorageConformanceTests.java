package io.github.reactivestorage.http;

import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.conformance.KnownLimitation;
import io.github.reactivestorage.conformance.StorageConformanceTests;
import io.github.reactivestorage.conformance.StorageTestContext;
import io.github.reactivestorage.memory.MemoryStorage;

/**
 * The conformance kit's read-only cases on {@link HttpStorage} against a real local HTTP server
 * that serves a memory mount (the writing cases are skipped through the missing {@code WRITE}
 * capability; objects are seeded into the served mount).
 */
class HttpStorageConformanceTests extends StorageConformanceTests {

	private static StorageHttpServer server;

	private MemoryStorage origin;

	@BeforeAll
	static void startServer() {
		server = new StorageHttpServer();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Override
	protected ReactiveStorage createStorage(StorageTestContext context) {
		this.origin = new MemoryStorage("origin");
		server.serve(context.uniqueId(), this.origin, true);
		return new HttpStorage(context.mountName(), context.bufferFactory(),
				HttpStorageSettings.of(server.baseUrl(context.uniqueId())));
	}

	@Override
	protected void seed(String key, byte[] content, PutOptions options) {
		await(this.origin.put(key, content, options));
	}

	@Override
	protected Set<KnownLimitation> knownLimitations() {
		return Set.of();
	}

	@AfterEach
	void removeRoot() {
		server.remove(this.context.uniqueId());
	}

}
