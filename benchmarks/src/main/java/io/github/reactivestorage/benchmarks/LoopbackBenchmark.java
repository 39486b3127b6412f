package io.github.reactivestorage.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The end-to-end benchmarks (rows 1, 2, 3 and 6 of docs/benchmarks.md): a {@link BenchmarkServer}
 * in a child JVM, a Reactor Netty client in this one, on loopback. Every measurement alternates the
 * starter's endpoint with the hand-written baseline and is repeated; medians with min and max are
 * printed as a Markdown table.
 *
 * <p>Arguments: {@code --size-mib=1024 --repeats=5 --memory-size-mib=4096 --concurrency=1000
 * --rows=download,upload,memory,concurrency}.
 */
public final class LoopbackBenchmark {

	private static final int MIB = 1024 * 1024;

	private static final byte[] PATTERN = new byte[MIB];

	static {
		ThreadLocalRandom.current().nextBytes(PATTERN);
	}

	private LoopbackBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = parse(args);
		int sizeMib = Integer.parseInt(options.getOrDefault("size-mib", "1024"));
		int repeats = Integer.parseInt(options.getOrDefault("repeats", "5"));
		int memorySizeMib = Integer.parseInt(options.getOrDefault("memory-size-mib", "4096"));
		int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "1000"));
		List<String> rows = List.of(options.getOrDefault("rows", "download,upload,memory,concurrency").split(","));
		Path data = Paths.get(options.getOrDefault("data", "target/bench-data")).toAbsolutePath();
		List<String> report = new ArrayList<>();
		report.add("| row | measurement | ours (median, min–max) | baseline (median, min–max) | ratio |");
		report.add("|---|---|---|---|---|");

		if (rows.contains("download") || rows.contains("upload") || rows.contains("concurrency")) {
			try (ServerProcess server = ServerProcess.start(data, "-Xmx512m")) {
				HttpClient client = HttpClient.create().baseUrl("http://127.0.0.1:" + server.port);
				if (rows.contains("download")) {
					createFile(data.resolve("files/big.bin"), sizeMib);
					createFile(data.resolve("baseline/big.bin"), sizeMib);
					List<Series> series = interleave(repeats, () -> download(client, "/storage/files/big.bin"),
							() -> download(client, "/baseline/big.bin"), () -> rawLoopback(sizeMib));
					Series ours = series.get(0);
					Series baseline = series.get(1);
					Series raw = series.get(2);
					report.add(row("1", "download " + sizeMib + " MiB, MiB/s", ours, baseline));
					report.add(row("1", "download vs raw loopback socket, MiB/s", ours, raw));
				}
				if (rows.contains("upload")) {
					List<Series> series = interleave(repeats,
							() -> upload(client, "/storage/files/up.bin", sizeMib, false),
							() -> upload(client, "/storage/files?prefix=mp", sizeMib, true),
							() -> upload(client, "/baseline/up.bin", sizeMib, false),
							() -> upload(client, "/baseline-prefetch/up.bin", sizeMib, false));
					Series ours = series.get(0);
					Series multipart = series.get(1);
					Series baseline = series.get(2);
					Series prefetch = series.get(3);
					report.add(row("2", "upload " + sizeMib + " MiB raw PUT, MiB/s", ours, baseline));
					report.add(row("2", "upload " + sizeMib + " MiB multipart POST, MiB/s", multipart, baseline));
					report.add(row("2", "raw PUT vs hand-written with limitRate(256), MiB/s", ours, prefetch));
					report.add(row("2", "multipart POST vs hand-written with limitRate(256), MiB/s", multipart,
							prefetch));
				}
				if (rows.contains("concurrency")) {
					createFile(data.resolve("files/one.bin"), 1);
					createFile(data.resolve("baseline/one.bin"), 1);
					// an unrecorded burst of each first, so that neither side warms the server for the
					// other; then two rounds in opposite order, latencies pooled per side
					concurrent(server.port, "/storage/files/one.bin", concurrency);
					concurrent(server.port, "/baseline/one.bin", concurrency);
					Latencies ours = concurrent(server.port, "/storage/files/one.bin", concurrency);
					Latencies baseline = concurrent(server.port, "/baseline/one.bin", concurrency);
					baseline = baseline.plus(concurrent(server.port, "/baseline/one.bin", concurrency));
					ours = ours.plus(concurrent(server.port, "/storage/files/one.bin", concurrency));
					report.add("| 6 | " + concurrency + " concurrent 1 MiB downloads: errors | " + ours.errors + " | "
							+ baseline.errors + " | |");
					report.add(String.format(Locale.ROOT, "| 6 | p50 latency, ms | %.1f | %.1f | %.2f× |", ours.p(50),
							baseline.p(50), ours.p(50) / baseline.p(50)));
					report.add(String.format(Locale.ROOT, "| 6 | p99 latency, ms | %.1f | %.1f | %.2f× |", ours.p(99),
							baseline.p(99), ours.p(99) / baseline.p(99)));
				}
			}
		}
		if (rows.contains("memory")) {
			// each side in a fresh server JVM with a 64 MiB heap; the peaks are reset between the phases
			report.add(memoryRow(data, memorySizeMib, "ours", "/storage/files/huge.bin", "/storage/files/huge.bin"));
			report.add(memoryRow(data, memorySizeMib, "hand-written", "/baseline-prefetch/huge.bin",
					"/baseline/huge.bin"));
		}
		report.forEach(System.out::println);
	}

	/**
	 * Row 3 for one side: upload then download of {@code sizeMib} through a server with
	 * {@code -Xmx64m}, heap figures per phase (the peaks are reset in between).
	 */
	static String memoryRow(Path data, int sizeMib, String side, String uploadPath, String downloadPath)
			throws IOException, InterruptedException {
		try (ServerProcess server = ServerProcess.start(data, "-Xmx64m")) {
			HttpClient client = HttpClient.create().baseUrl("http://127.0.0.1:" + server.port);
			client.post().uri("/bench/gc").response().toFuture().join();
			double up = upload(client, uploadPath, sizeMib, false);
			String afterUpload = memory(client);
			client.post().uri("/bench/gc").response().toFuture().join();
			double down = download(client, downloadPath);
			String afterDownload = memory(client);
			return String.format(Locale.ROOT,
					"| 3 | %s: %d MiB up (%.0f MiB/s) then down (%.0f MiB/s), -Xmx64m | up: %s | down: %s | |", side,
					sizeMib, up, down, afterUpload, afterDownload);
		}
	}

	/**
	 * The server's heap since the last reset: the most in use just before a collection ("peak", what G1
	 * lets the young generation fill up to), the most still in use just after one ("live"), and the
	 * process's peak resident set.
	 */
	private static String memory(HttpClient client) {
		String json = client.get().uri("/bench/memory").responseContent().aggregate().asString().toFuture().join();
		return String.format(Locale.ROOT, "peak %.1f MiB, live %.1f MiB, RSS %.0f MiB",
				number(json, "heapPeakBytes") / MIB, number(json, "heapLiveMaxBytes") / MIB,
				number(json, "rssPeakKiB") / 1024);
	}

	private static double number(String json, String field) {
		Matcher matcher = Pattern.compile("\"" + field + "\":(-?[0-9]+)").matcher(json);
		if (!matcher.find()) {
			throw new IllegalStateException("No " + field + " in " + json);
		}
		return Double.parseDouble(matcher.group(1));
	}

	// ---- measurements (each returns MiB/s) ----

	static double download(HttpClient client, String path) {
		AtomicLong bytes = new AtomicLong();
		long start = System.nanoTime();
		int status = client.get().uri(path).response((response, body) -> body.doOnNext(buf -> bytes.addAndGet(buf.readableBytes()))
			.then(Mono.just(response.status().code()))).last().toFuture().join();
		if (status != 200) {
			throw new IllegalStateException("GET " + path + " answered " + status);
		}
		return mibPerSecond(bytes.get(), System.nanoTime() - start);
	}

	static double upload(HttpClient client, String path, int sizeMib, boolean multipart) {
		long start = System.nanoTime();
		Flux<ByteBuf> content = Flux.range(0, sizeMib).map(i -> Unpooled.wrappedBuffer(PATTERN));
		HttpClient.RequestSender sender;
		Flux<ByteBuf> body;
		if (multipart) {
			String boundary = "benchboundary" + System.nanoTime();
			String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
					+ "Content-Type: application/octet-stream\r\n\r\n";
			String tail = "\r\n--" + boundary + "--\r\n";
			body = Flux.concat(Flux.just(Unpooled.copiedBuffer(head, StandardCharsets.US_ASCII)), content,
					Flux.just(Unpooled.copiedBuffer(tail, StandardCharsets.US_ASCII)));
			sender = client.headers(h -> h.set("Content-Type", "multipart/form-data; boundary=" + boundary))
				.post()
				.uri(path);
		}
		else {
			body = content;
			sender = client.headers(h -> h.set("Content-Type", "application/octet-stream")).put().uri(path);
		}
		int status = sender.send(ByteBufFlux.fromInbound(body))
			.responseSingle((response, responseBody) -> responseBody.then(Mono.just(response.status().code())))
			.timeout(Duration.ofMinutes(30))
			.toFuture()
			.join();
		if (status != 201 && status != 200) {
			throw new IllegalStateException("upload to " + path + " answered " + status);
		}
		return mibPerSecond((long) sizeMib * MIB, System.nanoTime() - start);
	}

	/** The loopback ceiling: a plain socket server writing from memory, a client reading into a buffer. */
	static double rawLoopback(int sizeMib) {
		try (ServerSocket serverSocket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			Thread writer = new Thread(() -> {
				try (Socket socket = serverSocket.accept(); OutputStream out = socket.getOutputStream()) {
					for (int i = 0; i < sizeMib; i++) {
						out.write(PATTERN);
					}
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			writer.start();
			long start = System.nanoTime();
			long total = 0;
			try (SocketChannel channel = SocketChannel
				.open(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), serverSocket.getLocalPort()))) {
				ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
				int read;
				while ((read = channel.read(buffer)) >= 0) {
					total += read;
					buffer.clear();
				}
			}
			long elapsed = System.nanoTime() - start;
			writer.join();
			return mibPerSecond(total, elapsed);
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static Latencies concurrent(int port, String path, int concurrency) {
		ConnectionProvider provider = ConnectionProvider.builder("bench")
			.maxConnections(concurrency)
			.pendingAcquireMaxCount(-1)
			.build();
		HttpClient client = HttpClient.create(provider).baseUrl("http://127.0.0.1:" + port);
		try {
			download(client, path); // warm the connection path
			List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
			AtomicInteger errors = new AtomicInteger();
			Flux.range(0, concurrency).flatMap(i -> {
				long start = System.nanoTime();
				return client.get()
					.uri(path)
					.response((response, body) -> body.map(ByteBuf::readableBytes)
						.reduce(0L, Long::sum)
						.map(bytes -> (response.status().code() == 200 && bytes == MIB)))
					.next()
					.doOnNext(ok -> {
						if (ok) {
							latencies.add((System.nanoTime() - start) / 1e6);
						}
						else {
							errors.incrementAndGet();
						}
					})
					.onErrorResume(ex -> {
						errors.incrementAndGet();
						return Mono.empty();
					});
			}, concurrency).then().timeout(Duration.ofMinutes(10)).toFuture().join();
			return new Latencies(latencies, errors.get());
		}
		finally {
			provider.disposeLater().toFuture().join();
		}
	}

	// ---- helpers ----

	/**
	 * One unrecorded warm-up run of each measurement, then {@code repeats} rounds that run each once in
	 * turn, so that load from other work on a shared machine falls on all of them alike.
	 */
	@SafeVarargs
	private static List<Series> interleave(int repeats, Supplier<Double>... measurements) {
		List<List<Double>> values = new ArrayList<>();
		for (Supplier<Double> measurement : measurements) {
			measurement.get();
			values.add(new ArrayList<>());
		}
		for (int i = 0; i < repeats; i++) {
			for (int m = 0; m < measurements.length; m++) {
				values.get(m).add(measurements[m].get());
			}
		}
		return values.stream().map(Series::new).toList();
	}

	private static String row(String row, String what, Series ours, Series baseline) {
		return String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f× |", row, what, ours, baseline,
				ours.median() / baseline.median());
	}

	private static double mibPerSecond(long bytes, long nanos) {
		return (bytes / (double) MIB) / (nanos / 1e9);
	}

	private static void createFile(Path file, int sizeMib) throws IOException {
		if (Files.exists(file) && Files.size(file) == (long) sizeMib * MIB) {
			return;
		}
		Files.createDirectories(file.getParent());
		try (OutputStream out = Files.newOutputStream(file)) {
			for (int i = 0; i < sizeMib; i++) {
				out.write(PATTERN);
			}
		}
	}

	private static Map<String, String> parse(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args) {
			if (arg.startsWith("--") && arg.contains("=")) {
				options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
			}
		}
		return options;
	}

	record Series(List<Double> values) {

		double median() {
			List<Double> sorted = new ArrayList<>(this.values);
			Collections.sort(sorted);
			int n = sorted.size();
			return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%.0f (%.0f–%.0f)", median(), Collections.min(this.values),
					Collections.max(this.values));
		}

	}

	record Latencies(List<Double> millis, int errors) {

		Latencies plus(Latencies other) {
			List<Double> all = new ArrayList<>(this.millis);
			all.addAll(other.millis);
			return new Latencies(all, this.errors + other.errors);
		}

		double p(int percentile) {
			List<Double> sorted = new ArrayList<>(this.millis);
			Collections.sort(sorted);
			if (sorted.isEmpty()) {
				return Double.NaN;
			}
			int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
			return sorted.get(Math.max(0, index));
		}

	}

	/** The server JVM. */
	static final class ServerProcess implements AutoCloseable {

		final Process process;

		final int port;

		private ServerProcess(Process process, int port) {
			this.process = process;
			this.port = port;
		}

		static ServerProcess start(Path data, String heap) throws IOException, InterruptedException {
			int port;
			try (ServerSocket socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			Files.createDirectories(data);
			String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
			List<String> command = new ArrayList<>(List.of(java, heap, "-XX:+UseG1GC"));
			// e.g. -Dbench.server-jvm-args=-XX:StartFlightRecording=filename=server.jfr to profile the server
			String extra = System.getProperty("bench.server-jvm-args", "").trim();
			if (!extra.isEmpty()) {
				command.addAll(List.of(extra.split("\\s+")));
			}
			command.addAll(List.of("-cp", System.getProperty("java.class.path"),
					"-Dbench.baseline-dir=" + data.resolve("baseline"), BenchmarkServer.class.getName(),
					"--server.port=" + port, "--storage.mounts.files.type=filesystem",
					"--storage.mounts.files.path=" + data.resolve("files"), "--storage.web.enabled=true",
					"--storage.web.mounts=files", "--storage.web.max-upload-size=64GB",
					"--logging.level.root=WARN"));
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(data.resolve("server-" + port + ".log").toFile())
				.start();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (System.nanoTime() < deadline) {
				try (Socket probe = new Socket("127.0.0.1", port)) {
					return new ServerProcess(process, port);
				}
				catch (IOException notYet) {
					if (!process.isAlive()) {
						throw new IllegalStateException("Benchmark server exited; see " + data);
					}
					Thread.sleep(200);
				}
			}
			process.destroyForcibly();
			throw new IllegalStateException("Benchmark server did not start within 60 s");
		}

		@Override
		public void close() throws InterruptedException {
			this.process.destroy();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}

	}

}
