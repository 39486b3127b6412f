package io.github.reactivestorage.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import io.github.reactivestorage.PostPolicy;
import io.github.reactivestorage.PostPolicyOptions;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.support.HeaderMetadataCodec;

/**
 * SigV4 POST policies (browser form uploads) for one bucket. The AWS SDK for Java v2 has no POST
 * signing (aws-sdk-java-v2 #1493), so the policy document and its signature are built here, by AWS's
 * published algorithm: the policy JSON is base64-encoded, and that base64 text is the string to sign
 * with the SigV4 signing key of the credential's date, region and {@code s3}.
 *
 * <p>Credentials and region are the client's ({@link S3AsyncClient#serviceClientConfiguration()});
 * resolving them may read files or call an instance-metadata endpoint, so it runs on
 * {@link Schedulers#boundedElastic()}. The form's URL is the bucket's URL as the presigner addresses
 * it (path style or virtual host, endpoint override included).
 */
final class S3PostPolicies {

	static final String ALGORITHM = "AWS4-HMAC-SHA256";

	private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter EXPIRATION = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	/** A key the bucket URL is derived from: the presigner appends it, we cut it off again. */
	private static final String PROBE_KEY = "probe";

	private final S3AsyncClient client;

	private final S3Presigner presigner;

	private final String bucket;

	private final Clock clock;

	S3PostPolicies(S3AsyncClient client, S3Presigner presigner, String bucket, Clock clock) {
		this.client = client;
		this.presigner = presigner;
		this.bucket = bucket;
		this.clock = clock;
	}

	Mono<PostPolicy> sign(PostPolicyOptions options) {
		return Mono.fromCallable(() -> {
			IdentityProvider<? extends AwsCredentialsIdentity> provider = this.client.serviceClientConfiguration()
				.credentialsProvider();
			Region region = this.client.serviceClientConfiguration().region();
			if (provider == null || region == null) {
				throw new UnsupportedStorageOperationException("The S3 client has no credentials or region to sign "
						+ "browser upload forms with", options.key(), null);
			}
			AwsCredentialsIdentity credentials = provider.resolveIdentity().join();
			return build(options, this.bucket, bucketUrl(), credentials, region.id(), this.clock.instant());
		}).subscribeOn(Schedulers.boundedElastic());
	}

	private URI bucketUrl() throws URISyntaxException {
		URI probe = this.presigner
			.presignGetObject(presign -> presign.signatureDuration(Duration.ofMinutes(1))
				.getObjectRequest(get -> get.bucket(this.bucket).key(PROBE_KEY)))
			.url()
			.toURI();
		String path = probe.getRawPath();
		if (!path.endsWith("/" + PROBE_KEY)) {
			throw new StorageException("Unexpected presigned URL layout");
		}
		String bucketPath = path.substring(0, path.length() - PROBE_KEY.length() - 1);
		return new URI(probe.getScheme(), null, probe.getHost(), probe.getPort(), bucketPath.isEmpty() ? "/" : bucketPath,
				null, null);
	}

	/**
	 * The signed form. Fields come in the order S3's example form sends them; the file part goes last.
	 */
	static PostPolicy build(PostPolicyOptions options, String bucket, URI url, AwsCredentialsIdentity credentials,
			String region, Instant now) {
		Instant signedAt = now.truncatedTo(ChronoUnit.SECONDS);
		String amzDate = AMZ_DATE.format(signedAt);
		String date = amzDate.substring(0, 8);
		String credential = credentials.accessKeyId() + "/" + date + "/" + region + "/s3/aws4_request";
		Instant expiration = signedAt.plus(options.expiry());
		String sessionToken = (credentials instanceof AwsSessionCredentialsIdentity session) ? session.sessionToken()
				: null;

		Map<String, String> fields = new LinkedHashMap<>();
		StringBuilder conditions = new StringBuilder();
		condition(conditions, "bucket", bucket);
		if (options.key() != null) {
			fields.put("key", options.key());
			condition(conditions, "key", options.key());
		}
		else {
			// S3 replaces ${filename} with the browser's file name; starts-with keeps any key under the prefix
			fields.put("key", options.keyPrefix() + "${filename}");
			startsWith(conditions, "$key", options.keyPrefix());
		}
		if (options.maxSize() >= 0) {
			conditions.append(",[\"content-length-range\",")
				.append(options.minSize())
				.append(',')
				.append(options.maxSize())
				.append(']');
		}
		if (options.contentType() != null) {
			fields.put("Content-Type", options.contentType());
			condition(conditions, "Content-Type", options.contentType());
		}
		else if (options.contentTypePrefix() != null) {
			fields.put("Content-Type", options.contentTypePrefix());
			startsWith(conditions, "$Content-Type", options.contentTypePrefix());
		}
		options.metadata().forEach((name, value) -> {
			// the same ASCII-safe encoding a put sends, so that info decodes a form's metadata alike
			String encoded = HeaderMetadataCodec.encodeValue(value);
			fields.put("x-amz-meta-" + name, encoded);
			condition(conditions, "x-amz-meta-" + name, encoded);
		});
		fields.put("x-amz-algorithm", ALGORITHM);
		condition(conditions, "x-amz-algorithm", ALGORITHM);
		fields.put("x-amz-credential", credential);
		condition(conditions, "x-amz-credential", credential);
		fields.put("x-amz-date", amzDate);
		condition(conditions, "x-amz-date", amzDate);
		if (sessionToken != null) {
			fields.put("x-amz-security-token", sessionToken);
			condition(conditions, "x-amz-security-token", sessionToken);
		}
		String policyJson = "{\"expiration\":\"" + EXPIRATION.format(expiration) + "\",\"conditions\":["
				+ conditions.substring(1) + "]}";
		String policy = Base64.getEncoder().encodeToString(policyJson.getBytes(StandardCharsets.UTF_8));
		fields.put("policy", policy);
		fields.put("x-amz-signature",
				signature(signingKey(credentials.secretAccessKey(), date, region, "s3"), policy));
		return new PostPolicy(url, fields, "file", expiration, options.key(), options.keyPrefix());
	}

	/** The SigV4 signing key: HMAC chain over date, region, service and {@code aws4_request}. */
	static byte[] signingKey(String secretAccessKey, String date, String region, String service) {
		byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
		key = hmac(key, region);
		key = hmac(key, service);
		return hmac(key, "aws4_request");
	}

	/** The hex HMAC-SHA256 of the string to sign (for a POST policy: its base64 text). */
	static String signature(byte[] signingKey, String stringToSign) {
		return HexFormat.of().formatHex(hmac(signingKey, stringToSign));
	}

	private static byte[] hmac(byte[] key, String data) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is unavailable", ex);
		}
	}

	private static void condition(StringBuilder conditions, String field, String value) {
		conditions.append(",{").append(json(field)).append(':').append(json(value)).append('}');
	}

	private static void startsWith(StringBuilder conditions, String field, @Nullable String prefix) {
		conditions.append(",[\"starts-with\",").append(json(field)).append(',').append(json(prefix)).append(']');
	}

	/**
	 * A JSON string literal. Written by hand because storage-core has no JSON library; keys, metadata and
	 * content types are checked before they get here, and everything outside printable ASCII is escaped,
	 * so no value can end the string or add a condition.
	 */
	static String json(@Nullable String value) {
		String text = (value != null) ? value : "";
		StringBuilder out = new StringBuilder(text.length() + 2).append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				out.append('\\').append(c);
			}
			else if (c < 0x20 || c > 0x7e) {
				out.append(String.format("\\u%04x", (int) c));
			}
			else {
				out.append(c);
			}
		}
		return out.append('"').toString();
	}

}
