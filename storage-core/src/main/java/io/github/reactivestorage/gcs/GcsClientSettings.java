package io.github.reactivestorage.gcs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import org.jspecify.annotations.Nullable;

/**
 * How to build a GCS {@link Storage} client.
 *
 * <ul>
 * <li>With {@code credentials}: those (e.g. a service-account key, which can also sign URLs).</li>
 * <li>Without, with an {@code endpoint}: no credentials at all, as emulators such as
 * fake-gcs-server expect.</li>
 * <li>Without either: application default credentials ({@code GOOGLE_APPLICATION_CREDENTIALS}, the
 * gcloud user, or the metadata server of GCE/GKE/Cloud Run); building fails with a clear message
 * when there are none.</li>
 * </ul>
 *
 * @param project the project id, or {@code null} for the credentials' (or the environment's)
 * @param endpoint the API's base URL for emulators, e.g. {@code http://localhost:4443}, or
 * {@code null} for Google's
 * @param credentials the credentials, or {@code null} as described above
 * @param connectTimeout the HTTP connect timeout, or {@code null} for the SDK's (20 s)
 * @param readTimeout the HTTP read timeout, or {@code null} for the SDK's (20 s)
 */
public record GcsClientSettings(@Nullable String project, @Nullable String endpoint,
		@Nullable Credentials credentials, @Nullable Duration connectTimeout, @Nullable Duration readTimeout) {

	/** Settings with the SDK's timeouts. */
	public GcsClientSettings(@Nullable String project, @Nullable String endpoint, @Nullable Credentials credentials) {
		this(project, endpoint, credentials, null, null);
	}

	/** The client. */
	public Storage build() {
		StorageOptions.Builder builder = StorageOptions.newBuilder();
		if (this.project != null && !this.project.isBlank()) {
			builder.setProjectId(this.project);
		}
		if (this.endpoint != null && !this.endpoint.isBlank()) {
			builder.setHost(this.endpoint);
		}
		builder.setCredentials(resolveCredentials());
		if (this.connectTimeout != null || this.readTimeout != null) {
			HttpTransportOptions.Builder transport = HttpTransportOptions.newBuilder();
			if (this.connectTimeout != null) {
				transport.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, this.connectTimeout.toMillis()));
			}
			if (this.readTimeout != null) {
				transport.setReadTimeout((int) Math.min(Integer.MAX_VALUE, this.readTimeout.toMillis()));
			}
			builder.setTransportOptions(transport.build());
		}
		return builder.build().getService();
	}

	private Credentials resolveCredentials() {
		if (this.credentials != null) {
			return this.credentials;
		}
		if (this.endpoint != null && !this.endpoint.isBlank()) {
			return NoCredentials.getInstance();
		}
		try {
			return GoogleCredentials.getApplicationDefault();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No GCS credentials: no service-account key was given and application "
					+ "default credentials were not found (" + ex.getMessage() + ")", ex);
		}
	}

}
