package io.github.reactivestorage.autoconfigure.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunctions;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.observation.ByteCounter;
import io.github.reactivestorage.observation.ObservedStorage;
import io.github.reactivestorage.support.ForwardingReactiveStorage;
import io.micrometer.observation.ObservationRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On a real Reactor Netty server, a read that offers its open file is sent from that file (the
 * content is never subscribed; {@code sent} runs once), whole and ranged, through a byte-counting
 * decorator; and the bytes are those of the opened version even when the path was overwritten by
 * rename after the lookup.
 */
class ZeroCopyDownloadTests {

	@TempDir
	Path directory;

	private final FileStorage files = new FileStorage();

	private final AtomicInteger readBytes = new AtomicInteger();

	private DisposableServer server;

	private final HttpClient client = HttpClient.newHttpClient();

	@BeforeEach
	void start() {
		start(new StorageWebProperties());
	}

	private void start(StorageWebProperties properties) {
		ByteCounter counter = new ByteCounter() {

			@Override
			public void read(long bytes) {
				ZeroCopyDownloadTests.this.readBytes.addAndGet((int) bytes);
			}

			@Override
			public void written(long bytes) {
			}

		};
		ObservedStorage observed = new ObservedStorage(this.files, ObservationRegistry.NOOP, "test", counter);
		// only named mounts are served
		properties.setMounts(java.util.List.of("files"));
		StorageHandler handler = new StorageHandler(new StorageMounts(Map.of("files", observed), "files"),
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

	private HttpResponse<String> get(String key, @Nullable String range) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(
				URI.create("http://127.0.0.1:" + this.server.port() + "/storage/files/" + key));
		if (range != null) {
			request.header("Range", range);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void wholeObjectIsSentFromTheOpenFile() throws Exception {
		this.files.write("a.txt", "0123456789");
		HttpResponse<String> response = get("a.txt", null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("0123456789");
		assertThat(response.headers().firstValue("Content-Length")).hasValue("10");
		// sent runs once the write completed, which may be after the client has the last byte
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.files.sent).hasValue(1));
		assertThat(this.files.subscribed).hasValue(0);
		// sent runs once the write completed, which may be after the client has the last byte
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.readBytes).hasValue(10));
	}

	@Test
	void singleRangeIsSentFromTheOpenFile() throws Exception {
		this.files.write("a.txt", "0123456789");
		HttpResponse<String> response = get("a.txt", "bytes=3-6");
		assertThat(response.statusCode()).isEqualTo(206);
		assertThat(response.body()).isEqualTo("3456");
		assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes 3-6/10");
		// sent runs once the write completed, which may be after the client has the last byte
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.files.sent).hasValue(1));
		assertThat(this.files.subscribed).hasValue(0);
		// sent runs once the write completed, which may be after the client has the last byte
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.readBytes).hasValue(4));
	}

	@Test
	void theOpenedVersionIsSentAfterAnOverwriteByRename() throws Exception {
		this.files.write("a.txt", "old version");
		this.files.overwriteAfterOpen = "the new version, longer";
		HttpResponse<String> response = get("a.txt", null);
		assertThat(response.body()).isEqualTo("old version");
		assertThat(response.headers().firstValue("Content-Length")).hasValue("11");
		assertThat(Files.readString(this.files.path("a.txt"))).isEqualTo("the new version, longer");
	}

	@Test
	void manyDownloadsCloseEveryFile() throws Exception {
		this.files.write("a.txt", "0123456789");
		for (int i = 0; i < 50; i++) {
			assertThat(get("a.txt", "bytes=-2").body()).isEqualTo("89");
		}
		// sent runs once the write completed, which may be after the client has the last byte
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.files.openChannels).hasValue(0));
	}

	/**
	 * A client that asks for a large file and then takes nothing: the file send stalls once the socket
	 * buffers are full, and after the idle timeout the connection is closed and the file discarded,
	 * as for a download sent through buffers.
	 */
	@Test
	void aStalledFileSendIsAbortedAfterTheIdleTimeout() throws Exception {
		StorageWebProperties properties = new StorageWebProperties();
		properties.setIdleTimeout(Duration.ofMillis(500));
		this.server.disposeNow();
		start(properties);
		int size = 64 * 1024 * 1024;
		byte[] content = new byte[size];
		Files.write(this.files.path("large.bin"), content);
		this.files.getDelegate().put("large.bin", content, PutOptions.defaults()).block();
		try (java.net.Socket socket = new java.net.Socket()) {
			socket.setReceiveBufferSize(4096);
			socket.connect(new java.net.InetSocketAddress("127.0.0.1", this.server.port()));
			socket.getOutputStream()
				.write("GET /storage/files/large.bin HTTP/1.1\r\nHost: localhost\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			// the stall: many idle timeouts long
			Thread.sleep(4000);
			socket.setSoTimeout(20_000);
			long received = 0;
			byte[] chunk = new byte[65536];
			try {
				int n;
				while ((n = socket.getInputStream().read(chunk)) >= 0) {
					received += n;
					if (received > size) {
						break;
					}
				}
			}
			catch (java.net.SocketException ex) {
				// a reset: the server closed a connection with unread data
			}
			assertThat(received).as("bytes received after the stall").isLessThan(size);
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.files.openChannels).hasValue(0));
		assertThat(this.files.sent).hasValue(0);
	}

	/** Objects as files; a read offers its open channel like a filesystem mount would. */
	final class FileStorage extends ForwardingReactiveStorage {

		final AtomicInteger sent = new AtomicInteger();

		final AtomicInteger subscribed = new AtomicInteger();

		final AtomicInteger openChannels = new AtomicInteger();

		volatile @Nullable String overwriteAfterOpen;

		FileStorage() {
			super(new MemoryStorage("files"));
		}

		Path path(String key) {
			return ZeroCopyDownloadTests.this.directory.resolve(key);
		}

		void write(String key, String content) throws IOException {
			Files.writeString(path(key), content);
			getDelegate().put(key, content.getBytes(StandardCharsets.UTF_8), PutOptions.defaults()).block();
		}

		@Override
		public Mono<StoredContent> read(String key, @Nullable ByteRange range) {
			return Mono.fromCallable(() -> {
				FileChannel channel = FileChannel.open(path(key), StandardOpenOption.READ);
				this.openChannels.incrementAndGet();
				String overwrite = this.overwriteAfterOpen;
				if (overwrite != null) {
					Path next = path(key + ".next");
					Files.writeString(next, overwrite);
					Files.move(next, path(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
				}
				StoredObject object = StoredObject.builder(key).size(channel.size()).etag("e" + channel.size()).build();
				Flux<DataBuffer> content = DataBufferUtils
					.readByteChannel(() -> channel, DefaultDataBufferFactory.sharedInstance, 8192)
					.doOnSubscribe(s -> this.subscribed.incrementAndGet());
				java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
				Mono<Void> close = Mono.fromRunnable(() -> {
					if (closed.compareAndSet(false, true)) {
						this.openChannels.decrementAndGet();
					}
					try {
						channel.close();
					}
					catch (IOException ex) {
						throw new IllegalStateException(ex);
					}
				});
				StoredContent read;
				if (range == null) {
					read = StoredContent.whole(object, content, close);
				}
				else {
					long[] span = range.resolve(object.size());
					read = StoredContent.range(object, span[0], span[1], content, close);
				}
				return read.withFile(channel, close).withSent(close.then(Mono.fromRunnable(this.sent::incrementAndGet)));
			});
		}

	}

}
