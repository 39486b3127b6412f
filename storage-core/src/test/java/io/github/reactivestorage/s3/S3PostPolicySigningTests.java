package io.github.reactivestorage.s3;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import io.github.reactivestorage.PostPolicy;
import io.github.reactivestorage.PostPolicyOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SigV4 POST signing of {@link S3PostPolicies}, checked against the worked example in AWS's
 * documentation ("Example: Browser-Based Upload using HTTP POST (Using AWS Signature Version 4)",
 * sigv4-post-example) and for the policy document it builds.
 */
class S3PostPolicySigningTests {

	private static final String EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

	/** The example's policy, as the page prints it: its signature is over these exact bytes. */
	private static final String EXAMPLE_POLICY = String.join("\r\n",
			"{ \"expiration\": \"2015-12-30T12:00:00.000Z\",",
			"  \"conditions\": [",
			"    {\"bucket\": \"sigv4examplebucket\"},",
			"    [\"starts-with\", \"$key\", \"user/user1/\"],",
			"    {\"acl\": \"public-read\"},",
			"    {\"success_action_redirect\": \"http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html\"},",
			"    [\"starts-with\", \"$Content-Type\", \"image/\"],",
			"    {\"x-amz-meta-uuid\": \"14365123651274\"},",
			"    {\"x-amz-server-side-encryption\": \"AES256\"},",
			"    [\"starts-with\", \"$x-amz-meta-tag\", \"\"],",
			"",
			"    {\"x-amz-credential\": \"AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request\"},",
			"    {\"x-amz-algorithm\": \"AWS4-HMAC-SHA256\"},",
			"    {\"x-amz-date\": \"20151229T000000Z\" }",
			"  ]",
			"}");

	/** The base64 policy the page gives as the string to sign. */
	private static final String EXAMPLE_BASE64 = "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9";

	private static final String EXAMPLE_SIGNATURE = "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e";

	private static final URI BUCKET_URL = URI.create("https://examplebucket.s3.amazonaws.com/");

	private static final Instant NOW = Instant.parse("2015-12-29T00:00:00Z");

	@Test
	void reproducesTheSignatureOfAwsExampleFromItsInputs() {
		String base64 = Base64.getEncoder().encodeToString(EXAMPLE_POLICY.getBytes(StandardCharsets.UTF_8));
		assertThat(base64).isEqualTo(EXAMPLE_BASE64);
		byte[] key = S3PostPolicies.signingKey(EXAMPLE_SECRET, "20151229", "us-east-1", "s3");
		assertThat(S3PostPolicies.signature(key, base64)).isEqualTo(EXAMPLE_SIGNATURE);
	}

	@Test
	void aChangedPolicyOrDateOrRegionSignsDifferently() {
		byte[] key = S3PostPolicies.signingKey(EXAMPLE_SECRET, "20151229", "us-east-1", "s3");
		assertThat(S3PostPolicies.signature(key, EXAMPLE_BASE64.replace('e', 'f'))).isNotEqualTo(EXAMPLE_SIGNATURE);
		assertThat(S3PostPolicies.signature(S3PostPolicies.signingKey(EXAMPLE_SECRET, "20151230", "us-east-1", "s3"),
				EXAMPLE_BASE64)).isNotEqualTo(EXAMPLE_SIGNATURE);
		assertThat(S3PostPolicies.signature(S3PostPolicies.signingKey(EXAMPLE_SECRET, "20151229", "eu-west-1", "s3"),
				EXAMPLE_BASE64)).isNotEqualTo(EXAMPLE_SIGNATURE);
	}

