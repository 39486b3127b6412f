package io.github.reactivestorage.support;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.InvalidKeyException;
import io.github.reactivestorage.InvalidMetadataException;
import io.github.reactivestorage.PostPolicy;
import io.github.reactivestorage.PostPolicyOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StoragePermissionException;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.observation.ByteCounter;
import io.github.reactivestorage.observation.ObservedStorage;
import io.github.reactivestorage.resilience.ResilienceSettings;
import io.github.reactivestorage.resilience.ResilientStorage;
import io.github.reactivestorage.s3.S3ClientSettings;
import io.github.reactivestorage.s3.S3Storage;
import io.github.reactivestorage.s3.S3StorageOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code postPolicy} through the base class's checks and every decorator, on an S3 mount that signs
 * offline (its endpoint is never contacted: signing does no I/O).
 */
class PostPolicyThroughDecoratorsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final S3ClientSettings settings = new S3ClientSettings("eu-west-1",
			URI.create("http://127.0.0.1:9"), true, "AKIDTEST", "secret", null, null, false, Duration.ofSeconds(1),
			Duration.ofSeconds(1));

	// one client for the class: building one takes seconds
	private static S3Storage s3;

	private final S3Storage s3Mount = s3;

	@BeforeAll
	static void open() {
		s3 = new S3Storage("media", settings.clientBuilder().build(), settings.presigner(), "bucket",
				S3StorageOptions.DEFAULTS, DefaultDataBufferFactory.sharedInstance, null);
	}

	@AfterAll
	static void close() {
		s3.unwrap(software.amazon.awssdk.services.s3.S3AsyncClient.class).close();
		s3.unwrap(software.amazon.awssdk.services.s3.presigner.S3Presigner.class).close();
	}

	@Test
	void s3SignsAFormForTheBucketUrlOfThePresigner() {
		PostPolicy policy = this.s3Mount.postPolicy(PostPolicyOptions.forKey("/a/b.txt").maxSize(10).build()).block(TIMEOUT);
		assertThat(this.s3Mount.supports(StorageCapability.POST_POLICY)).isTrue();
		assertThat(policy.url()).isEqualTo(URI.create("http://127.0.0.1:9/bucket"));
		assertThat(policy.key()).isEqualTo("a/b.txt");
		assertThat(policy.fields()).containsEntry("key", "a/b.txt");
		assertThat(policy.fields().get("x-amz-credential")).startsWith("AKIDTEST/").endsWith("/eu-west-1/s3/aws4_request");
		assertThat(json(policy)).contains("[\"content-length-range\",0,10]");
	}

	@Test
	void aPrefixedMountSignsOnlyKeysUnderItsPrefix() {
		ReactiveStorage prefixed = new PrefixedStorage(this.s3Mount, "tenant-1");
		PostPolicy exact = prefixed.postPolicy(PostPolicyOptions.forKey("photo.png").build()).block(TIMEOUT);
		assertThat(exact.key()).isEqualTo("photo.png");
		assertThat(exact.fields()).containsEntry("key", "tenant-1/photo.png");
		assertThat(json(exact)).contains("{\"key\":\"tenant-1/photo.png\"}");

		PostPolicy under = prefixed.postPolicy(PostPolicyOptions.forPrefix("in/").build()).block(TIMEOUT);
		assertThat(under.keyPrefix()).isEqualTo("in/");
		assertThat(under.fields()).containsEntry("key", "tenant-1/in/${filename}");
		assertThat(json(under)).contains("[\"starts-with\",\"$key\",\"tenant-1/in/\"]");

		PostPolicy whole = prefixed.postPolicy(PostPolicyOptions.forPrefix("").build()).block(TIMEOUT);
		assertThat(json(whole)).contains("[\"starts-with\",\"$key\",\"tenant-1/\"]");
	}

	@ParameterizedTest
	@ValueSource(strings = { "../escape", "a/../../b", "a//b", "", "a/", "nul\u0000", "a/${filename}", "\ud800" })
	void hostileKeysAreRefusedBeforeSigningOnEveryLayer(String key) {
		for (ReactiveStorage storage : layers()) {
			StepVerifier.create(storage.postPolicy(PostPolicyOptions.forKey(key).build()))
				.expectError(InvalidKeyException.class)
				.verify(TIMEOUT);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "nul\u0000", "${filename}", "x/${filename}/", "\ud800" })
	void hostilePrefixesAreRefusedOnEveryLayer(String prefix) {
		for (ReactiveStorage storage : layers()) {
			StepVerifier.create(storage.postPolicy(PostPolicyOptions.forPrefix(prefix).build()))
				.expectError(InvalidKeyException.class)
				.verify(TIMEOUT);
		}
	}

	@Test
	void metadataAndExpiryFollowTheRulesOfPutAndUrl() {
		StepVerifier.create(this.s3Mount.postPolicy(PostPolicyOptions.forKey("k").metadata(Map.of("Bad Key", "v")).build()))
			.expectError(InvalidMetadataException.class)
			.verify(TIMEOUT);
		StepVerifier.create(this.s3Mount.postPolicy(PostPolicyOptions.forKey("k").expiry(Duration.ofDays(8)).build()))
			.expectError(IllegalArgumentException.class)
			.verify(TIMEOUT);
	}

	@Test
	void aReadOnlyMountRefusesAndDoesNotDeclareTheCapability() {
		ReactiveStorage readOnly = new ReadOnlyStorage(this.s3Mount);
		assertThat(readOnly.supports(StorageCapability.POST_POLICY)).isFalse();
		StepVerifier.create(readOnly.postPolicy(PostPolicyOptions.forKey("k").build()))
			.expectError(StoragePermissionException.class)
			.verify(TIMEOUT);
		StepVerifier.create(readOnly.postPolicy(PostPolicyOptions.forPrefix("p/").build()))
			.expectError(StoragePermissionException.class)
			.verify(TIMEOUT);
	}

	@Test
	void observedAndResilientMountsForwardToTheBackend() {
		ReactiveStorage observed = new ObservedStorage(this.s3Mount, ObservationRegistry.NOOP, "s3", ByteCounter.NONE);
		ReactiveStorage resilient = new ResilientStorage(this.s3Mount, ResilienceSettings.NONE);
		for (ReactiveStorage storage : new ReactiveStorage[] { observed, resilient }) {
			assertThat(storage.postPolicy(PostPolicyOptions.forKey("k").build()).block(TIMEOUT).fields())
				.containsEntry("key", "k");
		}
	}

	@Test
	void aBackendWithoutTheCapabilitySaysSo() {
		MemoryStorage memory = new MemoryStorage("m");
		StepVerifier.create(memory.postPolicy(PostPolicyOptions.forKey("k").build()))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(UnsupportedStorageOperationException.class)
				.hasMessageContaining("POST_POLICY"))
			.verify(TIMEOUT);
	}

	@Test
	void aPutUrlBindingWhatTheBackendCannotBindFailsInsteadOfIgnoringIt() {
		UnboundUrls storage = new UnboundUrls();
		StepVerifier.create(storage.url("k", UrlOptions.put(Duration.ofMinutes(1)).withContentLength(5)))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(UnsupportedStorageOperationException.class)
				.hasMessageContaining("content length"))
			.verify(TIMEOUT);
		StepVerifier.create(storage.url("k", UrlOptions.put(Duration.ofMinutes(1))
			.withChecksum(UrlOptions.Checksum.MD5, Base64.getEncoder().encodeToString(new byte[16]))))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(UnsupportedStorageOperationException.class)
				.hasMessageContaining("MD5"))
			.verify(TIMEOUT);
		assertThat(storage.url("k", UrlOptions.put(Duration.ofMinutes(1))).block(TIMEOUT)).hasScheme("https");
	}

	/** A backend that signs PUT URLs but binds nothing beyond the content type. */
	private static final class UnboundUrls extends MemoryStorage {

		UnboundUrls() {
			super("unbound");
		}

		@Override
		public java.util.Set<StorageCapability> capabilities() {
			java.util.Set<StorageCapability> capabilities = java.util.EnumSet.copyOf(super.capabilities());
			capabilities.add(StorageCapability.URL_PUT);
			return capabilities;
		}

		@Override
		protected reactor.core.publisher.Mono<URI> doUrl(String key, UrlOptions options) {
			return reactor.core.publisher.Mono.just(URI.create("https://example.invalid/" + key));
		}

	}

	@Test
	void s3PutUrlsSignTheBoundHeaders() {
		String sha256 = Base64.getEncoder().encodeToString(new byte[32]);
		URI url = this.s3Mount
			.url("k", UrlOptions.put(Duration.ofMinutes(1), "text/plain").withContentLength(5)
				.withChecksum(UrlOptions.Checksum.SHA256, sha256))
			.block(TIMEOUT);
		String signed = java.net.URLDecoder.decode(url.getRawQuery(), StandardCharsets.UTF_8);
		assertThat(signed).containsPattern("X-Amz-SignedHeaders=[^&]*content-length")
			.containsPattern("X-Amz-SignedHeaders=[^&]*content-type")
			.containsPattern("X-Amz-SignedHeaders=[^&]*x-amz-checksum-sha256");
	}

	private ReactiveStorage[] layers() {
		return new ReactiveStorage[] { this.s3Mount, new PrefixedStorage(this.s3Mount, "tenant"),
				new ReadOnlyStorage(new PrefixedStorage(this.s3Mount, "tenant")),
				new ResilientStorage(this.s3Mount, ResilienceSettings.NONE) };
	}

	private static String json(PostPolicy policy) {
		return new String(Base64.getDecoder().decode(policy.fields().get("policy")), StandardCharsets.UTF_8);
	}

}
