package io.github.reactivestorage.autoconfigure.web;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.filesystem.FilesystemStorage;

import static org.assertj.core.api.Assertions.assertThat;

class FilesystemStorageEndpointsTests extends AbstractStorageEndpointsTests {

	@TempDir
	Path directory;

	@Override
	protected ReactiveStorage createStorage(String name) {
		return new FilesystemStorage(name, this.directory.resolve(name));
	}

	@AfterEach
	void noStagingFilesLeft() throws Exception {
		Path staging = this.directory.resolve("files").resolve(".storage/tmp");
		if (java.nio.file.Files.exists(staging)) {
			try (var files = java.nio.file.Files.list(staging)) {
				assertThat(files).isEmpty();
			}
		}
	}

}
