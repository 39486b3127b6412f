package io.github.reactivestorage.conformance;

import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

/**
 * Listing prefixes and start-after values every backend must refuse with
 * {@code InvalidKeyException} before any I/O, and some it must accept although they look alike.
 */
final class HostileNames {

	private HostileNames() {
	}

	static Stream<Arguments> invalidPrefixes() {
		return Stream.of(Arguments.of("dot-dot", ".."), Arguments.of("dot-dot slash", "../"),
				Arguments.of("two levels up", "../../"), Arguments.of("up then sideways", "../neighbour/"),
				Arguments.of("leading slash then dot-dot", "/../"), Arguments.of("inner dot-dot", "a/../b"),
				Arguments.of("trailing partial dot-dot", "a/.."), Arguments.of("trailing dot-dot slash", "a/../"),
				Arguments.of("dot", "."), Arguments.of("dot slash", "./"), Arguments.of("inner dot", "a/./b"),
				Arguments.of("trailing partial dot", "a/."), Arguments.of("empty segment", "a//"),
				Arguments.of("two leading slashes", "//"), Arguments.of("NUL", "a\u0000"),
				Arguments.of("newline", "a\nb"), Arguments.of("carriage return", "a\r"),
				Arguments.of("DEL", "a\u007f"), Arguments.of("unpaired high surrogate", "a\ud800"),
				Arguments.of("unpaired low surrogate", "\udc00"), Arguments.of("1025 UTF-8 bytes", "p".repeat(1025)));
	}

	/** Prefixes that only look like dot segments: listed like any other. */
	static Stream<Arguments> validDottedPrefixes() {
		return Stream.of(Arguments.of("..x", "..x/in.txt"), Arguments.of("a/.b", "a/.b"),
				Arguments.of(".hidden/", ".hidden/f"), Arguments.of("a/..b/", "a/..b/c"),
				Arguments.of("...", ".../d"));
	}

}
