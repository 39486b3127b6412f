package io.github.reactivestorage.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunctions;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.autoconfigure.web.StorageHandler;
import io.github.reactivestorage.autoconfigure.web.StorageRoutes;
import io.github.reactivestorage.autoconfigure.web.StorageWebProperties;
import io.github.reactivestorage.s3.S3ClientSettings;
import io.github.reactivestorage.s3.S3Storage;
import io.github.reactivestorage.s3.S3StorageOptions;

/**
 * Row 9 of docs/benchmarks.md: how many S3 requests one download through the endpoint makes, counted
 * by an SDK {@link ExecutionInterceptor} on every request the client transmits (retries included),
 * against an in-process S3Proxy. Prints one line per kind of download: requests per download by
 * operation.
 */
public final class S3RequestsPerDownload {

	private static final int DOWNLOADS = 20;

	private S3RequestsPerDownload() {
	}

	public static void main(String[] args) throws Exception {
		S3ProxyJunitCore proxy = new S3ProxyJunitCore.Builder().withBlobStoreProvider("transient-nio2")
			.withCredentials("access", "secret-for-benchmarks")
			.ignoreUnknownHeaders()
			.build();
		proxy.beforeEach();
		Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
		ExecutionInterceptor counter = new ExecutionInterceptor() {

			@Override
			public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
				String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
				requests.computeIfAbsent(operation, name -> new AtomicInteger()).incrementAndGet();
			}

		};
		S3ClientSettings settings = new S3ClientSettings("us-east-1", proxy.getUri(), true, proxy.getAccessKey(),
				proxy.getSecretKey(), null, null, false, Duration.ofSeconds(10), Duration.ofSeconds(30));
		try (S3AsyncClient client = settings.clientBuilder()
			.overrideConfiguration(config -> config.addExecutionInterceptor(counter))
			.build()) {
			client.createBucket(request -> request.bucket("bench")).join();
			S3Storage storage = new S3Storage("s3", client, null, "bench", S3StorageOptions.DEFAULTS,
					DefaultDataBufferFactory.sharedInstance, null);
			storage.put("object.bin", new byte[1024 * 1024], PutOptions.defaults()).toFuture().join();
			String etag = "\"" + storage.info("object.bin").toFuture().join().etag() + "\"";
			StorageWebProperties properties = new StorageWebProperties();
			// only named mounts are served
			properties.setMounts(java.util.List.of("s3"));
			StorageHandler handler = new StorageHandler(new StorageMounts(Map.of("s3", storage), "s3"),
					properties);
			DisposableServer server = HttpServer.create()
				.host("127.0.0.1")
				.port(0)
				.handle(new ReactorHttpHandlerAdapter(
						RouterFunctions.toHttpHandler(StorageRoutes.routes("/storage", handler))))
				.bindNow();
			try {
				HttpClient http = HttpClient.newHttpClient();
				URI uri = URI.create("http://127.0.0.1:" + server.port() + "/storage/s3/object.bin");
				Map<String, HttpRequest> kinds = new LinkedHashMap<>();
				kinds.put("GET whole", HttpRequest.newBuilder(uri).build());
				kinds.put("GET bytes=0-1023", HttpRequest.newBuilder(uri).header("Range", "bytes=0-1023").build());
				kinds.put("GET bytes=-1024", HttpRequest.newBuilder(uri).header("Range", "bytes=-1024").build());
				kinds.put("GET If-None-Match (304)", HttpRequest.newBuilder(uri).header("If-None-Match", etag).build());
				kinds.put("HEAD", HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
				for (Map.Entry<String, HttpRequest> kind : kinds.entrySet()) {
					requests.clear();
					int status = 0;
					for (int i = 0; i < DOWNLOADS; i++) {
						status = http.send(kind.getValue(), HttpResponse.BodyHandlers.discarding()).statusCode();
					}
					StringBuilder line = new StringBuilder();
					int total = 0;
					for (Map.Entry<String, AtomicInteger> operation : requests.entrySet()) {
						line.append(' ').append(operation.getKey()).append('=')
							.append(operation.getValue().get() / (double) DOWNLOADS);
						total += operation.getValue().get();
					}
					System.out.printf("%-26s status %d: %.2f S3 requests per download (%s)%n", kind.getKey(), status,
							total / (double) DOWNLOADS, line.toString().trim());
				}
			}
			finally {
				server.disposeNow();
			}
		}
		finally {
			proxy.afterEach();
		}
	}

}
