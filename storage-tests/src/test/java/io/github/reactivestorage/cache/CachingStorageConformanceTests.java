package io.github.reactivestorage.cache;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.conformance.StorageConformanceTests;
import io.github.reactivestorage.conformance.StorageTestContext;
import io.github.reactivestorage.filesystem.FilesystemStorage;
import io.github.reactivestorage.memory.MemoryStorage;

/**
 * The conformance kit against a cache mount: a memory cache in front of a filesystem origin, on a
 * fresh directory per test.
 */
class CachingStorageConformanceTests extends StorageConformanceTests {

	@TempDir
	Path directory;

	@Override
	protected ReactiveStorage createStorage(StorageTestContext context) {
		ReactiveStorage origin = new FilesystemStorage(context.mountName(), this.directory.resolve("origin"), null,
				context.bufferFactory(), Schedulers.boundedElastic());
		ReactiveStorage cache = new MemoryStorage(context.mountName() + "-cache", context.bufferFactory(), -1);
		return new CachingStorage(context.mountName(), origin, cache, -1, null);
	}

}
