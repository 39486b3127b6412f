package io.github.reactivestorage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The API's value types: checked when built, immutable, and resolved by the contract's rules.
 */
class ValueTypesTests {

	@Test
	void rangesAreCheckedWhenBuilt() {
		assertThatIllegalArgumentException().isThrownBy(() -> ByteRange.of(5, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> ByteRange.of(-1, 3));
		assertThatIllegalArgumentException().isThrownBy(() -> ByteRange.from(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> ByteRange.last(-1));
	}

	@Test
	void rangesResolveAgainstTheSize() {
		assertThat(ByteRange.of(2, 5).resolve(10)).containsExactly(2, 5);
		assertThat(ByteRange.of(8, 100).resolve(10)).containsExactly(8, 9);
		assertThat(ByteRange.last(100).resolve(10)).containsExactly(0, 9);
		assertThat(ByteRange.from(9).resolve(10)).containsExactly(9, 9);
		assertThatExceptionOfType(InvalidRangeException.class).isThrownBy(() -> ByteRange.from(10).resolve(10));
		assertThatExceptionOfType(InvalidRangeException.class).isThrownBy(() -> ByteRange.last(0).resolve(10));
		// RFC 9110: a suffix of an empty object is the empty representation; any other range of it is not
		assertThat(ByteRange.last(3).resolve(0)).containsExactly(0, -1);
		assertThatExceptionOfType(InvalidRangeException.class).isThrownBy(() -> ByteRange.from(0).resolve(0));
		assertThatExceptionOfType(InvalidRangeException.class).isThrownBy(() -> ByteRange.of(0, 0).resolve(0));
	}

	@Test
	void rangesParseHttpSpecs() {
		assertThat(ByteRange.parse("0-99")).isEqualTo(ByteRange.of(0, 99));
		assertThat(ByteRange.parse("100-")).isEqualTo(ByteRange.from(100));
		assertThat(ByteRange.parse("-500")).isEqualTo(ByteRange.last(500));
		assertThat(ByteRange.of(1, 2).toHttpHeaderValue()).isEqualTo("bytes=1-2");
		for (String bad : new String[] { "", "-", "a-b", "1-2-3", "5-1", "+1-2" }) {
			assertThatIllegalArgumentException().as(bad).isThrownBy(() -> ByteRange.parse(bad));
		}
	}

	@Test
	void listOptionsCheckLimitAndDelimiter() {
		assertThatIllegalArgumentException().isThrownBy(() -> ListOptions.builder().limit(0));
		assertThatIllegalArgumentException().isThrownBy(() -> ListOptions.builder().delimiter(""));
		ListOptions options = ListOptions.builder().prefix("p/").limit(5).startAfter("p/a").delimiter("/").build();
		assertThat(options.toBuilder().build()).isEqualTo(options);
		assertThat(ListOptions.all().hasLimit()).isFalse();
	}

	@Test
	void urlOptionsRefuseNonPositiveExpiry() {
		assertThatIllegalArgumentException().isThrownBy(() -> UrlOptions.get(Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> UrlOptions.put(Duration.ofSeconds(-1)));
		assertThat(UrlOptions.get().expiry()).isEqualTo(UrlOptions.DEFAULT_EXPIRY);
	}

	@Test
	void putOptionsAreImmutableCopies() {
		Map<String, String> metadata = new java.util.HashMap<>(Map.of("a", "1"));
		PutOptions options = PutOptions.builder().metadata(metadata).build();
		metadata.put("b", "2");
		assertThat(options.metadata()).containsOnlyKeys("a");
		assertThatIllegalArgumentException().isThrownBy(() -> PutOptions.builder().contentLength(-2));
	}

	@Test
	void storedObjectMetadataIsNeverNull() {
		StoredObject object = StoredObject.builder("k").metadata(null).build();
		assertThat(object.metadata()).isEmpty();
		assertThat(StoredObject.ofPrefix("p/").isPrefix()).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> StoredObject.builder("k").size(-1).build());
	}

	@Test
	void metadataRules() {
		assertThat(StorageMetadata.isPortableKey("owner_2")).isTrue();
		assertThat(StorageMetadata.isPortableKey("Owner")).isFalse();
		assertThatExceptionOfType(InvalidMetadataException.class)
			.isThrownBy(() -> StorageMetadata.validate(Map.of("k", "v".repeat(2048))));
		StorageMetadata.validate(Map.of("k", "v".repeat(2047)));
	}

	@Test
	void keyOrderIsUtf8ByteOrder() {
		List<String> keys = List.of("", "a", "a/", "a/b", "a0", "ab", "b", "\u007F", "\u00E9", "\uFFFD", "\uFF61",
				"\uD83D\uDE00", "\uD83D\uDE01", "\uD83D\uDE00a", "a\uD83D\uDE00", "a\uFFFD", "x\uD800\uDC00y",
				"x\uDBFF\uDFFFy", "x\uE000y");
		for (String a : keys) {
			for (String b : keys) {
				int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
						b.getBytes(StandardCharsets.UTF_8)));
				assertThat(Integer.signum(StorageKeys.compare(a, b))).as("%s vs %s", a, b).isEqualTo(expected);
			}
		}
	}

	@Test
	void keyRules() {
		assertThat(StorageKeys.normalize("/a/b")).isEqualTo("a/b");
		assertThat(StorageKeys.isValid("a//b")).isFalse();
		assertThat(StorageKeys.compare("\uFFFD", "\uD83D\uDE00")).isNegative();
		assertThat("\uFFFD".compareTo("\uD83D\uDE00")).isPositive();
		assertThat(StorageKeys.filename("a/b.txt")).isEqualTo("b.txt");
		assertThat(StorageKeys.normalizePrefix("/p/")).isEqualTo("p/");
		assertThatExceptionOfType(InvalidKeyException.class).isThrownBy(() -> StorageKeys.normalizePrefix("a\u0001"));
	}

	@Test
	void prefixRules() {
		assertThat(StorageKeys.normalizePrefix(null)).isEmpty();
		assertThat(StorageKeys.normalizePrefix("/")).isEmpty();
		for (String valid : new String[] { "a", "a/", "a/b", "a/.b", "..x", "a/..b/", "...", ".hidden/", "%2e%2e/",
				"p".repeat(1024) }) {
			assertThat(StorageKeys.normalizePrefix(valid)).as(valid).isEqualTo(valid);
		}
		for (String invalid : new String[] { ".", "..", "./", "../", "a/.", "a/..", "a/../", "a/./b", "/../", "//",
				"a//", "a//b", "a\u0000", "a\r\n", "\ud800", "p".repeat(1025) }) {
			assertThatExceptionOfType(InvalidKeyException.class).as(invalid)
				.isThrownBy(() -> StorageKeys.normalizePrefix(invalid));
		}
	}

	@Test
	void mountsLookUpByName() {
		ReactiveStorage a = new io.github.reactivestorage.memory.MemoryStorage("a");
		StorageMounts mounts = new StorageMounts(Map.of("a", a), null);
		assertThat(mounts.getDefault()).isSameAs(a);
		assertThatExceptionOfType(StorageConfigurationException.class).isThrownBy(() -> mounts.get("b"))
			.withMessageContaining("[a]");
		assertThatIllegalArgumentException().isThrownBy(() -> new StorageMounts(Map.of("a", a), "b"));
	}

}
