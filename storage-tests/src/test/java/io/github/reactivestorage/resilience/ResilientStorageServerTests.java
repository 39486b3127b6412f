package io.github.reactivestorage.resilience;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.http.HttpStorage;
import io.github.reactivestorage.http.HttpStorageSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Timeouts and retries against a real HTTP server that fails its first requests with 503.
 */
class ResilientStorageServerTests {

	private final AtomicInteger requests = new AtomicInteger();

	private volatile int failures;

	private DisposableServer server;

	private HttpStorage http;

	@BeforeEach
	void start() {
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
			if (this.requests.incrementAndGet() <= this.failures) {
				return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send();
			}
			byte[] body = "served".getBytes(StandardCharsets.UTF_8);
			return response.header("Content-Type", "text/plain")
				.header("Content-Length", String.valueOf(body.length))
				.header("ETag", "\"v1\"")
				.sendByteArray(request.method().name().equals("HEAD") ? Mono.empty() : Mono.just(body));
		}).bindNow();
		this.http = new HttpStorage("remote", DefaultDataBufferFactory.sharedInstance,
				HttpStorageSettings.of(URI.create("http://127.0.0.1:" + this.server.port() + "/files/")));
	}

	@AfterEach
	void stop() {
		this.http.close();
		this.server.disposeNow();
	}

	private ReactiveStorage resilient(int maxAttempts) {
		return new ResilientStorage(this.http,
				ResilienceSettings.NONE.withMaxAttempts(maxAttempts).withBackoff(Duration.ofMillis(10), Duration.ofMillis(50)));
	}

	@Test
	void aTransientFailureIsRetried() {
		this.failures = 1;
		StepVerifier.create(resilient(3).info("a.txt"))
			.assertNext(object -> assertThat(object.etag()).isEqualTo("v1"))
			.verifyComplete();
		assertThat(this.requests).hasValue(2);
	}

	@Test
	void aReadIsRetriedBeforeItsFirstByte() {
		this.failures = 2;
		StepVerifier.create(resilient(3).getBytes("a.txt"))
			.assertNext(bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("served"))
			.verifyComplete();
		assertThat(this.requests).hasValue(3);
	}

	@Test
	void retriesStopAtTheLimit() {
		this.failures = 10;
		StepVerifier.create(resilient(2).exists("a.txt")).expectError(StorageConnectionException.class).verify();
		assertThat(this.requests).hasValue(2);
	}

	@Test
	void withoutRetriesTheFailureSurfaces() {
		this.failures = 1;
		StepVerifier.create(this.http.info("a.txt")).expectError(StorageConnectionException.class).verify();
		assertThat(this.requests).hasValue(1);
	}

}
