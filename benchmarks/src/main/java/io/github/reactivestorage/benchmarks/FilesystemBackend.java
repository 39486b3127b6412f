package io.github.reactivestorage.benchmarks;

import java.nio.file.Path;

import io.github.reactivestorage.ReactiveStorage;

/**
 * Creates the filesystem backend for the benchmarks.
 */
final class FilesystemBackend {

	private FilesystemBackend() {
	}

	static ReactiveStorage create(Path root) {
		throw new UnsupportedOperationException("filesystem backend not yet wired: " + root);
	}

}
