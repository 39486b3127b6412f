package io.github.reactivestorage.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The built-in backend types, the class whose presence enables each, and the dependency that
 * brings it: used to tell a user which dependency a configured type needs.
 */
final class KnownBackends {

	record Backend(String type, @Nullable String requiredClass, @Nullable String dependency) {
	}

	static final Map<String, Backend> BACKENDS = new LinkedHashMap<>();

	static {
		add(new Backend("memory", null, null));
		add(new Backend("filesystem", null, null));
		add(new Backend("s3", "software.amazon.awssdk.services.s3.S3AsyncClient",
				"software.amazon.awssdk:s3 and software.amazon.awssdk:netty-nio-client"));
		add(new Backend("gcs", "com.google.cloud.storage.Storage", "com.google.cloud:google-cloud-storage"));
		add(new Backend("azure", "com.azure.storage.blob.BlobContainerAsyncClient", "com.azure:azure-storage-blob"));
		add(new Backend("http", "reactor.netty.http.client.HttpClient", "io.projectreactor.netty:reactor-netty-http"));
		add(new Backend("cache", null, null));
	}

	private KnownBackends() {
	}

	private static void add(Backend backend) {
		BACKENDS.put(backend.type(), backend);
	}

}
