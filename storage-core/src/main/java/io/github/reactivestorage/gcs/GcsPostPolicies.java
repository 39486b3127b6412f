package io.github.reactivestorage.gcs;

import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.google.auth.ServiceAccountSigner;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.PostPolicyV4;
import com.google.cloud.storage.PostPolicyV4.ConditionV4Type;
import com.google.cloud.storage.PostPolicyV4.PostConditionsV4;
import com.google.cloud.storage.PostPolicyV4.PostFieldsV4;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.PostPolicyV4Option;
import org.jspecify.annotations.Nullable;

import io.github.reactivestorage.PostPolicy;
import io.github.reactivestorage.PostPolicyOptions;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlBinding;
import io.github.reactivestorage.UrlOptions;

/**
 * GCS browser uploads and bound PUT URLs, through the Java client's own V4 signing
 * ({@link Storage#generateSignedPostPolicyV4}, {@link Storage#signUrl}).
 *
 * <ul>
 * <li>Only exact-key policies: the client always adds a condition matching the object name exactly,
 * so a {@code starts-with} prefix policy cannot be expressed through it.</li>
 * <li>The size range is an {@code int} in the client: a cap past 2 GiB - 1 fails clearly.</li>
 * <li>PUT URLs bind a length as {@code x-goog-content-length-range: n,n} and an MD5 as
 * {@code Content-MD5}, both signed extension headers the uploader must send; GCS does not verify a
 * SHA-256, so that binding is refused.</li>
 * </ul>
 */
final class GcsPostPolicies {

	static final Set<UrlBinding> URL_BINDINGS = EnumSet.of(UrlBinding.CONTENT_LENGTH, UrlBinding.CHECKSUM_MD5);

	private GcsPostPolicies() {
	}

	/** What the client cannot sign, refused before any call. */
	static void check(PostPolicyOptions options, String mount) {
		if (options.key() == null) {
			throw new UnsupportedStorageOperationException("Mount '" + mount + "' signs browser upload forms for "
					+ "exact keys only: the GCS client always binds the object name", options.keyPrefix(), null);
		}
		if (options.maxSize() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("The GCS client caps a form's size range at " + Integer.MAX_VALUE
					+ " bytes: " + options.maxSize());
		}
	}

	static PostPolicy sign(Storage storage, String bucket, @Nullable ServiceAccountSigner signer,
			PostPolicyOptions options, String mount) {
		String key = options.key();
		if (signer == null && !(storage.getOptions().getCredentials() instanceof ServiceAccountSigner)) {
			throw new UnsupportedStorageOperationException("Mount '" + mount
					+ "' cannot sign browser upload forms: its credentials have no signing key", key, null);
		}
		PostFieldsV4.Builder fields = PostFieldsV4.newBuilder();
		PostConditionsV4.Builder conditions = PostConditionsV4.newBuilder();
		if (options.maxSize() >= 0) {
			conditions.addContentLengthRangeCondition((int) options.minSize(), (int) options.maxSize());
		}
		if (options.contentType() != null) {
			fields.setContentType(options.contentType());
		}
		else if (options.contentTypePrefix() != null) {
			conditions.addContentTypeCondition(ConditionV4Type.STARTS_WITH, options.contentTypePrefix());
		}
		options.metadata().forEach(fields::setCustomMetadataField);
		Instant start = Instant.now();
		PostPolicyV4 signed = (signer != null)
				? storage.generateSignedPostPolicyV4(BlobInfo.newBuilder(bucket, key).build(),
						options.expiry().toSeconds(), TimeUnit.SECONDS, fields.build(), conditions.build(),
						PostPolicyV4Option.signWith(signer))
				: storage.generateSignedPostPolicyV4(BlobInfo.newBuilder(bucket, key).build(),
						options.expiry().toSeconds(), TimeUnit.SECONDS, fields.build(), conditions.build());
		Map<String, String> form = new LinkedHashMap<>(signed.getFields());
		if (options.contentTypePrefix() != null) {
			// the browser replaces it with its file's type; the policy checks the prefix
			form.put("content-type", options.contentTypePrefix());
		}
		return new PostPolicy(URI.create(signed.getUrl()), form, "file", start.plus(options.expiry()), key, null);
	}

	/** The extension headers a PUT URL signs; the uploader sends each with the same value. */
	static Map<String, String> boundHeaders(UrlOptions options) {
		Map<String, String> headers = new LinkedHashMap<>();
		if (options.contentType() != null) {
			headers.put("Content-Type", options.contentType());
		}
		if (options.contentLength() >= 0) {
			headers.put("x-goog-content-length-range", options.contentLength() + "," + options.contentLength());
		}
		if (options.checksum() == UrlOptions.Checksum.MD5) {
			headers.put("Content-MD5", options.checksumValue());
		}
		return headers;
	}

}
