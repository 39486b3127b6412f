package io.github.reactivestorage;

import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A signed form for a browser upload straight to the backend, from
 * {@link ReactiveStorage#postPolicy(PostPolicyOptions)}: send a {@code multipart/form-data} POST to
 * {@link #url()} with every one of {@link #fields()} in their order, then the file as the part named
 * {@link #fileField()} (last: the backends ignore fields after the file). The backend, not this
 * library, enforces the policy: expiry, key or prefix, size range, content type, metadata.
 *
 * <p>{@link #key()} and {@link #keyPrefix()} are as the mount's users see them; the form fields
 * carry the backend's own names (a {@code prefix:} mount's prefix included).
 *
 * @param url where the form is posted
 * @param fields the form fields, in the order they must be sent
 * @param fileField the name of the file part
 * @param expiration when the policy stops being accepted
 * @param key the exact key, or {@code null} for a prefix policy
 * @param keyPrefix the key prefix, or {@code null} for an exact-key policy
 */
public record PostPolicy(URI url, Map<String, String> fields, String fileField, Instant expiration,
		@Nullable String key, @Nullable String keyPrefix) {

	public PostPolicy {
		Objects.requireNonNull(url, "url must not be null");
		fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
	}

	/** Always {@code POST}. */
	public String method() {
		return "POST";
	}

	/** This policy with the keys users see replaced (fields unchanged). */
	public PostPolicy withKeys(@Nullable String key, @Nullable String keyPrefix) {
		return new PostPolicy(this.url, this.fields, this.fileField, this.expiration, key, keyPrefix);
	}

	/** Does not print the signature or credentials. */
	@Override
	public String toString() {
		return "PostPolicy[" + this.url + ", " + ((this.key != null) ? "key=" + this.key : "prefix=" + this.keyPrefix)
				+ ", expiration=" + this.expiration + "]";
	}

}
