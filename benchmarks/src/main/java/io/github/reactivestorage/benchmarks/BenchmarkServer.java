package io.github.reactivestorage.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.FileSystemResource;
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
 * ({@code /baseline/**} with {@code DataBufferUtils.read}, {@code /baseline-zero-copy/**} returning a
 * {@code FileSystemResource}, and {@code /baseline-prefetch/**} for uploads), and {@code /bench/memory}
 * reporting peak heap and RSS. Started by {@link LoopbackBenchmark} in its own JVM.
 */
@SpringBootApplication
public class BenchmarkServer {

	private static final int CHUNK = 64 * 1024;

	/** The most heap in use just before any collection (the true peak of occupancy) since the last reset. */
	private static final AtomicLong HEAP_BEFORE_GC_PEAK = new AtomicLong();

	/** The most heap still in use just after any collection (the live set) since the last reset. */
	private static final AtomicLong HEAP_AFTER_GC_PEAK = new AtomicLong();

	public static void main(String[] args) {
		watchCollections();
		SpringApplication.run(BenchmarkServer.class, args);
	}

	private static void watchCollections() {
		Set<String> heapPools = new HashSet<>();
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				heapPools.add(pool.getName());
			}
		}
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
				if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
					GcInfo info = GarbageCollectionNotificationInfo
						.from((CompositeData) notification.getUserData())
						.getGcInfo();
					HEAP_BEFORE_GC_PEAK.accumulateAndGet(heapUsed(info.getMemoryUsageBeforeGc(), heapPools), Math::max);
					HEAP_AFTER_GC_PEAK.accumulateAndGet(heapUsed(info.getMemoryUsageAfterGc(), heapPools), Math::max);
				}
			}, null, null);
		}
	}

	private static long heapUsed(Map<String, MemoryUsage> usage, Set<String> heapPools) {
		long used = 0;
		for (Map.Entry<String, MemoryUsage> pool : usage.entrySet()) {
			if (heapPools.contains(pool.getKey())) {
				used += pool.getValue().getUsed();
			}
		}
		return used;
	}

	@Bean
	RouterFunction<ServerResponse> baselineRoutes() {
		Path root = Paths.get(System.getProperty("bench.baseline-dir", "target/bench-data/baseline"));
		return RouterFunctions.route()
			.GET("/baseline/{name}", request -> download(root.resolve(request.pathVariable("name"))))
			// the zero-copy handler: Spring writes a FileSystemResource with Reactor Netty's sendFile
			.GET("/baseline-zero-copy/{name}", request -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_OCTET_STREAM)
				.body(BodyInserters.fromResource(new FileSystemResource(root.resolve(request.pathVariable("name"))))))
			.PUT("/baseline/{name}", request -> upload(request, root.resolve(request.pathVariable("name")), false))
			.PUT("/baseline-prefetch/{name}",
					request -> upload(request, root.resolve(request.pathVariable("name")), true))
			.GET("/bench/memory", request -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(memory()))
			.POST("/bench/gc", request -> {
				System.gc();
				ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
				HEAP_BEFORE_GC_PEAK.set(0);
				HEAP_AFTER_GC_PEAK.set(0);
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
		long current = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				current += pool.getUsage().getUsed();
			}
		}
		// the sum of each pool's own peak overstates: the pools peak at different times
		return Map.of("heapPoolPeaksSumBytes", heapPeak, "heapPeakBytes",
				Math.max(HEAP_BEFORE_GC_PEAK.get(), current), "heapLiveMaxBytes", HEAP_AFTER_GC_PEAK.get(),
				"heapMaxBytes", Runtime.getRuntime().maxMemory(), "rssPeakKiB", procStatus("VmHWM"), "rssKiB",
				procStatus("VmRSS"));
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
