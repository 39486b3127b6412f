package io.github.reactivestorage.filesystem;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.support.ContentHash;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child JVM killed with {@code SIGKILL} (Process.destroyForcibly) in the middle of writes: after a
 * restart every key reads as a whole version, old or new, with the size, etag and metadata of that
 * version, and the start-up sweep leaves no staging file.
 */
class FilesystemCrashTests {

	@TempDir
	Path directory;

	@Test
	void killedDuringOverwritesOfOneKeyLeavesOneWholeVersion() throws Exception {
		Path root = this.directory.resolve("root");
		for (int round = 0; round < 3; round++) {
			int killAfter = ThreadLocalRandom.current().nextInt(1, 90);
			int lastCompleted = runAndKill(root, "overwrites", "put " + killAfter);
			FilesystemStorage storage = new FilesystemStorage("crash", root);
			assertThat(FilesystemDebrisTests.stagingFiles(root)).isEmpty();
			StoredObject info = storage.info("k").block();
			byte[] content = storage.getBytes("k").block();
			int version = Integer.parseInt(info.metadata().get("v"));
			// the child may complete a few more puts between printing a line and receiving the signal
			assertThat(version).isGreaterThanOrEqualTo(lastCompleted).isLessThanOrEqualTo(100);
			assertThat(content).isEqualTo(version(version));
			assertThat(info.size()).isEqualTo(content.length);
			assertThat(info.etag()).isEqualTo(ContentHash.hex(content));
		}
	}

	@Test
	void killedDuringALargePutLeavesTheOldVersionAndNoStagingFile() throws Exception {
		Path root = this.directory.resolve("root");
		FilesystemStorage before = new FilesystemStorage("crash", root);
		byte[] old = "old version".getBytes(StandardCharsets.UTF_8);
		StoredObject stored = before.put("big", old, PutOptions.builder().metadata("v", "old").build()).block();
		runAndKill(root, "large", "writing");
		assertThat(FilesystemDebrisTests.stagingFiles(root)).as("the killed put's staging file").isNotEmpty();
		FilesystemStorage after = new FilesystemStorage("crash", root);
		assertThat(FilesystemDebrisTests.stagingFiles(root)).isEmpty();
		assertThat(after.getBytes("big").block()).isEqualTo(old);
		StoredObject info = after.info("big").block();
		assertThat(info.etag()).isEqualTo(stored.etag());
		assertThat(info.metadata()).containsEntry("v", "old");
	}

	/** Runs the child until it prints the line, kills it, returns the last version it reported complete. */
	private static int runAndKill(Path root, String mode, String killAt) throws IOException, InterruptedException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		Process child = new ProcessBuilder(java.toString(), "-Xmx128m", "-cp", System.getProperty("java.class.path"),
				FilesystemCrashChild.class.getName(), mode, root.toString())
			.redirectErrorStream(true)
			.start();
		int last = 0;
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = out.readLine()) != null) {
				if (line.startsWith("put ")) {
					last = Integer.parseInt(line.substring(4));
				}
				if (line.equals(killAt)) {
					child.destroyForcibly();
					break;
				}
			}
		}
		finally {
			child.destroyForcibly();
			assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(last > 0 || !mode.equals("overwrites")).as("child reported progress").isTrue();
		return last;
	}

	/** Version i of the overwritten key: its own length and bytes. */
	static byte[] version(int i) {
		byte[] bytes = new byte[64 * 1024 + i * 997];
		Arrays.fill(bytes, (byte) i);
		bytes[0] = (byte) (i >> 8);
		return bytes;
	}

}
