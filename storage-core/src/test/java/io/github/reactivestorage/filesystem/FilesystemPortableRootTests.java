package io.github.reactivestorage.filesystem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.util.List;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.InvalidKeyException;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.StoredObject;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Roots on case-insensitive and Windows-style file systems (Jimfs): the reserved directory compared
 * without case, keys differing only in case naming one object, and the Windows name rules.
 */
class FilesystemPortableRootTests {

	@Test
	void onACaseInsensitiveRootTheReservedDirectoryIsReservedInEveryCase() throws IOException {
		for (Configuration configuration : List.of(Configuration.osX(), Configuration.windows())) {
			try (FileSystem fileSystem = Jimfs.newFileSystem(configuration)) {
				FilesystemStorage storage = storage(fileSystem);
				assertThat(storage.isCaseInsensitive()).isTrue();
				storage.put("visible", bytes("x")).block();
				for (String key : List.of(".STORAGE/tmp/x", ".Storage/meta/x", ".storage/x")) {
					StepVerifier.create(storage.put(key, bytes("x"))).verifyError(InvalidKeyException.class);
					StepVerifier.create(storage.info(key)).verifyError(InvalidKeyException.class);
				}
				StepVerifier.create(storage.list(ListOptions.builder().prefix(".STORAGE/").build()))
					.verifyError(InvalidKeyException.class);
				StepVerifier.create(storage.list(ListOptions.all()).map(StoredObject::key))
					.expectNext("visible")
					.verifyComplete();
			}
		}
	}

	@Test
	void onACaseSensitiveRootOnlyTheExactReservedNameIsReserved() throws IOException {
		try (FileSystem fileSystem = Jimfs.newFileSystem(Configuration.unix())) {
			FilesystemStorage storage = storage(fileSystem);
			assertThat(storage.isCaseInsensitive()).isFalse();
			StepVerifier.create(storage.put(".STORAGE/x", bytes("x"))).expectNextCount(1).verifyComplete();
			StepVerifier.create(storage.put(".storage/x", bytes("x"))).verifyError(InvalidKeyException.class);
		}
	}

	@Test
	void keysThatDifferOnlyInCaseNameOneObjectOnACaseInsensitiveRoot() throws IOException {
		try (FileSystem fileSystem = Jimfs.newFileSystem(Configuration.osX())) {
			FilesystemStorage storage = storage(fileSystem);
			storage.put("Case.txt", bytes("upper")).block();
			storage.put("case.txt", bytes("lower")).block();
			assertThat(new String(storage.getBytes("CASE.TXT").block(), StandardCharsets.UTF_8)).isEqualTo("lower");
			assertThat(storage.list(ListOptions.all()).collectList().block()).hasSize(1);
			storage.delete("CASE.txt").block();
			assertThat(storage.exists("case.txt").block()).isFalse();
		}
	}

	@Test
	void windowsRootsRefuseNamesWindowsCannotHold() throws IOException {
		try (FileSystem fileSystem = Jimfs.newFileSystem(Configuration.windows())) {
			FilesystemStorage storage = storage(fileSystem);
			for (String key : List.of("a\\b", "c:d", "a/CON", "nul.txt", "Com1/x", "LPT9.log", "dot./x", "space ",
					"q?", "star*", "pipe|", "quote\"", "<lt>")) {
				StepVerifier.create(storage.put(key, bytes("x"))).as(key).verifyError(InvalidKeyException.class);
				StepVerifier.create(storage.exists(key)).as(key).verifyError(InvalidKeyException.class);
			}
			for (String key : List.of("console", "a.b/c d", "nul-not", "CONx.txt", ".hidden")) {
				StepVerifier.create(storage.put(key, bytes("x"))).as(key).expectNextCount(1).verifyComplete();
			}
			// a prefix may end in the middle of a name: "dot." can still become "dot.x"
			StepVerifier.create(storage.list(ListOptions.builder().prefix("a.").build()).map(StoredObject::key))
				.expectNext("a.b/c d")
				.verifyComplete();
		}
	}

	@Test
	void unixRootsAcceptWhatWindowsRefuses() throws IOException {
		try (FileSystem fileSystem = Jimfs.newFileSystem(Configuration.unix())) {
			FilesystemStorage storage = storage(fileSystem);
			for (String key : List.of("a\\b", "c:d", "CON", "dot.", "space ")) {
				StepVerifier.create(storage.put(key, bytes("x"))).as(key).expectNextCount(1).verifyComplete();
			}
		}
	}

	private static FilesystemStorage storage(FileSystem fileSystem) {
		// "work" exists on every Jimfs configuration: the case probe needs an existing name with letters
		return new FilesystemStorage("fs", fileSystem.getPath("work").toAbsolutePath().resolve("root"), null,
				DefaultDataBufferFactory.sharedInstance, Schedulers.boundedElastic());
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
