package io.github.reactivestorage.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The server side of the loopback benchmarks: the starter's endpoints on a filesystem mount
 * ({@code /storage/files/**}) beside the hand-written WebFlux handlers a user would write
 * ({@code /baseline/**}, and {@code /baseline-prefetch/**} for uploads), and {@code /bench/memory}
 * reporting peak heap and RSS. Started by {@link LoopbackBenchmark} in its own JVM.
 */
@SpringBootApplication
public class BenchmarkServer {

	private static final int CHUNK = 64 * 1024;

	public static void main(String[] args) {
		SpringApplication.run(BenchmarkServer.class, args);
	}

	@Bean
	RouterFunction<ServerResponse> baselineRoutes() {
		Path root = Paths.get(System.getProperty("bench.baseline-dir", "target/bench-data/baseline"));
		return RouterFunctions.route()
			.GET("/baseline/{name}", request -> download(root.resolve(request.pathVariable("name"))))
			.PUT("/baseline/{name}", request -> upload(request, root.resolve(request.pathVariable("name")), false))
			.PUT("/baseline-prefetch/{name}",
					request -> upload(request, root.resolve(request.pathVariable("name")), true))
			.GET("/bench/memory", request -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(memory()))
			.POST("/bench/gc", request -> {
				System.gc();
				ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
				return ServerResponse.noContent().build();
			})
			.build();
	}

	private static Mono<ServerResponse> download(Path file) {
		try {
			long size = Files.size(file);
			return ServerResponse.ok()
				.contentType(MediaType.APPLICATION_OCTET_STREAM)
				.contentLength(size)
				.body(BodyInserters.fromDataBuffers(
						DataBufferUtils.read(file, DefaultDataBufferFactory.sharedInstance, CHUNK)));
		}
		catch (IOException ex) {
			return ServerResponse.notFound().build();
		}
	}

	/**
	 * The hand-written upload: {@code DataBufferUtils.write} of the body; with {@code prefetch}, the
	 * body is requested 256 buffers ahead ({@code limitRate(256)}), the fastest hand-written upload
	 * known for this kind of machine.
	 */
	private static Mono<ServerResponse> upload(ServerRequest request, Path file, boolean prefetch) {
		Flux<DataBuffer> body = request.body(BodyExtractors.toDataBuffers());
		Flux<DataBuffer> content = prefetch
				? body.limitRate(256).doOnDiscard(DataBuffer.class, DataBufferUtils::release) : body;
		return Mono.fromCallable(() -> Files.createDirectories(file.getParent()))
			.then(DataBufferUtils.write(content, file))
			.then(ServerResponse.status(HttpStatus.CREATED).build());
	}

	private static Map<String, Object> memory() {
		long heapPeak = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
				heapPeak += pool.getPeakUsage().getUsed();
			}
		}
		return Map.of("heapPeakBytes", heapPeak, "heapMaxBytes", Runtime.getRuntime().maxMemory(),
				"rssPeakKiB", procStatus("VmHWM"), "rssKiB", procStatus("VmRSS"));
	}

	private static long procStatus(String field) {
		try {
			for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
				if (line.startsWith(field + ":")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not on Linux
		}
		return -1;
	}

}
