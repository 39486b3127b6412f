package io.github.reactivestorage.autoconfigure.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.memory.MemoryStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stored objects a browser would run (XSS through uploaded HTML, SVG, XML, JavaScript) are served as
 * sandboxed attachments; every answer carries {@code nosniff}.
 */
class StorageEndpointsActiveContentSecurityTests {

	private final MemoryStorage storage = new MemoryStorage("files");

	private WebTestClient client(List<String> inlineTypes) {
		StorageWebProperties properties = new StorageWebProperties();
		properties.setMounts(List.of("files"));
		properties.setInlineTypes(inlineTypes);
		StorageHandler handler = new StorageHandler(new StorageMounts(Map.of("files", this.storage), "files"), properties);
		return WebTestClient.bindToRouterFunction(StorageRoutes.routes("/storage", handler)).build();
	}

	private WebTestClient client() {
		return client(new StorageWebProperties().getInlineTypes());
	}

	private void seed(String key, String contentType) {
		this.storage.put(key, "<script>alert(document.domain)</script>".getBytes(StandardCharsets.UTF_8),
				PutOptions.builder().contentType(contentType).build()).block();
	}

	@ParameterizedTest
	@ValueSource(strings = { "text/html", "text/html; charset=utf-8", "TEXT/HTML", "application/xhtml+xml",
			"image/svg+xml", "text/xml", "application/xml", "application/rss+xml", "application/mathml+xml",
			"text/javascript", "application/javascript", "application/x-javascript", "application/ecmascript",
			"text/xsl", "application/pdf", "application/x-shockwave-flash", "multipart/x-mixed-replace",
			"message/rfc822", "application/octet-stream", "application/x-unknown", "text/x-component",
			"not a media type" })
	void activeOrUnlistedTypesAreSandboxedAttachments(String contentType) {
		seed("evil/page", contentType);
		for (WebTestClient.ResponseSpec response : List.of(client().get().uri("/storage/files/evil/page").exchange(),
				client().head().uri("/storage/files/evil/page").exchange(),
				client().get().uri("/storage/files/evil/page").header(HttpHeaders.RANGE, "bytes=0-3").exchange())) {
			response.expectStatus().is2xxSuccessful()
				.expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
				.expectHeader().valueEquals("Content-Security-Policy", "sandbox")
				.expectHeader().valueEquals(HttpHeaders.CONTENT_DISPOSITION,
						"attachment; filename=\"page\"; filename*=UTF-8''page");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "image/png", "image/jpeg", "video/mp4", "audio/mpeg", "text/plain; charset=utf-8",
			"application/json" })
	void allowListedPassiveTypesAreInlineWithNosniff(String contentType) {
		seed("ok/file", contentType);
		client().get().uri("/storage/files/ok/file").exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
			.expectHeader().doesNotExist("Content-Security-Policy")
			.expectHeader().doesNotExist(HttpHeaders.CONTENT_DISPOSITION);
	}

	@Test
	void aBroadAllowListEntryNeverLetsActiveTypesInline() {
		seed("page.html", "text/html");
		seed("drawing.svg", "image/svg+xml");
		seed("notes.txt", "text/plain");
		WebTestClient client = client(List.of("text/*", "image/*", "*/*"));
		for (String key : List.of("page.html", "drawing.svg")) {
			client.get().uri("/storage/files/" + key).exchange()
				.expectHeader().valueEquals("Content-Security-Policy", "sandbox")
				.expectHeader().valueMatches(HttpHeaders.CONTENT_DISPOSITION, "attachment;.*");
		}
		client.get().uri("/storage/files/notes.txt").exchange().expectHeader().doesNotExist(HttpHeaders.CONTENT_DISPOSITION);
	}

	@Test
	void anEmptyAllowListServesEverythingAsAttachment() {
		seed("photo.png", "image/png");
		client(List.of()).get().uri("/storage/files/photo.png").exchange()
			.expectHeader().valueEquals("Content-Security-Policy", "sandbox")
			.expectHeader().valueMatches(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"photo.png\".*");
	}

	@Test
	void downloadParameterKeepsItsDispositionAndStillSandboxes() {
		seed("r\u00e9sum\u00e9.html", "text/html");
		client().get().uri(java.net.URI.create("/storage/files/r%C3%A9sum%C3%A9.html?download")).exchange()
			// the ASCII fallback is the one Spring's ContentDisposition builds
			.expectHeader().valueMatches(HttpHeaders.CONTENT_DISPOSITION,
					"attachment; filename=\"[ -~&&[^\"]]+\\.html\"; filename\\*=UTF-8''r%C3%A9sum%C3%A9\\.html")
			.expectHeader().valueEquals("Content-Security-Policy", "sandbox");
	}

	@Test
	void everyKindOfAnswerCarriesNosniff() {
		seed("a.png", "image/png");
		String etag = "\"" + this.storage.info("a.png").block().etag() + "\"";
		WebTestClient client = client();
		List<WebTestClient.ResponseSpec> answers = List.of(
				client.get().uri("/storage/files?prefix=").exchange(),
				client.get().uri("/storage/files/missing.txt").exchange(),
				client.get().uri("/storage/files/a.png").header(HttpHeaders.IF_NONE_MATCH, etag).exchange(),
				client.put().uri("/storage/files/b.txt").bodyValue("b").exchange(),
				client.delete().uri("/storage/files/b.txt").exchange(),
				client.get().uri("/storage/nowhere/x").exchange(),
				client.put().uri(java.net.URI.create("/storage/files/a/%2e%2e/b")).bodyValue("x").exchange());
		assertThat(answers).hasSize(7);
		for (WebTestClient.ResponseSpec answer : answers) {
			answer.expectHeader().valueEquals("X-Content-Type-Options", "nosniff");
		}
	}

	@Test
	void activeTypesAreRecognisedWithoutTheAllowList() {
		ActiveContentPolicy policy = new ActiveContentPolicy(List.of("*/*"));
		assertThat(policy.isInline("image/svg+xml")).isFalse();
		assertThat(policy.isInline("application/vnd.foo+xml")).isFalse();
		assertThat(policy.isInline(null)).isFalse();
		assertThat(policy.isInline("image/png")).isTrue();
	}

}
