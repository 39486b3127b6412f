package io.github.reactivestorage.autoconfigure.web.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.jspecify.annotations.Nullable;

/**
 * Generates hostile key, prefix and start-after values as raw (still encoded) request parts, and
 * says what one strict decoding makes of them: the test's own oracle, written independently of the
 * code under test.
 */
final class HostileInputs {

	static final String[] SEGMENTS = { "a", "b", "docs", "é", "日本", "🎉", "~", "a b", "x.txt", "..x", ".hidden", "a..",
			"...", "back\\slash", "..\\", "\\..", "q?x=1&y", "#frag", "+plus", "semi;colon", "Ünï", "ключ", "%2e%2e",
			"%2e", "%c0%ae", ".storage", ".STORAGE", ".Storage", ".storagex", ".stor", "L".repeat(300), "é".repeat(150),
			".", "..", ".", "..", "\u0000", "\r\n", "\u007f", "\t", "\u001f", "a\u0000b" };

	/** Fragments that no strict decoder accepts: malformed escapes and invalid UTF-8. */
	static final String[] BROKEN = { "%C0%AE", "%c0%ae", "%C0%AE%C0%AE", "%FF", "%ED%A0%80", "%E2%82", "%u002e",
			"%2", "%zz", "%e0%80%ae", "%F8%80%80%80%AE", "%80" };

	private final Random random;

	HostileInputs(long seed) {
		this.random = new Random(seed);
	}

	Random random() {
		return this.random;
	}

	/** A logical key or prefix: 1 to 4 segments, sometimes with slashes in odd places. */
	String logical(List<String> known) {
		return logical(known, 5);
	}

	/**
	 * A logical key; one in {@code deriveOneIn} is a child or parent of a known key (S3Proxy answers
	 * such clashes slowly, with retried 500s, so the S3 mounts get fewer of them).
	 */
	String logical(List<String> known, int deriveOneIn) {
		if (!known.isEmpty() && this.random.nextInt(deriveOneIn) == 0) {
			// a key that is also another key's directory, or the other way round
			String base = known.get(this.random.nextInt(known.size()));
			return this.random.nextBoolean() ? base + "/" + pick(SEGMENTS) : parent(base);
		}
		int count = 1 + this.random.nextInt(4);
		StringBuilder value = new StringBuilder();
		switch (this.random.nextInt(12)) {
			case 0 -> value.append('/');
			case 1 -> value.append("//");
			default -> {
			}
		}
		for (int i = 0; i < count; i++) {
			if (i > 0) {
				value.append(this.random.nextInt(15) == 0 ? "//" : "/");
			}
			value.append(pick(SEGMENTS));
		}
		if (this.random.nextInt(6) == 0) {
			value.append('/');
		}
		return value.toString();
	}

	/** A listing prefix: often the start of a stored key (cut anywhere), so that listings return entries. */
	String prefix(List<String> known) {
		int choice = this.random.nextInt(10);
		if (choice < 4 && !known.isEmpty()) {
			String key = known.get(this.random.nextInt(known.size()));
			return key.substring(0, this.random.nextInt(key.length() + 1));
		}
		return (choice == 4) ? "" : logical(known);
	}

	private static String parent(String key) {
		int slash = key.lastIndexOf('/');
		return (slash > 0) ? key.substring(0, slash) : key + "/x";
	}

	/** Encode for the request: every byte outside a few safe characters percent-encoded, in a random style. */
	String encode(String logical, boolean query) {
		int style = this.random.nextInt(6);
		StringBuilder raw = new StringBuilder();
		for (byte b : logical.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xFF;
			boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_' || c == '~' || c == '.' || c == '/';
			if (style == 0 && (c == '.' || c == '/')) {
				safe = false; // %2e%2e and %2F: the same after one decoding
			}
			if (style == 1 && c == '.') {
				raw.append("%252e"); // double encoding: a literal "%2e", never a dot segment
				continue;
			}
			if (style == 2 && c == '/') {
				raw.append(this.random.nextBoolean() ? "%2f" : "%2F");
				continue;
			}
			if (style == 3 && c == '.' && this.random.nextInt(3) == 0) {
				raw.append("%c0%ae"); // overlong dot
				continue;
			}
			if (safe) {
				raw.append((char) c);
			}
			else {
				String hex = String.format("%%%02X", c);
				raw.append(this.random.nextBoolean() ? hex : hex.toLowerCase(Locale.ROOT));
			}
		}
		if (this.random.nextInt(10) == 0) {
			int at = this.random.nextInt(raw.length() + 1);
			while (at > 0 && at < raw.length() && raw.charAt(at - 1) == '%') {
				at--;
			}
			raw.insert(at, pick(BROKEN));
		}
		return raw.toString();
	}

