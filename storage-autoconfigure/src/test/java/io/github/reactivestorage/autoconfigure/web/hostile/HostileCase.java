package io.github.reactivestorage.autoconfigure.web.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.github.reactivestorage.StorageKeys;

/**
 * One request of the hostile suite and what must hold for its answer.
 *
 * @param method the HTTP method
 * @param mount the target mount
 * @param target the raw request target, sent byte for byte
 * @param logical what one decoding makes of the key or prefix (null if it cannot be decoded)
 * @param after what one decoding makes of the after value (null if none or undecodable)
 * @param expectation INVALID (400), VALID (2xx or 404; 409 for a filesystem clash), EITHER (400 or
 * valid: a reserved name in another case on the filesystem), LENIENT (any answer but a 5xx: raw bytes
 * that no well-formed client sends, which the HTTP layer may refuse before the endpoint)
 */
record HostileCase(String method, String mount, byte[] target, @Nullable String logical, @Nullable String after,
		String expectation) {

	private static final List<String> SENTINELS = List.of("SENTINEL-above.txt", "SENTINEL-two-up.txt",
			"SENTINEL-tenantb.txt", "SENTINEL-s3tenantb.txt", "SENTINEL-s3other.txt", "SENTINEL-fs.txt",
			"SENTINEL-tenant.txt");

	static HostileCase generate(HostileInputs inputs, String mount, List<String> known) {
		int op = inputs.random().nextInt(100);
		String logical = inputs.logical(known, mount.startsWith("s3") ? 25 : 5);
		int maxBytes = StorageKeys.MAX_KEY_BYTES - (StorageEndpointsHostileInputTests.isPrefixed(mount) ? 9 : 0);
		boolean filesystem = mount.equals("fs") || mount.equals("tenant");
		// the reserved directory is a first segment of the backend's keys: under a prefix: mount it is a user's name
		boolean reserved = mount.equals("fs");
		if (op < 65) {
			String method = (op < 30) ? "PUT" : (op < 50) ? "GET" : (op < 55) ? "HEAD" : "DELETE";
			String raw = inputs.encode(logical, false);
			String decoded = HostileInputs.decodeOnce(raw, false);
			String expectation = expect(decoded != null && HostileInputs.validKey(decoded, maxBytes), decoded,
					filesystem, reserved);
			return new HostileCase(method, mount, ascii("/storage/" + mount + "/" + raw), decoded, null, expectation);
		}
		StringBuilder query = new StringBuilder();
		String rawPrefix = inputs.encode(inputs.prefix(known), true);
		query.append("prefix=").append(rawPrefix);
		String prefix = HostileInputs.decodeOnce(rawPrefix, true);
		boolean valid = prefix != null && HostileInputs.validPrefix(prefix, maxBytes);
		boolean either = false;
		String after = null;
		if (inputs.random().nextBoolean()) {
			String rawAfter = inputs.encode(inputs.prefix(known), true);
			query.append("&after=").append(rawAfter);
			after = HostileInputs.decodeOnce(rawAfter, true);
			valid &= after != null && HostileInputs.validPrefix(after, maxBytes);
			if (filesystem && after != null) {
				valid &= HostileInputs.validOnFilesystem(after, reserved);
				either |= reserved && HostileInputs.reservedInAnotherCase(after);
			}
		}
		if (inputs.random().nextBoolean()) {
			query.append("&delimiter=%2F");
		}
		String limit = (inputs.random().nextInt(8) > 0) ? inputs.pick(new String[] { "", "", "1", "7", "1000", "10000" })
				: inputs.pick(new String[] { "0", "-1", "abc", "10001", "%FF", "1%00", "1.5" });
		if (!limit.isEmpty()) {
			query.append("&limit=").append(limit);
			valid &= Set.of("1", "7", "1000", "10000").contains(limit);
		}
		if (filesystem && prefix != null) {
			valid &= HostileInputs.validOnFilesystem(prefix, reserved);
			either |= reserved && HostileInputs.reservedInAnotherCase(prefix);
		}
		String expectation = !valid ? "INVALID" : either ? "EITHER" : "VALID";
		return new HostileCase("GET", mount, ascii("/storage/" + mount + "?" + query), prefix, after, expectation);
	}

	private static String expect(boolean valid, @Nullable String decoded, boolean filesystem, boolean reserved) {
		if (!valid) {
			return "INVALID";
		}
		if (filesystem && !HostileInputs.validOnFilesystem(decoded, reserved)) {
			return "INVALID";
		}
		return (reserved && HostileInputs.reservedInAnotherCase(decoded)) ? "EITHER" : "VALID";
	}

	/** Requests no encoder produces: raw bytes in the request line, hostile mount names. */
	static List<HostileCase> fixed() {
		List<HostileCase> cases = new ArrayList<>();
		for (String mount : List.of("mem", "fs", "tenant", "s3", "s3tenant")) {
			for (String raw : List.of("..\\..\\x", "a\\..\\..\\b", "%5c..%5c..%5cx", "a/\r\nX-Injected: 1", "a\u0000b",
					"é-raw", "a b", "../../SENTINEL-two-up.txt", "%2e%2e/%2e%2e/SENTINEL-two-up.txt", "..%2f..%2fx")) {
				cases.add(new HostileCase("GET", mount, rawBytes("/storage/" + mount + "/" + raw), null, null, "LENIENT"));
				cases.add(new HostileCase("GET", mount, rawBytes("/storage/" + mount + "?prefix=" + raw), null, null,
						"LENIENT"));
			}
		}
		for (String mount : List.of("..", "%2e%2e", "fs%2f..", "tenant%2f..%2ftenant-b", ".storage", "fs%00", "%FF")) {
			cases.add(new HostileCase("GET", mount, ascii("/storage/" + mount + "?prefix="), null, null, "LENIENT"));
			cases.add(new HostileCase("PUT", mount, ascii("/storage/" + mount + "/x"), null, null, "LENIENT"));
		}
		return cases;
	}

	/** What is wrong with the answer, or null if it is what the case must get. */
	@Nullable String check(RawHttp.Response response, boolean filesystem) {
		int status = response.status();
		if (status >= 500) {
			return "5xx " + status + " " + response.body();
		}
		if (this.expectation.equals("LENIENT")) {
			return (status == 200 || status == 201 || status == -1 || (status >= 400 && status < 500)) ? null
					: "unexpected " + status;
		}
		boolean invalid = status == 400;
		if (this.expectation.equals("INVALID")) {
			return invalid ? null : "expected 400, got " + status + " " + response.body();
		}
		boolean valid = switch (this.method) {
			case "PUT" -> status == 201 || (filesystem && status == 409);
			case "GET", "HEAD" -> isListing() ? status == 200 : (status == 200 || status == 404);
			case "DELETE" -> status == 204 || status == 404;
			default -> false;
		};
		if (!(valid || (this.expectation.equals("EITHER") && invalid))) {
			return "expected " + this.expectation + ", got " + status + " " + response.body();
		}
		if (status == 200 && isListing()) {
			return checkListing(response.body());
		}
		if (status == 201 && response.body().indexOf('\uFFFD') >= 0) {
			return "stored with U+FFFD";
		}
		return null;
	}

	/** Requests on one key (of one mount) run one after the other; see the test. */
	int lane(int lanes) {
		String key = (this.logical == null || isListing()) ? new String(this.target, StandardCharsets.ISO_8859_1)
				: this.logical.startsWith("/") ? this.logical.substring(1) : this.logical;
		return Math.floorMod((this.mount + "/" + key).hashCode(), lanes);
	}

	/** The method, or LIST for a listing. */
	String label() {
		return isListing() ? "LIST" : this.method;
	}

	boolean isListing() {
		String target = new String(this.target, StandardCharsets.ISO_8859_1);
		return target.startsWith("/storage/" + this.mount + "?");
	}

	private @Nullable String checkListing(String body) {
		for (String sentinel : SENTINELS) {
			if (body.contains(sentinel) && !sentinel.equals("SENTINEL-" + this.mount + ".txt")) {
				return "listing names " + sentinel;
			}
		}
		if (body.contains(".properties") || (this.mount.equals("fs") && body.contains("\"key\":\".storage/"))) {
			return "listing names the backend's own files";
		}
		String prefix = (this.logical == null) ? "" : this.logical.startsWith("/") ? this.logical.substring(1) : this.logical;
		for (String key : HostileInputs.keysOf(body)) {
			if (!key.startsWith(prefix) || key.indexOf('\uFFFD') >= 0) {
				return "listed key " + key + " outside the prefix " + prefix;
			}
			if (!StorageKeys.isValid(key.endsWith("/") ? key.substring(0, key.length() - 1) : key)) {
				return "listed invalid key " + key;
			}
			String after = (this.after == null || this.after.isEmpty()) ? null
					: this.after.startsWith("/") ? this.after.substring(1) : this.after;
			if (after != null && StorageKeys.compare(key, after) <= 0) {
				return "listed key " + key + " not after " + after;
			}
		}
		return null;
	}

	private static byte[] ascii(String target) {
		return target.getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] rawBytes(String target) {
		return target.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return this.method + " " + new String(this.target, StandardCharsets.UTF_8).replace("\r", "\\r")
			.replace("\n", "\\n")
			.replace("\u0000", "\\0") + " [" + this.expectation + "]";
	}

}
