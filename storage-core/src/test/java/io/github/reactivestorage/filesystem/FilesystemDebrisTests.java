package io.github.reactivestorage.filesystem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StorageQuotaExceededException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a failed put leaves: nothing. No staging file, no directory it created (a failed {@code a/b}
 * must not block a later {@code a}), the previous version intact; also when the disk is full.
 */
class FilesystemDebrisTests {

	@TempDir
	Path directory;

	@Test
	void directoriesCreatedForAFailedPutAreRemovedSoThatTheKeyCanBeAnObjectLater() throws IOException {
		FilesystemStorage storage = new FilesystemStorage("fs", this.directory.resolve("root"));
		storage.put("keep/x", bytes("x")).block();
		Flux<DataBuffer> failing = Flux.concat(Flux.just(buffer("new")), Flux.error(new IllegalStateException("boom")));
		StepVerifier.create(storage.put("a/b/c", failing)).verifyError(IllegalStateException.class);
		StepVerifier.create(storage.put("keep/deeper/y", failing)).verifyError(IllegalStateException.class);
		StepVerifier.create(storage.put("d/e", Flux.just(buffer("abc")), PutOptions.builder().contentLength(5).build()))
			.verifyError(StorageException.class);
		Path root = this.directory.resolve("root");
		assertThat(root.resolve("a")).doesNotExist();
		assertThat(root.resolve("d")).doesNotExist();
		assertThat(root.resolve("keep/deeper")).doesNotExist();
		assertThat(root.resolve("keep/x")).exists();
		StepVerifier.create(storage.put("a", bytes("now an object"))).expectNextCount(1).verifyComplete();
		assertThat(stagingFiles(root)).isEmpty();
	}

	@Test
	void aFullDiskIsAQuotaErrorThatLeavesNothingBehindAndTheOldVersion() throws IOException {
		Configuration small = Configuration.unix().toBuilder().setMaxSize(4 * 1024 * 1024).setBlockSize(8192).build();
		try (FileSystem fileSystem = Jimfs.newFileSystem(small)) {
			Path root = fileSystem.getPath("/work/root");
			FilesystemStorage storage = new FilesystemStorage("fs", root, null, DefaultDataBufferFactory.sharedInstance,
					Schedulers.boundedElastic());
			storage.put("k", bytes("old")).block();
			Flux<DataBuffer> big = Flux.range(0, 128).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[64 * 1024]));
			StepVerifier.create(storage.put("dir/sub/k", big)).verifyError(StorageQuotaExceededException.class);
			StepVerifier.create(storage.put("k", Flux.range(0, 128)
				.map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[64 * 1024]))))
				.verifyError(StorageQuotaExceededException.class);
			assertThat(new String(storage.getBytes("k").block(), StandardCharsets.UTF_8)).isEqualTo("old");
			assertThat(root.resolve("dir")).doesNotExist();
			assertThat(stagingFiles(root)).isEmpty();
			// the space is free again: a put that fits succeeds
			StepVerifier.create(storage.put("k", Flux.range(0, 16)
				.map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[64 * 1024]))))
				.expectNextCount(1)
				.verifyComplete();
		}
	}

	@Test
	void anErrorThatIsNotAFullDiskIsNotReportedAsOne() {
		IOException other = new IOException("Quota exceeded? no: some other failure");
		assertThat(FilesystemErrors.translateWrite(other, "k", this.directory))
			.isNotInstanceOf(StorageQuotaExceededException.class);
	}

	@Test
	void staleStagingFilesOfDeadProcessesAreSweptAtStartUpAndThoseOfLiveOnesKept() throws IOException {
		Path tmp = Files.createDirectories(this.directory.resolve("root/.storage/tmp"));
		long dead = deadPid();
		Path stale = Files.writeString(tmp.resolve("put-" + dead + "-abc.tmp"), "stale");
		Path live = Files.writeString(tmp.resolve("put-" + ProcessHandle.current().pid() + "-def.tmp"), "live");
		new FilesystemStorage("fs", this.directory.resolve("root"));
		assertThat(stale).doesNotExist();
		assertThat(live).exists();
	}

	private static long deadPid() {
		long pid = 999_999;
		while (ProcessHandle.of(pid).isPresent()) {
			pid++;
		}
		return pid;
	}

	static List<Path> stagingFiles(Path root) throws IOException {
		Path tmp = root.resolve(".storage/tmp");
		if (!Files.exists(tmp)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(tmp)) {
			return files.toList();
		}
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static DataBuffer buffer(String value) {
		return DefaultDataBufferFactory.sharedInstance.wrap(bytes(value));
	}

}
