package io.github.reactivestorage.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.filesystem.FilesystemStorage;

/**
 * Row 5, issue 18's target: 4 KiB put+get on the filesystem backend against plain NIO doing the same
 * work (write a temporary file, rename it onto the key, read it back), in alternating wall-clock rounds
 * in one run: once with fsync on both sides (the file forced before the rename, the directory after)
 * and once with it off on both sides. Reports the median of the per-round ratios.
 */
public final class SmallObjectDurability {

	private SmallObjectDurability() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = 3;
		int repeats = 5;
		for (String arg : args) {
			if (arg.startsWith("--seconds=")) {
				seconds = Integer.parseInt(arg.substring(10));
			}
			else if (arg.startsWith("--repeats=")) {
				repeats = Integer.parseInt(arg.substring(10));
			}
		}
		byte[] content = new byte[4096];
		ThreadLocalRandom.current().nextBytes(content);
		Path directory = Files.createTempDirectory("storage-durability");
		try {
			for (FilesystemStorage.Durability durability : FilesystemStorage.Durability.values()) {
				boolean fsync = durability == FilesystemStorage.Durability.FSYNC;
				Path nio = Files.createDirectories(directory.resolve("nio-" + durability + "/objects"));
				try (ReactiveStorage storage = FilesystemBackend.create(directory.resolve("fs-" + durability),
						durability)) {
					interleaved(durability.name().toLowerCase(Locale.ROOT), seconds, repeats, (i) -> {
						String key = "objects/" + (i & 1023) + ".bin";
						storage.put(key, content).toFuture().join();
						return storage.getBytes(key).toFuture().join();
					}, (i) -> nio(nio, i, content, fsync));
				}
			}
		}
		finally {
			try (Stream<Path> paths = Files.walk(directory)) {
				paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
			}
		}
	}

	/** Plain NIO: temporary file, forced when fsync; atomic rename; directory forced when fsync; read. */
	private static byte[] nio(Path directory, int i, byte[] content, boolean fsync) throws IOException {
		Path target = directory.resolve((i & 1023) + ".bin");
		Path temp = Files.createTempFile(directory, ".upload-", ".tmp");
		try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
			ByteBuffer buffer = ByteBuffer.wrap(content);
			while (buffer.hasRemaining()) {
				channel.write(buffer);
			}
			if (fsync) {
				channel.force(true);
			}
		}
		Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		if (fsync) {
			try (FileChannel parent = FileChannel.open(directory, StandardOpenOption.READ)) {
				parent.force(true);
			}
		}
		return Files.readAllBytes(target);
	}

	private static void interleaved(String name, int seconds, int repeats, Operation filesystem, Operation nio)
			throws IOException {
		rate(filesystem, seconds);
		rate(nio, seconds);
		List<Double> ours = new ArrayList<>();
		List<Double> baseline = new ArrayList<>();
		List<Double> ratios = new ArrayList<>();
		for (int r = 0; r < repeats; r++) {
			double rate = rate(filesystem, seconds);
			double nioRate = rate(nio, seconds);
			ours.add(rate);
			baseline.add(nioRate);
			ratios.add(rate / nioRate);
		}
		Collections.sort(ours);
		Collections.sort(baseline);
		Collections.sort(ratios);
		System.out.printf(Locale.ROOT,
				"| 5 | 4 KiB put+get, durability %s on both sides, interleaved rounds, ops/s | %.0f (%.0f–%.0f) | %.0f (%.0f–%.0f) | %.2f× (per-round ratios %.2f–%.2f) |%n",
				name, ours.get(ours.size() / 2), ours.get(0), ours.get(ours.size() - 1),
				baseline.get(baseline.size() / 2), baseline.get(0), baseline.get(baseline.size() - 1),
				ratios.get(ratios.size() / 2), ratios.get(0), ratios.get(ratios.size() - 1));
	}

	private static double rate(Operation operation, int seconds) throws IOException {
		long start = System.nanoTime();
		long end = start + seconds * 1_000_000_000L;
		long count = 0;
		while (System.nanoTime() < end) {
			if (operation.run((int) count++).length != 4096) {
				throw new IllegalStateException("short read");
			}
		}
		return count / ((System.nanoTime() - start) / 1e9);
	}

	@FunctionalInterface
	interface Operation {

		byte[] run(int index) throws IOException;

	}

}
