package io.github.reactivestorage.memory;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.conformance.StorageConformanceTests;
import io.github.reactivestorage.conformance.StorageTestContext;

/**
 * The conformance kit against the memory backend.
 */
class MemoryStorageConformanceTests extends StorageConformanceTests {

	@Override
	protected ReactiveStorage createStorage(StorageTestContext context) {
		return new MemoryStorage(context.mountName(), context.bufferFactory(), -1);
	}

}
