package io.github.reactivestorage.gcs;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.conformance.StorageConformanceTests;
import io.github.reactivestorage.conformance.StorageTestContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole conformance kit, with no known limitations, against fake-gcs-server (a Go emulator of
 * the GCS JSON API: ordered and paged listings, generations, preconditions, resumable uploads that
 * appear only when finalised), where Docker is available. A bucket per test; the client has no
 * credentials, as the emulator expects, and URLs are signed with a locally generated key.
 */
@Testcontainers(disabledWithoutDocker = true)
class GcsStorageFakeGcsServerContainerTests extends StorageConformanceTests {

	private static final int PORT = 4443;

	@Container
	static final GenericContainer<?> server = new GenericContainer<>("fsouza/fake-gcs-server:1.52.2")
		.withCommand("-scheme", "http", "-port", String.valueOf(PORT), "-backend", "memory")
		.withExposedPorts(PORT)
		.waitingFor(Wait.forHttp("/storage/v1/b").forPort(PORT).forStatusCode(200));

	private static String endpoint() {
		return "http://" + server.getHost() + ":" + server.getMappedPort(PORT);
	}

	/**
	 * Resumable uploads continue at the URL the server announces, which must be the mapped one; the
	 * emulator learns it through its configuration endpoint.
	 */
	@BeforeAll
	static void announceTheMappedUrl() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/_internal/config"))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"externalUrl\": \"" + endpoint() + "\"}"))
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
	}

	@Override
	protected ReactiveStorage createStorage(StorageTestContext context) {
		Storage client = new GcsClientSettings("test-project", endpoint(), null).build();
		client.create(BucketInfo.of(context.uniqueId()));
		return new GcsStorage(context.mountName(), client, context.uniqueId(), context.bufferFactory(),
				GcsStorageOptions.defaults().withUrlSigner(GcsTestSupport.credentials()));
	}

}