	@Test
	void formFieldsFollowTheExampleAndTheSignatureCoversThePolicy() {
		PostPolicyOptions options = PostPolicyOptions.forPrefix("user/user1/")
			.expiry(Duration.ofHours(36))
			.size(1, 1024)
			.contentTypePrefix("image/")
			.metadata(Map.of("uuid", "14365123651274"))
			.build();
		PostPolicy policy = S3PostPolicies.build(options, "examplebucket", BUCKET_URL,
				AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", EXAMPLE_SECRET), "us-east-1", NOW);

		assertThat(policy.url()).isEqualTo(BUCKET_URL);
		assertThat(policy.method()).isEqualTo("POST");
		assertThat(policy.fileField()).isEqualTo("file");
		assertThat(policy.expiration()).isEqualTo(Instant.parse("2015-12-30T12:00:00Z"));
		assertThat(List.copyOf(policy.fields().keySet())).containsExactly("key", "Content-Type", "x-amz-meta-uuid",
				"x-amz-algorithm", "x-amz-credential", "x-amz-date", "policy", "x-amz-signature");
		assertThat(policy.fields()).containsEntry("key", "user/user1/${filename}")
			.containsEntry("x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request")
			.containsEntry("x-amz-date", "20151229T000000Z");
		String json = new String(Base64.getDecoder().decode(policy.fields().get("policy")), StandardCharsets.UTF_8);
		assertThat(json).isEqualTo("{\"expiration\":\"2015-12-30T12:00:00.000Z\",\"conditions\":["
				+ "{\"bucket\":\"examplebucket\"},[\"starts-with\",\"$key\",\"user/user1/\"],"
				+ "[\"content-length-range\",1,1024],[\"starts-with\",\"$Content-Type\",\"image/\"],"
				+ "{\"x-amz-meta-uuid\":\"14365123651274\"},{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"},"
				+ "{\"x-amz-credential\":\"AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request\"},"
				+ "{\"x-amz-date\":\"20151229T000000Z\"}]}");
		byte[] key = S3PostPolicies.signingKey(EXAMPLE_SECRET, "20151229", "us-east-1", "s3");
		assertThat(policy.fields().get("x-amz-signature"))
			.isEqualTo(S3PostPolicies.signature(key, policy.fields().get("policy")));
		assertThat(policy.toString()).doesNotContain(policy.fields().get("x-amz-signature"));
	}

	@Test
	void anExactKeyIsMatchedExactlyAndTemporaryCredentialsSendTheirToken() {
		PostPolicy policy = S3PostPolicies.build(PostPolicyOptions.forKey("a/b.png").contentType("image/png").build(),
				"b", BUCKET_URL, AwsSessionCredentials.create("AKID", "secret", "token=="), "eu-west-1", NOW);
		String json = decodedPolicy(policy);
		assertThat(json).contains("{\"key\":\"a/b.png\"}", "{\"Content-Type\":\"image/png\"}",
				"{\"x-amz-security-token\":\"token==\"}");
		assertThat(json).doesNotContain("starts-with", "content-length-range");
		assertThat(policy.fields()).containsEntry("key", "a/b.png").containsEntry("x-amz-security-token", "token==");
	}

	@Test
	void hostileMetadataValuesCannotEndAStringOrAddACondition() {
		String hostile = "x\"},[\"starts-with\",\"$key\",\"\"],{\"a\":\"";
		PostPolicy policy = S3PostPolicies.build(
				PostPolicyOptions.forKey("k").metadata(Map.of("note", hostile, "other", "\\\u0000é")).build(), "b",
				BUCKET_URL, AwsBasicCredentials.create("AKID", "secret"), "us-east-1", NOW);
		String json = decodedPolicy(policy);
		assertThat(json).contains("{\"x-amz-meta-note\":\"x\\\"},[\\\"starts-with\\\",\\\"$key\\\",\\\"\\\"],{\\\"a\\\":\\\"\"}");
		assertThat(json).doesNotContain(",[\"starts-with\",\"$key\"");
		assertThat(json.chars()).allMatch(c -> c >= 0x20 && c <= 0x7e);
		assertThat(policy.fields()).containsEntry("x-amz-meta-note", hostile);
		assertThat(S3PostPolicies.json("a\"b\\c\nd")).isEqualTo("\"a\\\"b\\\\c\\u000ad\"");
	}

	private static String decodedPolicy(PostPolicy policy) {
		return new String(Base64.getDecoder().decode(policy.fields().get("policy")), StandardCharsets.UTF_8);
	}

}
