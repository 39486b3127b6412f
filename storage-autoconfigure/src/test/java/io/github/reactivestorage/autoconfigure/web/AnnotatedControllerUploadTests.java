package io.github.reactivestorage.autoconfigure.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

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

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.filesystem.FilesystemStorage;
import io.github.reactivestorage.memory.MemoryStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's annotated controller that streams {@code request.getBody()} into a mount, served by a
 * real Reactor Netty server. WebFlux subscribes to the {@code Mono} such a controller returns with
 * a {@code doOnDiscard(DataBuffer.class, release)} hook in the context, and the server's request
 * chunks are slices sharing one reference count: a chunk the mount released and then let an
 * operator discard was released twice, which freed chunks still queued in the server
 * ({@code IllegalReferenceCountException}, 500).
 */
class AnnotatedControllerUploadTests {

	private static final int SIZE = 2 * 1024 * 1024 + 5;

	private static final int CHUNK = 64 * 1024;

	@TempDir
	Path directory;

	private AnnotationConfigApplicationContext context;

	private DisposableServer server;

	private FilesystemStorage files;

	private MemoryStorage scratch;

	@BeforeEach
	void startServer() {
		this.files = new FilesystemStorage("files", this.directory.resolve("files"));
		this.scratch = new MemoryStorage("scratch");
		this.context = new AnnotationConfigApplicationContext();
		this.context.registerBean("mounts", Mounts.class, () -> new Mounts(Map.of("files", this.files, "scratch", this.scratch)));
		this.context.register(WebConfiguration.class);
		this.context.refresh();
		ReactorHttpHandlerAdapter adapter = new ReactorHttpHandlerAdapter(
				WebHttpHandlerBuilder.applicationContext(this.context).build());
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle(adapter).bindNow();
	}

	@AfterEach
	void stopServer() {
		this.server.disposeNow();
		this.context.close();
	}

	@Test
	void requestBodyStreamsIntoAFilesystemMount() throws Exception {
		byte[] content = content(1);
		assertThat(upload("files", "upload/blob.bin", content)).isEqualTo("200 " + SIZE);
		assertThat(Files.readAllBytes(this.directory.resolve("files/upload/blob.bin"))).isEqualTo(content);
	}

	@Test
	void requestBodyStreamsIntoAMemoryMount() {
		byte[] content = content(2);
		assertThat(upload("scratch", "upload/blob.bin", content)).isEqualTo("200 " + SIZE);
		assertThat(this.scratch.getBytes("upload/blob.bin").block(Duration.ofSeconds(10))).isEqualTo(content);
	}

	@Test
	void severalUploadsInARowOnOneServer() throws Exception {
		for (int i = 0; i < 3; i++) {
			byte[] content = content(10 + i);
			assertThat(upload("files", "row/" + i + ".bin", content)).isEqualTo("200 " + SIZE);
			assertThat(Files.readAllBytes(this.directory.resolve("files/row/" + i + ".bin"))).isEqualTo(content);
		}
	}

	private String upload(String mount, String key, byte[] content) {
		Flux<ByteBuf> body = Flux.range(0, (content.length + CHUNK - 1) / CHUNK)
			.map(i -> Unpooled.wrappedBuffer(content, i * CHUNK, Math.min(CHUNK, content.length - i * CHUNK)));
		return HttpClient.create()
			.baseUrl("http://127.0.0.1:" + this.server.port())
			.headers(headers -> headers.set("Content-Type", "application/octet-stream"))
			.put()
			.uri("/" + mount + "/" + key)
			.send(body)
			.responseSingle((response, bytes) -> bytes.asString()
				.defaultIfEmpty("")
				.map(text -> response.status().code() + " " + text))
			.block(Duration.ofMinutes(1));
	}

	private static byte[] content(int seed) {
		byte[] content = new byte[SIZE];
		new Random(seed).nextBytes(content);
		return content;
	}

	record Mounts(Map<String, ReactiveStorage> byName) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebFlux
	static class WebConfiguration {

		@Bean
		UploadController uploadController(Mounts mounts) {
			return new UploadController(mounts);
		}

	}

	/** What a user writes: the request body handed to the mount as it arrives. */
	@RestController
	static class UploadController {

		private final Mounts mounts;

		UploadController(Mounts mounts) {
			this.mounts = mounts;
		}

		@PutMapping("/{mount}/{*key}")
		Mono<String> upload(@PathVariable String mount, @PathVariable String key, ServerWebExchange exchange) {
			ServerHttpRequest request = exchange.getRequest();
			PutOptions options = PutOptions.builder().contentLength(request.getHeaders().getContentLength()).build();
			return this.mounts.byName()
				.get(mount)
				.put(key.substring(1), request.getBody(), options)
				.map(stored -> Long.toString(stored.size()));
		}

	}

}
