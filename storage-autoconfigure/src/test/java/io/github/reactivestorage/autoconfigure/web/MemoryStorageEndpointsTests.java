package io.github.reactivestorage.autoconfigure.web;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.memory.MemoryStorage;

class MemoryStorageEndpointsTests extends AbstractStorageEndpointsTests {

	@Override
	protected ReactiveStorage createStorage(String name) {
		return new MemoryStorage(name);
	}

}
