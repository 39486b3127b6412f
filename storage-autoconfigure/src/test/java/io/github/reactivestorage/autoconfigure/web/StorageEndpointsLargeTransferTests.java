package io.github.reactivestorage.autoconfigure.web;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunctions;

import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.filesystem.FilesystemStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uploads and downloads a file of several hundred MiB, generated on the fly, through a real Reactor
 * Netty server in a JVM whose heap (and Netty's direct memory) is far smaller than the file: this
 * class runs in its own Surefire execution with {@code -Xmx64m} (see the module's pom), so any
 * buffering of the whole body would fail. A multipart upload of a file larger than the heap
 * proves that file parts stream too. Also checks that a client disconnecting mid-upload (raw or
 * multipart) leaves no object and no staging file.
 */
class StorageEndpointsLargeTransferTests {

	private static final long SIZE = 384L * 1024 * 1024;

	private static final long MULTIPART_SIZE = 160L * 1024 * 1024;

	private static final int CHUNK = 64 * 1024;

	@TempDir
	Path directory;

	private DisposableServer server;

	private FilesystemStorage storage;

	@BeforeEach
	void startServer() {
		this.storage = new FilesystemStorage("files", this.directory.resolve("files"));
		StorageWebProperties properties = new StorageWebProperties();
		properties.setMounts(List.of("files"));
		StorageHandler handler = new StorageHandler(new StorageMounts(Map.of("files", this.storage), null), properties);
		ReactorHttpHandlerAdapter adapter = new ReactorHttpHandlerAdapter(
				RouterFunctions.toHttpHandler(StorageRoutes.routes("/storage", handler)));
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle(adapter).bindNow();
	}

	@AfterEach
	void stopServer() {
		this.server.disposeNow();
	}

	@Test
	void largeFileStreamsBothWaysInConstantMemory() {
		assertThat(Runtime.getRuntime().maxMemory()).as("heap limit of this test JVM").isLessThan(SIZE / 4);
		HttpClient client = HttpClient.create().baseUrl("http://127.0.0.1:" + this.server.port());
		MessageDigest sent = sha256();
		Flux<ByteBuf> body = Flux.<ByteBuf, Long>generate(() -> 0L, (offset, sink) -> {
			if (offset >= SIZE) {
				sink.complete();
				return offset;
			}
			byte[] chunk = new byte[CHUNK];
			new SplittableRandom(offset).nextBytes(chunk);
			sent.update(chunk);
			sink.next(Unpooled.wrappedBuffer(chunk));
			return offset + CHUNK;
		});
		Integer status = client.headers(h -> h.set("Content-Type", "application/octet-stream"))
			.put()
			.uri("/storage/files/large/blob.bin")
			.send(body)
			.responseSingle((response, content) -> content.then(Mono.just(response.status().code())))
			.block(Duration.ofMinutes(5));
		assertThat(status).isEqualTo(201);
		assertThat(this.storage.info("large/blob.bin").block().size()).isEqualTo(SIZE);

		MessageDigest received = sha256();
		long[] count = new long[1];
		client.get().uri("/storage/files/large/blob.bin").responseContent().doOnNext(buf -> {
			count[0] += buf.readableBytes();
			received.update(buf.nioBuffer());
		}).blockLast(Duration.ofMinutes(5));
		assertThat(count[0]).isEqualTo(SIZE);
		assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
	}

	@Test
	void clientDisconnectingMidUploadLeavesNothingBehind() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.server.port())) {
			OutputStream out = socket.getOutputStream();
			out.write(("PUT /storage/files/partial.bin HTTP/1.1\r\nHost: localhost\r\n"
					+ "Content-Type: application/octet-stream\r\nContent-Length: 50000000\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			byte[] chunk = new byte[CHUNK];
			for (int i = 0; i < 32; i++) {
				out.write(chunk);
			}
			out.flush();
			Thread.sleep(300);
		}
		Path staging = this.directory.resolve("files/.storage/tmp");
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline && !stagingEmpty(staging)) {
			Thread.sleep(50);
		}
		assertThat(stagingEmpty(staging)).as("no staging file left").isTrue();
		assertThat(this.storage.exists("partial.bin").block()).isFalse();
	}

	@Test
	void largeMultipartFileStreamsInConstantMemory() {
		assertThat(Runtime.getRuntime().maxMemory()).as("heap limit of this test JVM").isLessThan(MULTIPART_SIZE / 2);
		HttpClient client = HttpClient.create().baseUrl("http://127.0.0.1:" + this.server.port());
		String boundary = "storage-test-boundary-7f3a9c2e51d84b06";
		MessageDigest sent = sha256();
		Flux<ByteBuf> content = Flux.<ByteBuf, Long>generate(() -> 0L, (offset, sink) -> {
			if (offset >= MULTIPART_SIZE) {
				sink.complete();
				return offset;
			}
			byte[] chunk = new byte[CHUNK];
			new SplittableRandom(offset).nextBytes(chunk);
			sent.update(chunk);
			sink.next(Unpooled.wrappedBuffer(chunk));
			return offset + CHUNK;
		});
		Flux<ByteBuf> body = Flux.concat(
				Mono.fromSupplier(() -> ascii("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
						+ "filename=\"big.bin\"\r\nContent-Type: application/x-test\r\n\r\n")),
				content, Mono.fromSupplier(() -> ascii("\r\n--" + boundary + "--\r\n")));
		Integer status = client.headers(h -> h.set("Content-Type", "multipart/form-data; boundary=" + boundary))
			.post()
			.uri("/storage/files?prefix=multi")
			.send(body)
			.responseSingle((response, answer) -> answer.then(Mono.just(response.status().code())))
			.block(Duration.ofMinutes(5));
		assertThat(status).isEqualTo(201);
		assertThat(this.storage.info("multi/big.bin").block().size()).isEqualTo(MULTIPART_SIZE);
		assertThat(this.storage.info("multi/big.bin").block().contentType()).isEqualTo("application/x-test");
		MessageDigest stored = sha256();
		this.storage.get("multi/big.bin").doOnNext(buffer -> {
			try (DataBuffer.ByteBufferIterator iterator = buffer.readableByteBuffers()) {
				iterator.forEachRemaining(stored::update);
			}
			DataBufferUtils.release(buffer);
		}).blockLast(Duration.ofMinutes(5));
		assertThat(HexFormat.of().formatHex(stored.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
	}

	@Test
	void clientDisconnectingMidMultipartUploadLeavesNothingBehind() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.server.port())) {
			OutputStream out = socket.getOutputStream();
			String boundary = "cut-boundary-3b8e";
			out.write(("POST /storage/files HTTP/1.1\r\nHost: localhost\r\n"
					+ "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: 50000000\r\n\r\n"
					+ "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.bin\"\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			byte[] chunk = new byte[CHUNK];
			for (int i = 0; i < 32; i++) {
				out.write(chunk);
			}
			out.flush();
			Thread.sleep(300);
		}
		Path staging = this.directory.resolve("files/.storage/tmp");
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline && !stagingEmpty(staging)) {
			Thread.sleep(50);
		}
		assertThat(stagingEmpty(staging)).as("no staging file left").isTrue();
		assertThat(this.storage.exists("cut.bin").block()).isFalse();
	}

	private static ByteBuf ascii(String text) {
		return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII));
	}

	private static boolean stagingEmpty(Path staging) throws Exception {
		if (!Files.exists(staging)) {
			return true;
		}
		try (Stream<Path> files = Files.list(staging)) {
			return files.findAny().isEmpty();
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
