package io.github.reactivestorage.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ETagsTests {

	@Test
	void opaqueEtagsBecomeStrongEntityTags() {
		assertThat(ETags.strong("abc")).isEqualTo("\"abc\"");
		assertThat(ETags.strong("d41d8cd98f00b204e9800998ecf8427e-3")).isEqualTo("\"d41d8cd98f00b204e9800998ecf8427e-3\"");
		assertThat(ETags.strong("0x8DC1A2B3C4D5E6F")).isEqualTo("\"0x8DC1A2B3C4D5E6F\"");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "*", "a\"b", "\"abc\"", "a b", "a\r\nX-Evil: 1", "\u0000", "é", "a\u007f" })
	void valuesNoEntityTagCanHoldAreRefused(String etag) {
		assertThat(ETags.strong(etag)).isNull();
	}

	@Test
	void opaqueDropsQuotesAndTheWeakPrefix() {
		assertThat(ETags.opaque("W/\"abc\"")).isEqualTo("abc");
		assertThat(ETags.opaque("\"abc\"")).isEqualTo("abc");
		assertThat(ETags.opaque("\"\"")).isNull();
	}

}
