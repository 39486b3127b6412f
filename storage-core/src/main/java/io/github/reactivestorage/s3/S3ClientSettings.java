package io.github.reactivestorage.s3;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Plain settings an {@link S3AsyncClient} and {@link S3Presigner} are built from, so that both see
 * the same region, endpoint, path style and credentials (the presigner does not read the client's
 * path-style flag: it needs its own {@link S3Configuration}).
 *
 * <p>Credentials, in order: {@code anonymous} (unsigned requests, no presigner), static keys (with an
 * optional session token), a named {@code profile}, else the SDK's default chain. Requests compute
 * checksums only where S3 requires them, which every S3-compatible store understands.
 *
 * @param region the region, or {@code null} for the SDK's region chain ({@code us-east-1} when an
 * endpoint is given)
 * @param endpoint the endpoint of an S3-compatible store, or {@code null} for AWS
 * @param pathStyle whether buckets are addressed in the path
 * @param accessKeyId static access key id, or {@code null}
 * @param secretAccessKey static secret key, or {@code null}
 * @param sessionToken session token of temporary credentials, or {@code null}
 * @param profile named profile, or {@code null}
 * @param anonymous whether to send unsigned requests
 * @param connectTimeout TCP connect timeout
 * @param readTimeout read timeout
 */
public record S3ClientSettings(@Nullable String region, @Nullable URI endpoint, boolean pathStyle,
		@Nullable String accessKeyId, @Nullable String secretAccessKey, @Nullable String sessionToken,
		@Nullable String profile, boolean anonymous, Duration connectTimeout, Duration readTimeout) {

	/** Never prints the secret key or session token. */
	@Override
	public String toString() {
		return "S3ClientSettings[region=" + this.region + ", endpoint=" + this.endpoint + ", pathStyle="
				+ this.pathStyle + ", accessKeyId=" + this.accessKeyId + ", profile=" + this.profile + ", anonymous="
				+ this.anonymous + "]";
	}

	/** The credentials these settings describe. */
	public AwsCredentialsProvider credentialsProvider() {
		if (this.anonymous) {
			return AnonymousCredentialsProvider.create();
		}
		if (this.accessKeyId != null && this.secretAccessKey != null) {
			return StaticCredentialsProvider.create((this.sessionToken != null)
					? AwsSessionCredentials.create(this.accessKeyId, this.secretAccessKey, this.sessionToken)
					: AwsBasicCredentials.create(this.accessKeyId, this.secretAccessKey));
		}
		if (this.profile != null) {
			return ProfileCredentialsProvider.create(this.profile);
		}
		return DefaultCredentialsProvider.builder().build();
	}

	private @Nullable Region resolvedRegion() {
		if (this.region != null && !this.region.isBlank()) {
			return Region.of(this.region);
		}
		return (this.endpoint != null) ? Region.US_EAST_1 : null;
	}

	/** A client builder configured from these settings (Netty HTTP client). */
	public S3AsyncClientBuilder clientBuilder() {
		S3AsyncClientBuilder builder = S3AsyncClient.builder()
			.httpClientBuilder(NettyNioAsyncHttpClient.builder()
				.connectionTimeout(this.connectTimeout)
				.readTimeout(this.readTimeout)
				.maxConcurrency(128))
			.credentialsProvider(credentialsProvider())
			.forcePathStyle(this.pathStyle)
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
		Region resolved = resolvedRegion();
		if (resolved != null) {
			builder.region(resolved);
		}
		if (this.endpoint != null) {
			builder.endpointOverride(this.endpoint);
		}
		return builder;
	}

	/** A presigner for these settings, or {@code null} for anonymous access. */
	public @Nullable S3Presigner presigner() {
		if (this.anonymous) {
			return null;
		}
		S3Presigner.Builder builder = S3Presigner.builder()
			.credentialsProvider(credentialsProvider())
			.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(this.pathStyle).build());
		Region resolved = resolvedRegion();
		if (resolved != null) {
			builder.region(resolved);
		}
		if (this.endpoint != null) {
			builder.endpointOverride(this.endpoint);
		}
		return builder.build();
	}

}
