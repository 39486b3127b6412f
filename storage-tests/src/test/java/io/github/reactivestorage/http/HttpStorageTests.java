package io.github.reactivestorage.http;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.InvalidRangeException;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StoragePermissionException;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.conformance.LeakTrackingDataBufferFactory;
import io.github.reactivestorage.memory.MemoryStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HttpStorage} against real local servers misbehaving in the ways web servers do: dropped
 * connections, redirects, authentication, slow answers, ranges ignored.
 */
class HttpStorageTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static DisposableServer server;

	private static StorageHttpServer files;

	private static final AtomicReference<String> lastAuthorization = new AtomicReference<>();

	private final LeakTrackingDataBufferFactory bufferFactory = new LeakTrackingDataBufferFactory();

	private HttpStorage storage;

	@BeforeAll
	static void startServers() {
		server = HttpServer.create().host("127.0.0.1").port(0).handle(HttpStorageTests::handle).bindNow();
		files = new StorageHttpServer();
	}

	@AfterAll
	static void stopServers() {
		server.disposeNow();
		files.close();
	}

	@AfterEach
	void checkLeaksAndClose() {
		this.bufferFactory.checkForLeaks(Duration.ofSeconds(5));
		if (this.storage != null) {
			this.storage.close();
		}
	}

	private static Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		String path = URI.create(request.uri()).getPath();
		if (path.startsWith("/drop/")) {
			// headers promise 1 MiB, 64 KiB arrive, then the server fails and closes the connection
			return response.header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(1024 * 1024))
				.send(Flux.just(Unpooled.wrappedBuffer(new byte[64 * 1024]))
					.concatWith(Mono.error(new IllegalStateException("dropping the connection"))))
				.then();
		}
		if (path.startsWith("/redirect/")) {
			String[] parts = path.split("/");
			int remaining = Integer.parseInt(parts[2]);
			if (remaining == 0) {
				return response.sendString(Mono.just("arrived")).then();
			}
			String next = "/redirect/" + (remaining - 1) + "/" + parts[3];
			return response.status(HttpResponseStatus.FOUND).header(HttpHeaderNames.LOCATION, next).send();
		}
		if (path.startsWith("/auth/")) {
			String authorization = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
			lastAuthorization.set(authorization);
			if (!"Bearer s3cret".equals(authorization)) {
				return response.status(HttpResponseStatus.UNAUTHORIZED).send();
			}
			return response.sendString(Mono.just("secret content")).then();
		}
		if (path.startsWith("/forbidden/")) {
			return response.status(HttpResponseStatus.FORBIDDEN).send();
		}
		if (path.startsWith("/broken/")) {
			return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send();
		}
		if (path.startsWith("/slow/")) {
			return Mono.delay(Duration.ofSeconds(10)).then(response.sendString(Mono.just("late")).then());
		}
		return response.status(HttpResponseStatus.NOT_FOUND).send();
	}

	private HttpStorage storage(String path) {
		return storage(HttpStorageSettings.of(URI.create("http://127.0.0.1:" + server.port() + path)));
	}

	private HttpStorage storage(HttpStorageSettings settings) {
		this.storage = new HttpStorage("web", this.bufferFactory, settings);
		return this.storage;
	}

	@Test
	void connectionDroppedMidBodyIsAConnectionErrorAndNothingHangs() {
		HttpStorage storage = storage("/drop/");
		StepVerifier.create(storage.get("big.bin").doOnNext(DataBufferUtils::release))
			.thenConsumeWhile((buffer) -> true)
			.expectError(StorageConnectionException.class)
			.verify(TIMEOUT);
	}

	@Test
	void redirectsAreFollowedWithinTheLimit() {
		HttpStorage storage = storage("/redirect/");
		assertThat(text(storage.get("3/file.txt"))).isEqualTo("arrived");
	}

	@Test
	void tooManyRedirectsAreAConnectionError() {
		HttpStorage storage = storage(HttpStorageSettings.of(URI.create("http://127.0.0.1:" + server.port() + "/redirect/"))
			.withMaxRedirects(2));
		StepVerifier.create(storage.get("3/file.txt")).expectError(StorageConnectionException.class).verify(TIMEOUT);
	}

	@Test
	void configuredHeadersAreSent() {
		HttpStorage storage = storage(HttpStorageSettings.of(URI.create("http://127.0.0.1:" + server.port() + "/auth/"))
			.withHeaders(Map.of("Authorization", "Bearer s3cret")));
		assertThat(text(storage.get("doc.txt"))).isEqualTo("secret content");
		assertThat(lastAuthorization.get()).isEqualTo("Bearer s3cret");
		assertThat(storage.settings().toString()).doesNotContain("s3cret");
	}

	@Test
	void unauthorizedAndForbiddenArePermissionErrors() {
		StepVerifier.create(storage("/auth/").get("doc.txt")).expectError(StoragePermissionException.class).verify(TIMEOUT);
		this.storage.close();
		StepVerifier.create(storage("/forbidden/").info("doc.txt"))
			.expectError(StoragePermissionException.class)
			.verify(TIMEOUT);
	}

	@Test
	void serverErrorsAndRefusedConnectionsAreConnectionErrors() {
		StepVerifier.create(storage("/broken/").get("doc.txt")).expectError(StorageConnectionException.class).verify(TIMEOUT);
		StepVerifier.create(this.storage.exists("doc.txt")).expectError(StorageConnectionException.class).verify(TIMEOUT);
		this.storage.close();
		DisposableServer closed = HttpServer.create().host("127.0.0.1").port(0).bindNow();
		int port = closed.port();
		closed.disposeNow();
		storage(HttpStorageSettings.of(URI.create("http://127.0.0.1:" + port + "/")));
		StepVerifier.create(this.storage.get("doc.txt")).expectError(StorageConnectionException.class).verify(TIMEOUT);
	}

	@Test
	void slowResponsesTimeOut() {
		HttpStorage storage = storage(HttpStorageSettings.of(URI.create("http://127.0.0.1:" + server.port() + "/slow/"))
			.withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300)));
		StepVerifier.create(storage.get("doc.txt")).expectError(StorageConnectionException.class).verify(TIMEOUT);
	}

	@Test
	void missingObjectsAreNotFound() {
		HttpStorage storage = storage("/nothing/");
		StepVerifier.create(storage.get("doc.txt")).expectError(ObjectNotFoundException.class).verify(TIMEOUT);
		StepVerifier.create(storage.exists("doc.txt")).expectNext(false).expectComplete().verify(TIMEOUT);
	}

	@Test
	void rangesAreSlicedWhenTheServerIgnoresThem() {
		MemoryStorage origin = new MemoryStorage("origin");
		byte[] content = new byte[300_000];
		new Random(7).nextBytes(content);
		StepVerifier.create(origin.put("blob.bin", content)).expectNextCount(1).expectComplete().verify(TIMEOUT);
		files.serve("norange", origin, false);
		HttpStorage storage = storage(HttpStorageSettings.of(files.baseUrl("norange")));
		assertThat(bytes(storage.get("blob.bin", ByteRange.of(100_000, 200_004))))
			.isEqualTo(Arrays.copyOfRange(content, 100_000, 200_005));
		assertThat(bytes(storage.get("blob.bin", ByteRange.last(10))))
			.isEqualTo(Arrays.copyOfRange(content, 299_990, 300_000));
		assertThat(bytes(storage.get("blob.bin", ByteRange.from(299_999)))).containsExactly(content[299_999]);
		StepVerifier.create(storage.get("blob.bin", ByteRange.from(300_000)))
			.expectError(InvalidRangeException.class)
			.verify(TIMEOUT);
	}

	@Test
	void cancellingAGetReleasesEverything() {
		MemoryStorage origin = new MemoryStorage("origin");
		StepVerifier.create(origin.put("blob.bin", new byte[2_000_000])).expectNextCount(1).expectComplete().verify(TIMEOUT);
		files.serve("cancel", origin, true);
		HttpStorage storage = storage(HttpStorageSettings.of(files.baseUrl("cancel")));
		StepVerifier.create(storage.get("blob.bin").take(1)).consumeNextWith(DataBufferUtils::release)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void writesArePermissionErrorsNamingTheMountAndListIsUnsupported() {
		HttpStorage storage = storage("/files/");
		StepVerifier.create(storage.put("a.txt", "x".getBytes(), PutOptions.defaults()))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(StoragePermissionException.class)
				.hasMessageContaining("web"))
			.verify(TIMEOUT);
		StepVerifier.create(storage.delete("a.txt")).expectError(StoragePermissionException.class).verify(TIMEOUT);
		StepVerifier.create(storage.copy("a.txt", "b.txt")).expectError(StoragePermissionException.class).verify(TIMEOUT);
		StepVerifier.create(storage.list("")).expectError(UnsupportedStorageOperationException.class).verify(TIMEOUT);
	}

	@Test
	void urlIsTheBaseUrlWithTheKeyPercentEncodedPerSegment() {
		HttpStorage storage = storage("/files");
		StepVerifier.create(storage.url("dir one/ü+x#1.txt", UrlOptions.get()))
			.expectNext(URI.create("http://127.0.0.1:" + server.port() + "/files/dir%20one/%C3%BC%2Bx%231.txt"))
			.expectComplete()
			.verify(TIMEOUT);
	}

	private static byte[] bytes(Flux<DataBuffer> content) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		StepVerifier.create(content).thenConsumeWhile((buffer) -> {
			byte[] chunk = new byte[buffer.readableByteCount()];
			buffer.read(chunk);
			DataBufferUtils.release(buffer);
			out.write(chunk, 0, chunk.length);
			return true;
		}).expectComplete().verify(TIMEOUT);
		return out.toByteArray();
	}

	private static String text(Flux<DataBuffer> content) {
		return new String(bytes(content));
	}

}
