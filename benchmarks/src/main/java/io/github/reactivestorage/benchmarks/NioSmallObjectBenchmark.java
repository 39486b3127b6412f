package io.github.reactivestorage.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The baseline of row 5: what a user would write with plain NIO for a 4 KiB put then get — write a
 * temp file beside the target, move it into place atomically, read all bytes — over the same 1,024
 * keys as {@link SmallObjectBenchmark}. The directory is created once, not per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
public class NioSmallObjectBenchmark {

	private Path directory;

	private Path objects;

	private byte[] content;

	private int counter;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.content = new byte[4096];
		ThreadLocalRandom.current().nextBytes(this.content);
		this.directory = Files.createTempDirectory("storage-bench");
		this.objects = Files.createDirectories(this.directory.resolve("nio/objects"));
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		try (Stream<Path> paths = Files.walk(this.directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
	}

	@Benchmark
	public byte[] nioPutGet() throws IOException {
		Path target = this.objects.resolve((this.counter++ & 1023) + ".bin");
		Path temp = Files.createTempFile(this.objects, ".upload-", ".tmp");
		Files.write(temp, this.content);
		Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		return Files.readAllBytes(target);
	}

}
