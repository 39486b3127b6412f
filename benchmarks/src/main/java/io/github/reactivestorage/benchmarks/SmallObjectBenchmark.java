package io.github.reactivestorage.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.memory.MemoryStorage;

/**
 * Row 5 of docs/benchmarks.md: put then get of a 4 KiB object through the storage API on each
 * backend; {@link NioSmallObjectBenchmark} is the plain-NIO baseline. One operation = one put plus
 * one get, over 1,024 keys so that puts overwrite. The API is reactive, so each operation waits for
 * its {@code Mono} as a blocking caller would ({@code toFuture().join()}); for the memory backend the
 * whole pipeline runs on the calling thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
public class SmallObjectBenchmark {

	@Param({ "memory", "filesystem" })
	public String backend;

	private ReactiveStorage storage;

	private Path directory;

	private byte[] content;

	private int counter;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.content = new byte[4096];
		ThreadLocalRandom.current().nextBytes(this.content);
		this.directory = Files.createTempDirectory("storage-bench");
		this.storage = Backends.create(this.backend, this.directory.resolve("mount"));
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.storage.close();
		try (Stream<Path> paths = Files.walk(this.directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
	}

	@Benchmark
	public byte[] storagePutGet() {
		String key = "objects/" + (this.counter++ & 1023) + ".bin";
		this.storage.put(key, this.content).toFuture().join();
		return this.storage.getBytes(key).toFuture().join();
	}

	/** Builds the backends the benchmarks compare. */
	static final class Backends {

		private Backends() {
		}

		static ReactiveStorage create(String type, Path root) {
			return switch (type) {
				case "memory" -> new MemoryStorage("bench");
				case "filesystem" -> FilesystemBackend.create(root);
				default -> throw new IllegalArgumentException("Unknown backend " + type);
			};
		}

	}

}