	String pick(String[] values) {
		return values[this.random.nextInt(values.length)];
	}

	<T> T pick(List<T> values) {
		return values.get(this.random.nextInt(values.size()));
	}

	// ---- the oracle ----

	/** One strict percent-decoding of an ASCII raw value, or null if it is malformed or not UTF-8. */
	static @Nullable String decodeOnce(String raw, boolean plusIsSpace) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c == '%') {
				if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
						|| Character.digit(raw.charAt(i + 2), 16) < 0) {
					return null;
				}
				bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
				i += 2;
			}
			else if (c > 0x7F) {
				return null;
			}
			else {
				bytes.write((plusIsSpace && c == '+') ? ' ' : c);
			}
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.toByteArray()))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	/** The contract's key rules, restated; {@code maxBytes} leaves room for a mount's prefix. */
	static boolean validKey(String key, int maxBytes) {
		String k = key.startsWith("/") ? key.substring(1) : key;
		if (k.isEmpty() || k.getBytes(StandardCharsets.UTF_8).length > maxBytes || hasControl(k)) {
			return false;
		}
		for (String segment : k.split("/", -1)) {
			if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
				return false;
			}
		}
		return true;
	}

	/** The prefix rules: complete segments as in keys, the last (partial) one neither '.' nor '..'. */
	static boolean validPrefix(String prefix, int maxBytes) {
		String p = prefix.startsWith("/") ? prefix.substring(1) : prefix;
		if (p.getBytes(StandardCharsets.UTF_8).length > maxBytes || hasControl(p)) {
			return false;
		}
		String[] segments = p.split("/", -1);
		for (int i = 0; i < segments.length; i++) {
			String segment = segments[i];
			if ((segment.isEmpty() && i < segments.length - 1 && !p.isEmpty()) || segment.equals(".")
					|| segment.equals("..")) {
				return false;
			}
		}
		return true;
	}

	/** Filesystem rules on top: segments of at most 255 bytes, a first segment .storage at the root. */
	static boolean validOnFilesystem(String value, boolean atTheRoot) {
		String v = value.startsWith("/") ? value.substring(1) : value;
		String[] segments = v.split("/", -1);
		if (atTheRoot && segments[0].equals(".storage")) {
			return false;
		}
		for (String segment : segments) {
			if (segment.getBytes(StandardCharsets.UTF_8).length > 255) {
				return false;
			}
		}
		return true;
	}

	/** A first segment that is the reserved name in another case: refused or not, both are fine. */
	static boolean reservedInAnotherCase(String value) {
		String v = value.startsWith("/") ? value.substring(1) : value;
		String first = v.split("/", -1)[0];
		return first.equalsIgnoreCase(".storage") && !first.equals(".storage");
	}

	private static boolean hasControl(String value) {
		return value.chars().anyMatch(c -> c < 0x20 || c == 0x7F);
	}

	static List<String> keysOf(String json) {
		List<String> keys = new ArrayList<>();
		int at = 0;
		while ((at = json.indexOf("\"key\":\"", at)) >= 0) {
			at += 7;
			StringBuilder key = new StringBuilder();
			while (json.charAt(at) != '"') {
				char c = json.charAt(at++);
				if (c == '\\') {
					char e = json.charAt(at++);
					switch (e) {
						case 'u' -> {
							key.append((char) Integer.parseInt(json.substring(at, at + 4), 16));
							at += 4;
						}
						case 'n' -> key.append('\n');
						case 'r' -> key.append('\r');
						case 't' -> key.append('\t');
						case 'b' -> key.append('\b');
						case 'f' -> key.append('\f');
						default -> key.append(e);
					}
				}
				else {
					key.append(c);
				}
			}
			keys.add(key.toString());
		}
		return keys;
	}

}
