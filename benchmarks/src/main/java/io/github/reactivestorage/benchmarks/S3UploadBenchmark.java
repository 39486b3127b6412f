package io.github.reactivestorage.benchmarks;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.s3.S3ClientSettings;
import io.github.reactivestorage.s3.S3Storage;
import io.github.reactivestorage.s3.S3StorageOptions;

/**
 * Row 4 of docs/benchmarks.md: an unknown-length stream put through {@link S3Storage} (multipart,
 * bounded parts in flight) to an in-process S3Proxy, against the raw SDK uploading the same bytes as a
 * known-length file body, and against the raw SDK uploading that file in parts of the same size and
 * parallelism (which separates the server's cost of multipart from ours). Arguments: {@code --size-mib=512 --repeats=3}.
 */
public final class S3UploadBenchmark {

	private static final int MIB = 1024 * 1024;

	private S3UploadBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args) {
			if (arg.startsWith("--") && arg.contains("=")) {
				options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
			}
		}
		int sizeMib = Integer.parseInt(options.getOrDefault("size-mib", "512"));
		int repeats = Integer.parseInt(options.getOrDefault("repeats", "3"));
		S3ProxyJunitCore server = new S3ProxyJunitCore.Builder().withBlobStoreProvider("transient-nio2")
			.withCredentials("access", "secret-for-benchmarks")
			.ignoreUnknownHeaders()
			.build();
		server.beforeEach();
		S3ClientSettings settings = new S3ClientSettings("us-east-1", server.getUri(), true, server.getAccessKey(),
				server.getSecretKey(), null, null, false, Duration.ofSeconds(10), Duration.ofMinutes(2));
		Path file = Files.createTempFile("s3-bench", ".bin");
		try (S3AsyncClient client = settings.clientBuilder().build()) {
			client.createBucket(r -> r.bucket("bench")).join();
			// generated once: the stream wraps these, so that neither side pays for making its bytes
			byte[][] chunks = new byte[sizeMib][];
			try (OutputStream out = Files.newOutputStream(file)) {
				for (int i = 0; i < sizeMib; i++) {
					chunks[i] = chunk(i);
					out.write(chunks[i]);
				}
			}
			S3Storage storage = new S3Storage("bench", client, null, "bench", S3StorageOptions.DEFAULTS,
					DefaultDataBufferFactory.sharedInstance, null);
			List<Double> ours = new ArrayList<>();
			List<Double> raw = new ArrayList<>();
			List<Double> rawMultipart = new ArrayList<>();
			for (int run = 0; run <= repeats; run++) {
				long start = System.nanoTime();
				storage.put("ours.bin", stream(chunks), PutOptions.defaults()).toFuture().join();
				double oursRate = sizeMib / ((System.nanoTime() - start) / 1e9);
				start = System.nanoTime();
				client.putObject(r -> r.bucket("bench").key("raw.bin").contentLength((long) sizeMib * MIB),
						AsyncRequestBody.fromFile(file)).join();
				double rawRate = sizeMib / ((System.nanoTime() - start) / 1e9);
				start = System.nanoTime();
				sdkMultipart(client, file, (long) sizeMib * MIB, S3StorageOptions.DEFAULTS);
				double rawMultipartRate = sizeMib / ((System.nanoTime() - start) / 1e9);
				if (run > 0) {
					ours.add(oursRate);
					raw.add(rawRate);
					rawMultipart.add(rawMultipartRate);
				}
			}
			System.out.printf(Locale.ROOT,
					"| 4 | S3 upload %d MiB, MiB/s: unknown-length stream vs SDK known-length file | %s | %s | %.2f× |%n",
					sizeMib, describe(ours), describe(raw), median(ours) / median(raw));
			System.out.printf(Locale.ROOT,
					"| 4 | same, vs the SDK's own multipart upload of the file (same part size and parts in flight) | %s | %s | %.2f× |%n",
					describe(ours), describe(rawMultipart), median(ours) / median(rawMultipart));
			System.out.printf(Locale.ROOT,
					"| 4 | SDK multipart vs SDK single PUT of the file (the server's cost of multipart) | %s | %s | %.2f× |%n",
					describe(rawMultipart), describe(raw), median(rawMultipart) / median(raw));
		}
		finally {
			Files.deleteIfExists(file);
			server.afterEach();
		}
	}

	/**
	 * The raw SDK uploading a known-length file in parts, shaped as {@link S3Storage} shapes an
	 * unknown-length stream: {@code partSize} parts, at most {@code maxPartsInFlight} at once.
	 */
	private static void sdkMultipart(S3AsyncClient client, Path file, long size, S3StorageOptions options) {
		String uploadId = client.createMultipartUpload(r -> r.bucket("bench").key("raw-multipart.bin"))
			.join()
			.uploadId();
		int parts = (int) ((size + options.partSize() - 1) / options.partSize());
		List<CompletedPart> completed = Flux.range(0, parts).flatMapSequential(i -> {
			long position = (long) i * options.partSize();
			long length = Math.min(options.partSize(), size - position);
			AsyncRequestBody body = AsyncRequestBody
				.fromFile(f -> f.path(file).position(position).numBytesToRead(length));
			return Mono.fromFuture(() -> client.uploadPart(r -> r.bucket("bench")
				.key("raw-multipart.bin")
				.uploadId(uploadId)
				.partNumber(i + 1)
				.contentLength(length), body))
				.map(response -> CompletedPart.builder().partNumber(i + 1).eTag(response.eTag()).build());
		}, options.maxPartsInFlight()).collectList().toFuture().join();
		client.completeMultipartUpload(r -> r.bucket("bench")
			.key("raw-multipart.bin")
			.uploadId(uploadId)
			.multipartUpload(u -> u.parts(completed))).join();
	}

	private static Flux<DataBuffer> stream(byte[][] chunks) {
		return Flux.fromArray(chunks).map(DefaultDataBufferFactory.sharedInstance::wrap);
	}

	private static byte[] chunk(int index) {
		byte[] bytes = new byte[MIB];
		new SplittableRandom(index).nextBytes(bytes);
		return bytes;
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private static String describe(List<Double> values) {
		return String.format(Locale.ROOT, "%.0f (%.0f–%.0f)", median(values), Collections.min(values),
				Collections.max(values));
	}

}
