package io.github.reactivestorage.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import io.github.reactivestorage.ReactiveStorage;

/**
 * Beside row 5: the same 4 KiB put+get as {@link SmallObjectBenchmark}, measured as operations per
 * second of this process's CPU time (user + system, all threads) rather than of wall-clock time, so
 * that other work on a shared machine moves it much less than JMH's throughput. Each case runs
 * {@code --seconds} of warm-up, then {@code --repeats} measured rounds of {@code --seconds} each.
 * Last, filesystem and NIO in alternating wall-clock rounds, for a ratio that the disk's changing
 * speed moves less.
 */
public final class SmallObjectCpuCost {

	private SmallObjectCpuCost() {
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
		Path directory = Files.createTempDirectory("storage-cpu");
		try {
			Path nio = Files.createDirectories(directory.resolve("nio/objects"));
			Operation nioOperation = (i) -> {
				Path target = nio.resolve((i & 1023) + ".bin");
				Path temp = Files.createTempFile(nio, ".upload-", ".tmp");
				Files.write(temp, content);
				Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
				return Files.readAllBytes(target);
			};
			for (String backend : List.of("memory", "filesystem")) {
				try (ReactiveStorage storage = SmallObjectBenchmark.Backends.create(backend,
						directory.resolve(backend))) {
					report(backend, seconds, repeats, storageOperation(storage, content));
				}
			}
			report("nio", seconds, repeats, nioOperation);
			try (ReactiveStorage storage = SmallObjectBenchmark.Backends.create("filesystem",
					directory.resolve("filesystem-interleaved"))) {
				interleaved(seconds, repeats, storageOperation(storage, content), nioOperation);
			}
		}
		finally {
			try (Stream<Path> paths = Files.walk(directory)) {
				paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
			}
		}
	}

	private static void report(String name, int seconds, int repeats, Operation operation) throws IOException {
		run(operation, seconds);
		List<Double> rates = new ArrayList<>();
		for (int r = 0; r < repeats; r++) {
			rates.add(run(operation, seconds));
		}
		Collections.sort(rates);
		System.out.printf(Locale.ROOT, "| 5 | 4 KiB put+get, %s, ops per CPU-second | %.0f (%.0f–%.0f) |%n", name,
				rates.get(rates.size() / 2), rates.get(0), rates.get(rates.size() - 1));
	}

	private static Operation storageOperation(ReactiveStorage storage, byte[] content) {
		return (i) -> {
			String key = "objects/" + (i & 1023) + ".bin";
			storage.put(key, content).toFuture().join();
			return storage.getBytes(key).toFuture().join();
		};
	}

	/**
	 * Filesystem against NIO in wall-clock ops/s, in alternating rounds of {@code seconds}: this
	 * machine's disk changes speed from minute to minute, which JMH's consecutive runs of the two
	 * benchmarks turn into noise in their ratio. Reports the median of the per-round ratios.
	 */
	private static void interleaved(int seconds, int repeats, Operation filesystem, Operation nio) throws IOException {
		wallClockRate(filesystem, seconds);
		wallClockRate(nio, seconds);
		List<Double> ours = new ArrayList<>();
		List<Double> baseline = new ArrayList<>();
		List<Double> ratios = new ArrayList<>();
		for (int r = 0; r < repeats; r++) {
			double rate = wallClockRate(filesystem, seconds);
			double nioRate = wallClockRate(nio, seconds);
			ours.add(rate);
			baseline.add(nioRate);
			ratios.add(rate / nioRate);
		}
		Collections.sort(ours);
		Collections.sort(baseline);
		Collections.sort(ratios);
		System.out.printf(Locale.ROOT,
				"| 5 | 4 KiB put+get, filesystem vs nio, interleaved rounds, ops/s | %.0f (%.0f–%.0f) | %.0f (%.0f–%.0f) | %.2f× (per-round ratios %.2f–%.2f) |%n",
				ours.get(ours.size() / 2), ours.get(0), ours.get(ours.size() - 1), baseline.get(baseline.size() / 2),
				baseline.get(0), baseline.get(baseline.size() - 1), ratios.get(ratios.size() / 2), ratios.get(0),
				ratios.get(ratios.size() - 1));
	}

	/** Runs the operation for about the given wall-clock seconds; ops per wall-clock second. */
	private static double wallClockRate(Operation operation, int seconds) throws IOException {
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

	/** Runs the operation for about the given wall-clock seconds; ops per second of process CPU time. */
	private static double run(Operation operation, int seconds) throws IOException {
		com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean();
		long cpuStart = os.getProcessCpuTime();
		long end = System.nanoTime() + seconds * 1_000_000_000L;
		long count = 0;
		while (System.nanoTime() < end) {
			for (int i = 0; i < 64; i++) {
				if (operation.run((int) count++).length != 4096) {
					throw new IllegalStateException("short read");
				}
			}
		}
		return count / ((os.getProcessCpuTime() - cpuStart) / 1e9);
	}

	@FunctionalInterface
	interface Operation {

		byte[] run(int index) throws IOException;

	}

}
