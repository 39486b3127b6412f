package io.github.reactivestorage.http;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.conformance.LeakTrackingDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HttpStorage} against real Reactor Netty servers that try to take it elsewhere or hand it
 * other bytes: redirects to another origin (another port on 127.0.0.1, and 127.0.0.2, also behind
 * Location forms that look local: scheme-relative, userinfo, upper-case scheme, https on the same
 * port, file:) under each {@code follow-redirects} policy, configured headers never reaching
 * another origin, and
 * {@code 206} answers that do not match the range asked for.
 */
class HttpStorageHostileServerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final Map<String, String> SECRET = Map.of("Authorization", "Bearer s3cret", "X-Api-Token",
			"t0ken");

	private static DisposableServer origin;

	private static DisposableServer otherPort;

	private static DisposableServer otherHost;

	/** What the other origins received. */
	private static final Queue<HttpHeaders> elsewhere = new ConcurrentLinkedQueue<>();

	private final LeakTrackingDataBufferFactory bufferFactory = new LeakTrackingDataBufferFactory();

	private HttpStorage storage;

	@BeforeAll
	static void startServers() {
		origin = HttpServer.create().host("127.0.0.1").port(0).handle(HttpStorageHostileServerTests::origin).bindNow();
		otherPort = HttpServer.create().host("127.0.0.1").port(0).handle(HttpStorageHostileServerTests::elsewhere)
			.bindNow();
		otherHost = HttpServer.create().host("127.0.0.2").port(0).handle(HttpStorageHostileServerTests::elsewhere)
			.bindNow();
	}

	@AfterAll
	static void stopServers() {
		origin.disposeNow();
		otherPort.disposeNow();
		otherHost.disposeNow();
	}

	@BeforeEach
	void clear() {
		elsewhere.clear();
	}

	@AfterEach
	void checkLeaksAndClose() {
		this.bufferFactory.checkForLeaks(Duration.ofSeconds(5));
		if (this.storage != null) {
			this.storage.close();
		}
	}

	private static Publisher<Void> origin(HttpServerRequest request, HttpServerResponse response) {
		String path = URI.create(request.uri()).getPath();
		String[] parts = path.split("/");
		if (path.startsWith("/to/")) {
			// /to/{port|host}/{key}: 302 to the other origin
			String target = parts[2].equals("host") ? "http://127.0.0.2:" + otherHost.port()
					: "http://127.0.0.1:" + otherPort.port();
			return response.status(HttpResponseStatus.FOUND)
				.header(HttpHeaderNames.LOCATION, target + "/landed/" + parts[3])
				.send();
		}
		if (path.startsWith("/tricky/")) {
			// /tricky/{n}/{key}: Location forms that look local but lead elsewhere
			String other = "127.0.0.2:" + otherHost.port();
			String location = switch (Integer.parseInt(parts[2])) {
				case 0 -> "//" + other + "/landed/" + parts[3];
				case 1 -> "http://127.0.0.1:" + origin.port() + "@" + other + "/landed/" + parts[3];
				case 2 -> "HTTP://" + other + "/landed/" + parts[3];
				case 3 -> "http://127.0.0.1:" + otherPort.port() + "/landed/" + parts[3];
				case 4 -> "https://127.0.0.1:" + origin.port() + "/here/" + parts[3];
				default -> "file:///etc/passwd";
			};
			return response.status(HttpResponseStatus.TEMPORARY_REDIRECT).header(HttpHeaderNames.LOCATION, location).send();
		}
		if (path.startsWith("/local/")) {
			return response.status(HttpResponseStatus.MOVED_PERMANENTLY)
				.header(HttpHeaderNames.LOCATION, "/here/" + parts[2])
				.send();
		}
		if (path.startsWith("/here/")) {
			boolean authorized = "Bearer s3cret".equals(request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION))
					&& "t0ken".equals(request.requestHeaders().get("X-Api-Token"));
			return authorized ? response.sendString(Mono.just("home")).then()
					: response.status(HttpResponseStatus.UNAUTHORIZED).send();
		}
		if (path.startsWith("/partial/")) {
			return partial(parts[2], response);
		}
		return response.status(HttpResponseStatus.NOT_FOUND).send();
	}

	/** 206 answers to {@code Range: bytes=10-19} of a 100-byte object, wrong in one way each. */
	private static Publisher<Void> partial(String mode, HttpServerResponse response) {
		byte[] ten = "0123456789".getBytes();
		response.status(HttpResponseStatus.PARTIAL_CONTENT);
		return switch (mode) {
			case "right" -> response.header(HttpHeaderNames.CONTENT_RANGE, "bytes 10-19/100")
				.header(HttpHeaderNames.CONTENT_LENGTH, "10")
				.send(Mono.just(Unpooled.wrappedBuffer(ten)))
				.then();
			case "shifted" -> response.header(HttpHeaderNames.CONTENT_RANGE, "bytes 0-9/100")
				.header(HttpHeaderNames.CONTENT_LENGTH, "10")
				.send(Mono.just(Unpooled.wrappedBuffer(ten)))
				.then();
			case "none" -> response.header(HttpHeaderNames.CONTENT_LENGTH, "10")
				.send(Mono.just(Unpooled.wrappedBuffer(ten)))
				.then();
			case "garbled" -> response.header(HttpHeaderNames.CONTENT_RANGE, "bytes ten-19/100")
				.header(HttpHeaderNames.CONTENT_LENGTH, "10")
				.send(Mono.just(Unpooled.wrappedBuffer(ten)))
				.then();
			case "wider" -> response.header(HttpHeaderNames.CONTENT_RANGE, "bytes 10-29/100")
				.header(HttpHeaderNames.CONTENT_LENGTH, "20")
				.send(Mono.just(Unpooled.wrappedBuffer(new byte[20])))
				.then();
			case "longer" -> response.header(HttpHeaderNames.CONTENT_RANGE, "bytes 10-19/100")
				.header(HttpHeaderNames.TRANSFER_ENCODING, "chunked")
				.send(Flux.just(Unpooled.wrappedBuffer(ten), Unpooled.wrappedBuffer(ten)))
				.then();
			default -> response.header(HttpHeaderNames.CONTENT_RANGE, "bytes 10-19/100")
				.header(HttpHeaderNames.TRANSFER_ENCODING, "chunked")
				.send(Mono.just(Unpooled.wrappedBuffer("01234".getBytes())))
				.then();
		};
	}

	private static Publisher<Void> elsewhere(HttpServerRequest request, HttpServerResponse response) {
		elsewhere.add(request.requestHeaders().copy());
		return response.sendString(Mono.just("elsewhere")).then();
	}

	private HttpStorage storage(String path, RedirectPolicy redirects) {
		this.storage = new HttpStorage("web", this.bufferFactory,
				HttpStorageSettings.of(URI.create("http://127.0.0.1:" + origin.port() + path))
					.withHeaders(SECRET)
					.withRedirects(redirects));
		return this.storage;
	}

	@Test
	void sameOriginRedirectsAreFollowedByDefaultWithTheHeaders() {
		this.storage = new HttpStorage("web", this.bufferFactory,
				HttpStorageSettings.of(URI.create("http://127.0.0.1:" + origin.port() + "/local/")).withHeaders(SECRET));
		assertThat(this.storage.settings().redirects()).isEqualTo(RedirectPolicy.SAME_ORIGIN);
		assertThat(text(this.storage.get("a.txt"))).isEqualTo("home");
	}

	@ParameterizedTest
	@ValueSource(strings = { "port", "host" })
	void redirectsToAnotherOriginAreRefusedByDefault(String other) {
		this.storage = new HttpStorage("web", this.bufferFactory,
				HttpStorageSettings.of(URI.create("http://127.0.0.1:" + origin.port() + "/to/" + other + "/"))
					.withHeaders(SECRET));
		StepVerifier.create(this.storage.get("a.txt"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isExactlyInstanceOf(StorageException.class)
				.hasMessageContaining("follow-redirects: same-origin")
				.hasMessageNotContaining("127.0.0.2"))
			.verify(TIMEOUT);
		StepVerifier.create(this.storage.info("a.txt")).expectError(StorageException.class).verify(TIMEOUT);
		assertThat(elsewhere).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "port", "host" })
	void anyFollowsToAnotherOriginWithoutTheConfiguredHeaders(String other) {
		HttpStorage storage = storage("/to/" + other + "/", RedirectPolicy.ANY);
		assertThat(text(storage.get("a.txt"))).isEqualTo("elsewhere");
		StepVerifier.create(storage.info("a.txt")).expectNextCount(1).expectComplete().verify(TIMEOUT);
		StepVerifier.create(storage.get("a.txt", ByteRange.of(0, 3)).doOnNext(DataBufferUtils::release))
			.thenConsumeWhile((buffer) -> true)
			.verifyComplete();
		assertThat(elsewhere).hasSize(3).allSatisfy((headers) -> {
			assertThat(headers.contains(HttpHeaderNames.AUTHORIZATION)).isFalse();
			assertThat(headers.contains("X-Api-Token")).isFalse();
		});
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 2, 3, 4, 5 })
	void locationsThatOnlyLookLocalAreRefused(int form) {
		HttpStorage storage = storage("/tricky/" + form + "/", RedirectPolicy.SAME_ORIGIN);
		StepVerifier.create(storage.get("a.txt"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isExactlyInstanceOf(StorageException.class)
				.hasMessageContaining("follow-redirects: same-origin"))
			.verify(TIMEOUT);
		assertThat(elsewhere).isEmpty();
	}

	@Test
	void anyStillRefusesSchemesOtherThanHttp() {
		HttpStorage storage = storage("/tricky/5/", RedirectPolicy.ANY);
		StepVerifier.create(storage.get("a.txt"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isExactlyInstanceOf(StorageException.class)
				.hasMessageContaining("follow-redirects: any"))
			.verify(TIMEOUT);
	}

	@Test
	void noneFollowsNoRedirectAtAll() {
		HttpStorage storage = storage("/local/", RedirectPolicy.NONE);
		StepVerifier.create(storage.get("a.txt"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isExactlyInstanceOf(StorageException.class)
				.hasMessageContaining("follow-redirects: none"))
			.verify(TIMEOUT);
	}

	@Test
	void policyNamesParseAsConfigured() {
		assertThat(RedirectPolicy.of("same-origin")).isEqualTo(RedirectPolicy.SAME_ORIGIN);
		assertThat(RedirectPolicy.of("ANY")).isEqualTo(RedirectPolicy.ANY);
		assertThat(RedirectPolicy.of(" none ")).isEqualTo(RedirectPolicy.NONE);
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> RedirectPolicy.of("all"));
	}

	@Test
	void aPartialAnswerOfTheRangeAskedForIsServed() {
		HttpStorage storage = storage("/partial/right/", RedirectPolicy.SAME_ORIGIN);
		assertThat(text(storage.get("a.bin", ByteRange.of(10, 19)))).isEqualTo("0123456789");
	}

	@ParameterizedTest
	@ValueSource(strings = { "shifted", "none", "garbled", "wider", "longer", "shorter" })
	void aPartialAnswerOfAnotherRangeIsAnErrorNeverWrongBytes(String mode) {
		HttpStorage storage = storage("/partial/" + mode + "/", RedirectPolicy.SAME_ORIGIN);
		int[] received = { 0 };
		StepVerifier.create(storage.get("a.bin", ByteRange.of(10, 19)).doOnNext((buffer) -> {
			received[0] += buffer.readableByteCount();
			DataBufferUtils.release(buffer);
		})).thenConsumeWhile((buffer) -> true).expectError(StorageException.class).verify(TIMEOUT);
		assertThat(received[0]).as("bytes handed out").isLessThanOrEqualTo(10);
		if (!mode.equals("longer") && !mode.equals("shorter")) {
			assertThat(received[0]).as("bytes of a wrong range handed out").isZero();
		}
	}

	@Test
	void aOneLookupReadOfTheRangeAskedForIsServed() {
		HttpStorage storage = storage("/partial/right/", RedirectPolicy.SAME_ORIGIN);
		StoredContent read = storage.read("a.bin", ByteRange.of(10, 19)).block(TIMEOUT);
		assertThat(read.start()).isEqualTo(10);
		assertThat(read.end()).isEqualTo(19);
		assertThat(read.object().size()).isEqualTo(100);
		assertThat(text(read.content())).isEqualTo("0123456789");
	}

	/** The one-lookup {@code read} checks a 206 answer as {@code get} does. */
	@ParameterizedTest
	@ValueSource(strings = { "shifted", "none", "garbled", "wider", "longer", "shorter" })
	void aOneLookupReadOfAnotherRangeIsAnErrorNeverWrongBytes(String mode) {
		HttpStorage storage = storage("/partial/" + mode + "/", RedirectPolicy.SAME_ORIGIN);
		int[] received = { 0 };
		StepVerifier.create(storage.read("a.bin", ByteRange.of(10, 19))
			.flatMapMany(StoredContent::content)
			.doOnNext((buffer) -> {
				received[0] += buffer.readableByteCount();
				DataBufferUtils.release(buffer);
			})).thenConsumeWhile((buffer) -> true).expectError(StorageException.class).verify(TIMEOUT);
		assertThat(received[0]).as("bytes handed out").isLessThanOrEqualTo(10);
		if (!mode.equals("longer") && !mode.equals("shorter")) {
			assertThat(received[0]).as("bytes of a wrong range handed out").isZero();
		}
	}

	private static String text(Flux<DataBuffer> content) {
		StringBuilder text = new StringBuilder();
		StepVerifier.create(content).thenConsumeWhile((buffer) -> {
			byte[] chunk = new byte[buffer.readableByteCount()];
			buffer.read(chunk);
			DataBufferUtils.release(buffer);
			text.append(new String(chunk));
			return true;
		}).expectComplete().verify(TIMEOUT);
		return text.toString();
	}

}
