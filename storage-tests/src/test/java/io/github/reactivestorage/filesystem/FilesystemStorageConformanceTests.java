package io.github.reactivestorage.filesystem;

import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.conformance.StorageConformanceTests;
import io.github.reactivestorage.conformance.StorageTestContext;

/**
 * The conformance kit against the filesystem backend, on a fresh directory per test.
 */
class FilesystemStorageConformanceTests extends StorageConformanceTests {

	@TempDir
	Path directory;

	@Override
	protected ReactiveStorage createStorage(StorageTestContext context) {
		return new FilesystemStorage(context.mountName(), this.directory.resolve("root"), null,
				context.bufferFactory(), Schedulers.boundedElastic());
	}

	@Override
	protected Set<String> reservedNames() {
		return Set.of(FilesystemStorage.RESERVED_DIRECTORY);
	}

}
