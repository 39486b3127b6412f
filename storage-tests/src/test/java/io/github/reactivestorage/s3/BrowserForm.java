package io.github.reactivestorage.s3;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import reactor.netty.http.client.HttpClient;

import io.github.reactivestorage.PostPolicy;

/**
 * Posts a {@link PostPolicy} the way a browser's form does: a {@code multipart/form-data} POST with the
 * policy's fields in their order and the file last (Reactor Netty's form encoder).
 */
public final class BrowserForm {

	private BrowserForm() {
	}

	/** The response of a form POST. */
	public record Response(int status, String body) {
	}

	/** Post the policy's fields, with the overrides replacing or adding fields, then the file. */
	public static Response post(PostPolicy policy, Map<String, String> overrides, String filename, String contentType,
			byte[] content) {
		return post(policy.url(), policy.fields(), overrides, policy.fileField(), filename, contentType, content);
	}

	public static Response post(URI url, Map<String, String> fields, Map<String, String> overrides, String fileField,
			String filename, String contentType, byte[] content) {
		return HttpClient.create()
			.responseTimeout(Duration.ofSeconds(30))
			.post()
			.uri(url)
			.sendForm((request, form) -> {
				form.multipart(true);
				fields.forEach((name, value) -> form.attr(name, overrides.getOrDefault(name, value)));
				overrides.forEach((name, value) -> {
					if (!fields.containsKey(name)) {
						form.attr(name, value);
					}
				});
				form.file(fileField, filename, new ByteArrayInputStream(content), contentType);
			})
			.responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.map(text -> new Response(response.status().code(), text)))
			.block(Duration.ofSeconds(60));
	}

}
