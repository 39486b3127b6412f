package io.github.reactivestorage.autoconfigure.web;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.filesystem.FilesystemStorage;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.support.ForwardingReactiveStorage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Clients that disconnect or stall, over a real Reactor Netty server: a multipart upload cut after its
 * first file removes that file, an upload that pauses longer than {@code storage.web.idle-timeout} is
 * aborted and stores nothing (no staging file left), and a download that stalls is aborted.
 */
class StorageEndpointsSlowClientSecurityTests {

	private static final Duration IDLE = Duration.ofMillis(500);

	@TempDir
	Path directory;

	private DisposableServer server;

	private ReactiveStorage storage;

	private RouterFunction<ServerResponse> routes;

	private final AtomicBoolean readCancelled = new AtomicBoolean();

	private void start(String backend) {
		ReactiveStorage store = backend.equals("memory") ? new MemoryStorage("files")
				: new FilesystemStorage("files", this.directory.resolve("files"));
		this.storage = new ForwardingReactiveStorage(store) {

			@Override
			public Flux<DataBuffer> get(String key) {
				if (!key.equals("stalls.bin")) {
					return super.get(key);
				}
				// one chunk, then nothing: a backend (or a client) that stops moving
				return Flux.concat(Mono.fromSupplier(() -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[16])),
						Flux.<DataBuffer>never())
					.doOnCancel(() -> StorageEndpointsSlowClientSecurityTests.this.readCancelled.set(true));
			}

			@Override
			public Mono<io.github.reactivestorage.StoredContent> read(String key,
					io.github.reactivestorage.@org.jspecify.annotations.Nullable ByteRange range) {
				if (!key.equals("stalls.bin") || range != null) {
					return super.read(key, range);
				}
				return info(key).map(object -> io.github.reactivestorage.StoredContent.whole(object, get(key), Mono.empty()));
			}

		};
		StorageWebProperties properties = new StorageWebProperties();
		properties.setMounts(List.of("files"));
		properties.setIdleTimeout(IDLE);
		StorageHandler handler = new StorageHandler(new StorageMounts(Map.of("files", this.storage), "files"), properties);
		this.routes = StorageRoutes.routes("/storage", handler);
		this.server = HttpServer.create().host("127.0.0.1").port(0)
			.handle(new ReactorHttpHandlerAdapter(RouterFunctions.toHttpHandler(this.routes)))
			.bindNow();
	}

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.disposeNow();
		}
	}

	private static void await(BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	private boolean exists(String key) {
		return Boolean.TRUE.equals(this.storage.exists(key).block());
	}

	private void assertNoStagingFiles() throws Exception {
		// the backend may remove a failed put's staging file just after the put's error was signalled
		Path staging = this.directory.resolve("files/.storage/tmp");
		long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
		while (true) {
			List<Path> left;
			try (Stream<Path> files = Files.exists(staging) ? Files.list(staging) : Stream.empty()) {
				left = files.toList();
			}
			if (left.isEmpty() || System.nanoTime() > deadline) {
				assertThat(left).as("staging files").isEmpty();
				return;
			}
			Thread.sleep(20);
		}
	}

	private Socket send(String head, String body) throws Exception {
		Socket socket = new Socket("127.0.0.1", this.server.port());
		OutputStream out = socket.getOutputStream();
		out.write((head + body).getBytes(StandardCharsets.ISO_8859_1));
		out.flush();
		return socket;
	}

	private static String multipartHead(String boundary, String path) {
		return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=" + boundary
				+ "\r\nContent-Length: 100000\r\n\r\n";
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "filesystem" })
	void aDisconnectAfterTheFirstPartRemovesWhatTheRequestStored(String backend) throws Exception {
		start(backend);
		this.storage.put("up/old.txt", "old".getBytes(StandardCharsets.UTF_8)).block();
		String boundary = "cut-boundary";
		String parts = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"first.txt\"\r\n\r\n"
				+ "first part\r\n--" + boundary
				+ "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"second.txt\"\r\n\r\nhalf of the sec";
		try (Socket socket = send(multipartHead(boundary, "/storage/files?prefix=up"), parts)) {
			await(() -> exists("up/first.txt"), "the first part to be stored");
		}
		await(() -> !exists("up/first.txt"), "the first part to be removed after the disconnect");
		assertThat(exists("up/second.txt")).isFalse();
		assertThat(this.storage.getBytes("up/old.txt").block()).asString().isEqualTo("old");
		assertNoStagingFiles();
	}

	/**
	 * A request whose processing is cancelled (as a server does when the exchange is abandoned) rather than
	 * failed: the cancel path must remove what was stored too.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "memory", "filesystem" })
	void aCancelledMultipartUploadRemovesWhatItStored(String backend) throws Exception {
		start(backend);
		this.storage.put("up/old.txt", "old".getBytes(StandardCharsets.UTF_8)).block();
		String boundary = "cancel-boundary";
		String parts = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"first.txt\"\r\n\r\n"
				+ "first part\r\n--" + boundary
				+ "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"old.txt\"\r\n\r\nnever fini";
		Flux<DataBuffer> body = Flux.concat(
				Mono.fromSupplier(() -> DefaultDataBufferFactory.sharedInstance.wrap(parts.getBytes(StandardCharsets.US_ASCII))),
				Flux.never());
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/storage/files?prefix=up")
			.contentType(MediaType.parseMediaType("multipart/form-data; boundary=" + boundary))
			.body(body));
		Disposable request = RouterFunctions.toWebHandler(this.routes).handle(exchange).subscribe();
		await(() -> exists("up/first.txt"), "the first part to be stored");
		request.dispose();
		await(() -> !exists("up/first.txt"), "the first part to be removed after the cancel");
		assertThat(this.storage.getBytes("up/old.txt").block()).asString().isEqualTo("old");
		assertNoStagingFiles();
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "filesystem" })
	void aStalledMultipartUploadIsAbortedAndRemovesWhatItStored(String backend) throws Exception {
		start(backend);
		String boundary = "stall-boundary";
		String parts = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"first.txt\"\r\n\r\n"
				+ "first part\r\n--" + boundary
				+ "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"second.txt\"\r\n\r\nthen noth";
		try (Socket socket = send(multipartHead(boundary, "/storage/files"), parts)) {
			String answer = readAnswer(socket);
			assertThat(answer).startsWith("HTTP/1.1 408");
			assertThat(exists("first.txt")).isFalse();
			assertThat(exists("second.txt")).isFalse();
		}
		assertNoStagingFiles();
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "filesystem" })
	void aStalledRawUploadIsAbortedAndStoresNothing(String backend) throws Exception {
		start(backend);
		this.storage.put("slow.bin", "previous".getBytes(StandardCharsets.UTF_8)).block();
		String head = "PUT /storage/files/slow.bin HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n";
		try (Socket socket = send(head, "only ten b")) {
			assertThat(readAnswer(socket)).startsWith("HTTP/1.1 408");
		}
		assertThat(this.storage.getBytes("slow.bin").block()).asString().isEqualTo("previous");
		assertNoStagingFiles();
	}

	@Test
	void aStalledDownloadIsAbortedAndItsReadCancelled() throws Exception {
		start("memory");
		this.storage.put("stalls.bin", new byte[1024]).block();
		assertThatThrownBy(() -> HttpClient.create()
			.get()
			.uri("http://127.0.0.1:" + this.server.port() + "/storage/files/stalls.bin")
			.responseSingle((response, body) -> body.asByteArray())
			.block(Duration.ofSeconds(20))).isNotNull();
		await(this.readCancelled::get, "the stalled read to be cancelled");
	}

	/** The status line and headers of the answer (the server may close the connection after it). */
	private static String readAnswer(Socket socket) throws Exception {
		socket.setSoTimeout(20_000);
		InputStream in = socket.getInputStream();
		StringBuilder answer = new StringBuilder();
		int c;
		while ((c = in.read()) >= 0) {
			answer.append((char) c);
			if (answer.indexOf("\r\n\r\n") >= 0) {
				break;
			}
		}
		return answer.toString();
	}

}
