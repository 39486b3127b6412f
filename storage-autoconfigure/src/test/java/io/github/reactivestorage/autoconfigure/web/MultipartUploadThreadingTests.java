package io.github.reactivestorage.autoconfigure.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.reactive.function.server.RouterFunctions;

import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.filesystem.FilesystemStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A multipart upload into a filesystem mount, whose writes complete (and ask for more) on the file
 * channel's threads, over a real Reactor Netty server: every request for more of the body must reach
 * Spring's multipart reader on the connection's event loop, the thread that emits. A request from
 * another thread can race inside the reader (its concatMap hands each part event out through a
 * scalar subscription that two threads may both trigger), which emitted an event twice or lost one:
 * buffers released twice (a 500 with IllegalReferenceCountException) or an object stored short.
 */
class MultipartUploadThreadingTests {

	private static final int SIZE = 32 * 1024 * 1024;

	@TempDir
	Path directory;

	@Test
	void multipartBodyIsRequestedOnlyOnTheEventLoop() {
		FilesystemStorage storage = new FilesystemStorage("files", this.directory.resolve("files"));
		StorageWebProperties properties = new StorageWebProperties();
		properties.setMounts(java.util.List.of("files"));
		StorageHandler handler = new StorageHandler(new StorageMounts(Map.of("files", storage), null), properties);
		HttpHandler routes = RouterFunctions.toHttpHandler(StorageRoutes.routes("/storage", handler));
		Set<String> requestingThreads = ConcurrentHashMap.newKeySet();
		HttpHandler recording = (request, response) -> routes.handle(new ServerHttpRequestDecorator(request) {
			@Override
			public Flux<DataBuffer> getBody() {
				return super.getBody().doOnRequest(n -> requestingThreads.add(Thread.currentThread().getName()));
			}
		}, response);
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle(new ReactorHttpHandlerAdapter(recording))
			.bindNow();
		try {
			String boundary = "threading-boundary-5d1c";
			byte[] content = new byte[SIZE];
			for (int i = 0; i < SIZE; i++) {
				content[i] = (byte) (i * 31 + 7);
			}
			Flux<ByteBuf> body = Flux.concat(
					Mono.fromSupplier(() -> ascii("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
							+ "filename=\"data.bin\"\r\n\r\n")),
					Flux.range(0, SIZE / 8192).map(i -> Unpooled.wrappedBuffer(content, i * 8192, 8192)),
					Mono.fromSupplier(() -> ascii("\r\n--" + boundary + "--\r\n")));
			Integer status = HttpClient.create()
				.baseUrl("http://127.0.0.1:" + server.port())
				.headers(h -> h.set("Content-Type", "multipart/form-data; boundary=" + boundary))
				.post()
				.uri("/storage/files?prefix=up")
				.send(body)
				.responseSingle((response, answer) -> answer.then(Mono.just(response.status().code())))
				.block(Duration.ofMinutes(1));
			assertThat(status).isEqualTo(201);
			assertThat(storage.info("up/data.bin").block().size()).isEqualTo(SIZE);
			assertThat(requestingThreads).isNotEmpty().allMatch(name -> name.startsWith("reactor-http-"),
					"an event loop thread");
		}
		finally {
			server.disposeNow();
		}
	}

	private static ByteBuf ascii(String text) {
		return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII));
	}

}
