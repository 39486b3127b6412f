package io.github.reactivestorage.s3;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.PostPolicy;
import io.github.reactivestorage.PostPolicyOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.support.PrefixedStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Browser form uploads (SigV4 POST policies signed by {@link S3PostPolicies}) and bound PUT URLs against
 * S3Proxy, which checks a form's signature and evaluates its policy (expiry, every condition, no
 * unlisted field, {@code content-length-range}) as S3 does, and checks every signed header of a
 * presigned PUT.
 */
class S3PostPolicyTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final HttpClient CLIENT = HttpClient.newHttpClient();

	@RegisterExtension
	static final S3ProxyServer server = new S3ProxyServer();

	private S3Storage storage;

	@BeforeEach
	void setUp() {
		this.storage = server.storage("s3", "post-" + UUID.randomUUID(), S3StorageOptions.DEFAULTS,
				DefaultDataBufferFactory.sharedInstance);
	}

	@Test
	void aFormWithinThePolicyIsStoredWithItsTypeAndMetadata() {
		PostPolicy policy = this.storage.postPolicy(PostPolicyOptions.forKey("up/photo.png")
			.maxSize(100)
			.contentType("image/png")
			.metadata(Map.of("owner", "zoë \"quoted\""))
			.build()).block(TIMEOUT);
		BrowserForm.Response response = BrowserForm.post(policy, Map.of(), "photo.png", "image/png", bytes(100));
		assertThat(response.status()).as(response.body()).isBetween(200, 299);
		StoredObject stored = this.storage.info("up/photo.png").block(TIMEOUT);
		assertThat(stored.size()).isEqualTo(100);
		assertThat(stored.contentType()).isEqualTo("image/png");
		assertThat(stored.metadata()).containsEntry("owner", "zoë \"quoted\"");
	}

	@Test
	void aFileOverTheCapIsRefusedAndNothingIsStored() {
		PostPolicy policy = this.storage.postPolicy(PostPolicyOptions.forKey("big.bin").size(10, 100).build())
			.block(TIMEOUT);
		BrowserForm.Response tooLarge = BrowserForm.post(policy, Map.of(), "big.bin", "application/octet-stream",
				bytes(101));
		assertThat(tooLarge.status()).isEqualTo(400);
		assertThat(tooLarge.body()).contains("EntityTooLarge");
		BrowserForm.Response tooSmall = BrowserForm.post(policy, Map.of(), "big.bin", "application/octet-stream",
				bytes(9));
		assertThat(tooSmall.status()).isEqualTo(400);
		assertThat(this.storage.exists("big.bin").block(TIMEOUT)).isFalse();
	}

	@Test
	void changingTheKeyTheTypeOrTheMetadataIsRefused() {
		PostPolicy policy = this.storage.postPolicy(PostPolicyOptions.forKey("exact.png")
			.contentType("image/png")
			.metadata(Map.of("owner", "alice"))
			.build()).block(TIMEOUT);
		for (Map<String, String> change : java.util.List.of(Map.of("key", "other.png"),
				Map.of("Content-Type", "text/html"), Map.of("x-amz-meta-owner", "mallory"),
				Map.of("x-amz-meta-extra", "added"), Map.of("acl", "public-read-write"))) {
			BrowserForm.Response response = BrowserForm.post(policy, change, "exact.png", "image/png", bytes(5));
			assertThat(response.status()).as(change.toString()).isEqualTo(403);
		}
		assertThat(this.storage.list("").collectList().block(TIMEOUT)).isEmpty();
	}

	@Test
	void aTamperedPolicyOrSignatureIsRefused() {
		PostPolicy policy = this.storage.postPolicy(PostPolicyOptions.forKey("k").maxSize(10).build()).block(TIMEOUT);
		String json = new String(Base64.getDecoder().decode(policy.fields().get("policy")), StandardCharsets.UTF_8);
		String widened = Base64.getEncoder()
			.encodeToString(json.replace("0,10]", "0,1000000]").getBytes(StandardCharsets.UTF_8));
		assertThat(BrowserForm.post(policy, Map.of("policy", widened), "k", "text/plain", bytes(20)).status())
			.isEqualTo(403);
		String signature = policy.fields().get("x-amz-signature");
		String flipped = (signature.charAt(0) == 'a' ? 'b' : 'a') + signature.substring(1);
		assertThat(BrowserForm.post(policy, Map.of("x-amz-signature", flipped), "k", "text/plain", bytes(5)).status())
			.isEqualTo(403);
		assertThat(this.storage.exists("k").block(TIMEOUT)).isFalse();
	}

	@Test
	void aPrefixPolicyTakesTheBrowsersFileNameAndNothingOutsideThePrefix() {
		ReactiveStorage tenant = new PrefixedStorage(this.storage, "tenant-1");
		PostPolicy policy = tenant.postPolicy(PostPolicyOptions.forPrefix("inbox/").maxSize(1000).build())
			.block(TIMEOUT);
		BrowserForm.Response ok = BrowserForm.post(policy, Map.of(), "notes.txt", "text/plain", bytes(3));
		assertThat(ok.status()).as(ok.body()).isBetween(200, 299);
		assertThat(tenant.exists("inbox/notes.txt").block(TIMEOUT)).isTrue();
		assertThat(this.storage.exists("tenant-1/inbox/notes.txt").block(TIMEOUT)).isTrue();
		for (String key : new String[] { "tenant-2/x", "tenant-1/other/x", "x" }) {
			assertThat(BrowserForm.post(policy, Map.of("key", key), "x", "text/plain", bytes(3)).status()).as(key)
				.isEqualTo(403);
		}
	}

	@Test
	void aContentTypePrefixAdmitsOnlyTypesUnderIt() {
		PostPolicy policy = this.storage.postPolicy(PostPolicyOptions.forKey("img").contentTypePrefix("image/").build())
			.block(TIMEOUT);
		assertThat(BrowserForm.post(policy, Map.of("Content-Type", "image/webp"), "img", "image/webp", bytes(3))
			.status()).isBetween(200, 299);
		assertThat(this.storage.info("img").block(TIMEOUT).contentType()).isEqualTo("image/webp");
		assertThat(BrowserForm.post(policy, Map.of("Content-Type", "text/html"), "img", "text/html", bytes(3)).status())
			.isEqualTo(403);
	}

	@Test
	void anExpiredFormIsRefused() throws InterruptedException {
		PostPolicy policy = this.storage.postPolicy(PostPolicyOptions.forKey("late").expiry(Duration.ofSeconds(1)).build())
			.block(TIMEOUT);
		// not a timing measurement: the form's expiry is a second away, and S3Proxy compares it with its clock
		Thread.sleep(Duration.between(java.time.Instant.now(), policy.expiration()).toMillis() + 1100);
		assertThat(BrowserForm.post(policy, Map.of(), "late", "text/plain", bytes(3)).status()).isEqualTo(403);
		assertThat(this.storage.exists("late").block(TIMEOUT)).isFalse();
	}

	// ---- bound PUT URLs ----

	@Test
	void aPutUrlBindingLengthAndTypeRefusesAnyOther() throws Exception {
		URI url = this.storage.url("put.txt", UrlOptions.put(Duration.ofMinutes(5), "text/plain").withContentLength(4))
			.block(TIMEOUT);
		assertThat(put(url, "text/plain", bytes(5), Map.of())).isEqualTo(403);
		assertThat(put(url, "text/html", bytes(4), Map.of())).isEqualTo(403);
		assertThat(this.storage.exists("put.txt").block(TIMEOUT)).isFalse();
		assertThat(put(url, "text/plain", bytes(4), Map.of())).isEqualTo(200);
		assertThat(this.storage.info("put.txt").block(TIMEOUT).size()).isEqualTo(4);
	}

	@Test
	void aPutUrlBindingAChecksumNeedsTheHeaderAndRefusesOtherValues() throws Exception {
		byte[] content = bytes(8);
		String sha256 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(content));
		URI url = this.storage.url("sum.bin", UrlOptions.put(Duration.ofMinutes(5))
			.withChecksum(UrlOptions.Checksum.SHA256, sha256)).block(TIMEOUT);
		assertThat(put(url, null, content, Map.of())).as("header missing").isEqualTo(403);
		String other = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes(9)));
		assertThat(put(url, null, content, Map.of("x-amz-checksum-sha256", other))).as("header changed").isEqualTo(403);
		assertThat(this.storage.exists("sum.bin").block(TIMEOUT)).isFalse();
		assertThat(put(url, null, content, Map.of("x-amz-checksum-sha256", sha256))).isEqualTo(200);
	}

	private static int put(URI url, String contentType, byte[] content, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofByteArray(content));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		headers.forEach(request::header);
		return CLIENT.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private static byte[] bytes(int length) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = (byte) ('a' + i % 26);
		}
		return bytes;
	}

}
