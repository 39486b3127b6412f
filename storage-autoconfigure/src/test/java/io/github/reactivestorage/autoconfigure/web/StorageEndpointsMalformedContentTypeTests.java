package io.github.reactivestorage.autoconfigure.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunctions;

import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.memory.MemoryStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A raw upload whose {@code Content-Type} header cannot be parsed is the client's mistake: {@code 400}
 * with a problem detail, nothing stored (not a {@code 500} logged as a server failure).
 */
class StorageEndpointsMalformedContentTypeTests {

	private final MemoryStorage storage = new MemoryStorage("files");

	private DisposableServer server;

	@BeforeEach
	void start() {
		StorageWebProperties properties = new StorageWebProperties();
		properties.setMounts(List.of("files"));
		StorageHandler handler = new StorageHandler(new StorageMounts(Map.of("files", this.storage), "files"),
				properties);
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle(new ReactorHttpHandlerAdapter(
					RouterFunctions.toHttpHandler(StorageRoutes.routes("/storage", handler))))
			.bindNow();
	}

	@AfterEach
	void stop() {
		this.server.disposeNow();
	}

	@Test
	void aMalformedContentTypeIs400AndStoresNothing() throws Exception {
		for (String contentType : List.of("text/", "/plain", "a b/c", "text/plain;charset=\"")) {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.server.port() + "/storage/files/a.txt"))
					.header("Content-Type", contentType)
					.PUT(HttpRequest.BodyPublishers.ofString("x"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(contentType).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		}
		assertThat(this.storage.exists("a.txt").block()).isFalse();
	}

}
