package io.github.reactivestorage.autoconfigure.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import io.github.reactivestorage.InvalidKeyException;

/**
 * Percent-decoding that refuses what it cannot decode exactly: a {@code %} not followed by two hex
 * digits, and bytes that are not well-formed UTF-8 (overlong forms such as {@code %C0%AE}, {@code %FF},
 * encoded surrogates such as {@code %ED%A0%80}, truncated sequences) are an
 * {@link InvalidKeyException}. Spring's helpers ({@code UriUtils.decode}, and {@code URLDecoder}
 * behind {@code ServerRequest.queryParam}) replace malformed UTF-8 with U+FFFD, which would turn
 * different hostile inputs into one valid-looking key; hence this small decoder of our own.
 */
final class StrictUriDecoding {

	private StrictUriDecoding() {
	}

	/**
	 * Decode a raw path (or path segment): every {@code %XX} once, {@code +} stays literal.
	 * @param what what the value is, for the error message ("path")
	 */
	static String decodePath(String raw, String what) {
		return decode(raw, false, what);
	}

	/**
	 * The first value of a query parameter in a raw (still encoded) query string, decoded as HTML
	 * forms encode ({@code +} is a space, as Spring's {@code queryParam} reads it), or {@code null}
	 * if the parameter is absent. A parameter without {@code =} has the empty value.
	 */
	static @Nullable String queryParam(@Nullable String rawQuery, String name) {
		if (rawQuery == null || rawQuery.isEmpty()) {
			return null;
		}
		int start = 0;
		while (start <= rawQuery.length()) {
			int end = rawQuery.indexOf('&', start);
			if (end < 0) {
				end = rawQuery.length();
			}
			String pair = rawQuery.substring(start, end);
			int equals = pair.indexOf('=');
			String rawName = (equals >= 0) ? pair.substring(0, equals) : pair;
			if (!rawName.isEmpty() && decode(rawName, true, "query parameter name").equals(name)) {
				return (equals >= 0) ? decode(pair.substring(equals + 1), true, "query parameter '" + name + "'") : "";
			}
			start = end + 1;
		}
		return null;
	}

	private static String decode(String raw, boolean plusIsSpace, String what) {
		if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0)) {
			return raw;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
		int literalStart = 0;
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c != '%' && !(plusIsSpace && c == '+')) {
				continue;
			}
			encodeLiteral(raw, literalStart, i, bytes, what);
			if (c == '+') {
				bytes.write(' ');
				literalStart = i + 1;
				continue;
			}
			int high = (i + 2 < raw.length()) ? Character.digit(raw.charAt(i + 1), 16) : -1;
			int low = (high >= 0) ? Character.digit(raw.charAt(i + 2), 16) : -1;
			if (low < 0) {
				throw new InvalidKeyException("Malformed percent-encoding in the " + what);
			}
			bytes.write((high << 4) | low);
			i += 2;
			literalStart = i + 1;
		}
		encodeLiteral(raw, literalStart, raw.length(), bytes, what);
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.toByteArray()))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new InvalidKeyException("The " + what + " is not valid UTF-8 once percent-decoded");
		}
	}

	/** Characters between escapes are taken as they are (UTF-8), unpaired surrogates refused. */
	private static void encodeLiteral(String raw, int start, int end, ByteArrayOutputStream bytes, String what) {
		if (start >= end) {
			return;
		}
		try {
			ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.encode(CharBuffer.wrap(raw, start, end));
			bytes.write(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
		}
		catch (CharacterCodingException ex) {
			throw new InvalidKeyException("The " + what + " is not valid UTF-8");
		}
	}

}
