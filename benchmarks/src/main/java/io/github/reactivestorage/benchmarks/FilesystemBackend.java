package io.github.reactivestorage.benchmarks;

import java.nio.file.Path;

import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.filesystem.FilesystemStorage;

/**
 * Creates the filesystem backend for the benchmarks.
 */
final class FilesystemBackend {

	private FilesystemBackend() {
	}

	/**
	 * Without fsync, as the plain-NIO baselines of {@code SmallObjectBenchmark} and
	 * {@code SmallObjectCpuCost} do not force either; {@link SmallObjectDurability} compares both ways.
	 */
	static ReactiveStorage create(Path root) {
		return create(root, FilesystemStorage.Durability.NONE);
	}

	static ReactiveStorage create(Path root, FilesystemStorage.Durability durability) {
		return new FilesystemStorage("bench", root, null, DefaultDataBufferFactory.sharedInstance,
				Schedulers.boundedElastic(), durability);
	}

}
