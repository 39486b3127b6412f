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
 * The conformance kit against a cache mount whose cache is on disk: a filesystem cache in front of a
 * memory origin, with an LRU limit small enough that the larger cases stream uncached or evict.
 */
class CachingFilesystemCacheConformanceTests extends StorageConformanceTests {

	@TempDir
	Path directory;

	@Override
	protected ReactiveStorage createStorage(StorageTestContext context) {
		ReactiveStorage origin = new MemoryStorage(context.mountName(), context.bufferFactory(), -1);
		ReactiveStorage cache = new FilesystemStorage(context.mountName() + "-cache", this.directory.resolve("cache"),
				null, context.bufferFactory(), Schedulers.boundedElastic());
		return new CachingStorage(context.mountName(), origin, cache, 4L * 1024 * 1024, null);
	}

}
