package io.github.reactivestorage.autoconfigure.web;

import org.junit.jupiter.api.Test;

import io.github.reactivestorage.InvalidKeyException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StrictUriDecodingTests {

	@Test
	void decodesEachEscapeOnceAndKeepsPlusInPaths() {
		assertThat(StrictUriDecoding.decodePath("a%2Fb+c%252e%C3%A9%F0%9F%8E%89", "path")).isEqualTo("a/b+c%2eé🎉");
		assertThat(StrictUriDecoding.decodePath("plain", "path")).isEqualTo("plain");
		assertThat(StrictUriDecoding.decodePath("%2e%2E", "path")).isEqualTo("..");
	}

	@Test
	void refusesMalformedEscapesAndInvalidUtf8() {
		for (String raw : new String[] { "%", "%2", "a%zz", "%u002e", "%C0%AE", "%c0%ae%c0%ae", "%FF", "%ED%A0%80",
				"%E2%82", "%80", "%F8%88%80%80%80", "%F4%90%80%80" }) {
			assertThatExceptionOfType(InvalidKeyException.class).as(raw)
				.isThrownBy(() -> StrictUriDecoding.decodePath(raw, "path"));
			assertThatExceptionOfType(InvalidKeyException.class).as(raw)
				.isThrownBy(() -> StrictUriDecoding.queryParam("prefix=" + raw, "prefix"));
		}
	}

	@Test
	void readsTheFirstValueOfAQueryParameterAsFormsEncodeIt() {
		assertThat(StrictUriDecoding.queryParam("a=1&prefix=x+y%2Bz&prefix=second", "prefix")).isEqualTo("x y+z");
		assertThat(StrictUriDecoding.queryParam("download&x=1", "download")).isEmpty();
		assertThat(StrictUriDecoding.queryParam("pre%66ix=v", "prefix")).isEqualTo("v");
		assertThat(StrictUriDecoding.queryParam("prefixes=v&=w&&", "prefix")).isNull();
		assertThat(StrictUriDecoding.queryParam(null, "prefix")).isNull();
		assertThat(StrictUriDecoding.queryParam("prefix=", "prefix")).isEmpty();
	}

	@Test
	void anotherParameterMayBeMalformedWithoutFailingThisOne() {
		assertThat(StrictUriDecoding.queryParam("prefix=ok&after=%FF", "prefix")).isEqualTo("ok");
	}

}
