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

	static ReactiveStorage create(Path root) {
		return new FilesystemStorage("bench", root, null, DefaultDataBufferFactory.sharedInstance,
				Schedulers.boundedElastic());
	}

}
