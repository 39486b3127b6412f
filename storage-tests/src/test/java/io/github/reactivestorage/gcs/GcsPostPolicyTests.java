package io.github.reactivestorage.gcs;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.PostPolicy;
import io.github.reactivestorage.PostPolicyOptions;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.support.PrefixedStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GCS V4 POST policies (the client's {@code generateSignedPostPolicyV4}) and bound PUT URLs, signed
 * offline with the locally generated service-account key and verified against its public half. The
 * in-process fake does not accept form POSTs, so what GCS enforces is checked in the signed policy
 * document.
 */
class GcsPostPolicyTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final GcsStorage storage = new GcsStorage("pictures", GcsTestSupport.fakeWithSigningKey(), "bucket",
			DefaultDataBufferFactory.sharedInstance);

	@AfterEach
	void close() {
		this.storage.close();
	}

	@Test
	void aPolicyIsSignedWithTheServiceAccountKeyAndStatesEveryCondition() throws Exception {
		assertThat(this.storage.supports(StorageCapability.POST_POLICY)).isTrue();
		PostPolicy policy = this.storage.postPolicy(PostPolicyOptions.forKey("up/cat.png")
			.expiry(Duration.ofMinutes(10))
			.size(1, 5000)
			.contentType("image/png")
			.metadata(Map.of("owner", "alice"))
			.build()).block(TIMEOUT);
		assertThat(policy.url()).isEqualTo(URI.create("https://storage.googleapis.com/bucket/"));
		assertThat(policy.fields()).containsEntry("key", "up/cat.png")
			.containsEntry("content-type", "image/png")
			.containsEntry("x-goog-meta-owner", "alice")
			.containsEntry("x-goog-algorithm", "GOOG4-RSA-SHA256")
			.containsKeys("policy", "x-goog-signature", "x-goog-date");
		assertThat(policy.fields().get("x-goog-credential")).startsWith(GcsTestSupport.CLIENT_EMAIL + "/");
		assertThat(signatureIsValid(policy.fields().get("policy"), policy.fields().get("x-goog-signature"))).isTrue();
		assertThat(signatureIsValid(policy.fields().get("policy").replace('a', 'b'),
				policy.fields().get("x-goog-signature"))).isFalse();
		String json = new String(Base64.getDecoder().decode(policy.fields().get("policy")), StandardCharsets.UTF_8);
		assertThat(json.replace(" ", "")).contains("[\"content-length-range\",1,5000]", "{\"key\":\"up/cat.png\"}",
				"{\"bucket\":\"bucket\"}", "{\"content-type\":\"image/png\"}", "{\"x-goog-meta-owner\":\"alice\"}");
	}

	@Test
	void aPrefixedMountSignsItsFullKey() {
		PostPolicy policy = new PrefixedStorage(this.storage, "tenant").postPolicy(PostPolicyOptions.forKey("a.txt").build())
			.block(TIMEOUT);
		assertThat(policy.key()).isEqualTo("a.txt");
		assertThat(policy.fields()).containsEntry("key", "tenant/a.txt");
	}

	@Test
	void prefixPoliciesAndCapsPastTheClientsIntAreRefusedClearly() {
		StepVerifier.create(this.storage.postPolicy(PostPolicyOptions.forPrefix("in/").build()))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(UnsupportedStorageOperationException.class)
				.hasMessageContaining("exact keys"))
			.verify(TIMEOUT);
		StepVerifier.create(this.storage.postPolicy(PostPolicyOptions.forKey("k").maxSize(3L << 30).build()))
			.expectError(IllegalArgumentException.class)
			.verify(TIMEOUT);
	}

	@Test
	void withoutASigningKeyAPolicyIsUnsupported() {
		try (GcsStorage unsigned = new GcsStorage("public", LocalStorageHelper.getOptions().getService(), "bucket",
				DefaultDataBufferFactory.sharedInstance)) {
			StepVerifier.create(unsigned.postPolicy(PostPolicyOptions.forKey("k").build()))
				.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(UnsupportedStorageOperationException.class)
					.hasMessageContaining("signing key"))
				.verify(TIMEOUT);
		}
	}

	@Test
	void aPutUrlBindsTheLengthAsASignedContentLengthRangeAndTheMd5() throws Exception {
		String md5 = Base64.getEncoder().encodeToString(new byte[16]);
		URI url = this.storage.url("up/r.pdf", UrlOptions.put(Duration.ofMinutes(5), "application/pdf")
			.withContentLength(42)
			.withChecksum(UrlOptions.Checksum.MD5, md5)).block(TIMEOUT);
		assertThat(GcsStorageTests.query(url)).containsEntry("X-Goog-SignedHeaders",
				"content-md5;content-type;host;x-goog-content-length-range");
		Map<String, String> headers = Map.of("content-md5", md5, "content-type", "application/pdf", "host",
				url.getHost(), "x-goog-content-length-range", "42,42");
		assertThat(GcsStorageTests.signatureIsValid("PUT", url, headers)).isTrue();
		Map<String, String> otherLength = new java.util.HashMap<>(headers);
		otherLength.put("x-goog-content-length-range", "0,1000000");
		assertThat(GcsStorageTests.signatureIsValid("PUT", url, otherLength)).isFalse();
	}

	@Test
	void aSha256CannotBeBoundOnGcs() {
		StepVerifier.create(this.storage.url("k", UrlOptions.put(Duration.ofMinutes(5))
			.withChecksum(UrlOptions.Checksum.SHA256, Base64.getEncoder().encodeToString(new byte[32]))))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(UnsupportedStorageOperationException.class)
				.hasMessageContaining("SHA256"))
			.verify(TIMEOUT);
	}

	/** A V4 POST policy's signature is the hex RSA-SHA256 of its base64 text. */
	private static boolean signatureIsValid(String policy, String signature) throws Exception {
		Signature verifier = Signature.getInstance("SHA256withRSA");
		verifier.initVerify(GcsTestSupport.KEY_PAIR.getPublic());
		verifier.update(policy.getBytes(StandardCharsets.UTF_8));
		return verifier.verify(HexFormat.of().parseHex(signature));
	}

}
