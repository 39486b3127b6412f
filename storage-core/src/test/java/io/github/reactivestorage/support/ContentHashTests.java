package io.github.reactivestorage.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContentHashTests {

	@Test
	void isMurmurHash3X64With128BitsAndSeedZero() {
		// published MurmurHash3_x64_128 values, h1 then h2
		assertThat(ContentHash.hex(new byte[0])).isEqualTo("00000000000000000000000000000000");
		assertThat(ContentHash.hex("hello".getBytes(StandardCharsets.US_ASCII)))
			.isEqualTo("cbd8a7b341bd9b025b1e906a48ae1d19");
	}

	@Test
	void valuesOfTheMemoryBackendsEarlierEtagsAreKept() {
		// computed with the whole-array implementation this class replaced
		Random random = new Random(42);
		int[] lengths = { 0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 100, 4096, 65537 };
		String[] expected = { "00000000000000000000000000000000", "0d4b8545ba5b58a5de6c0dea2824b4ab",
				"b307023da3aaec6979bb2a7347518e41", "ab8497f4755c2b1dcb4bb8c65c36bb43",
				"b8da0a016cfb7454c6523b3019a590a9", "a833d3d557271ce9fdc5e1fcc2a78e3c",
				"45077e5b70c4411635c4cf55550e1023", "451738ff054c4128fc61b1a4bd87aa60",
				"f87db0955317a4228ba725c13acd24b7", "836f195386228bc51179dd036e7801f8",
				"930c4fac61d973c7e11a5934a323ec8d", "3cf1d19e9ec4ea4f0708d65dfc90063f",
				"8147d95bc00534c3793fe545b40825a6", "ca3f40c0da94af6a67de5d01ccb6216f" };
		for (int i = 0; i < lengths.length; i++) {
			byte[] content = new byte[lengths[i]];
			random.nextBytes(content);
			assertThat(ContentHash.hex(content)).as("length %d", lengths[i]).isEqualTo(expected[i]);
		}
	}

	@Test
	void piecesOfAnySizeGiveTheHashOfTheWhole() {
		Random random = new Random(7);
		for (int round = 0; round < 300; round++) {
			byte[] content = new byte[random.nextInt(200)];
			random.nextBytes(content);
			ContentHash.Hasher hasher = ContentHash.hasher();
			int position = 0;
			int piece = 0;
			while (position < content.length) {
				int length = Math.min(content.length - position, random.nextInt(40));
				switch (piece++ % 3) {
					case 0 -> hasher.update(content, position, length);
					case 1 -> hasher.update(ByteBuffer.wrap(content, position, length));
					default -> {
						// a direct buffer, read from a position other than zero
						ByteBuffer direct = ByteBuffer.allocateDirect(length + 5);
						direct.position(5);
						direct.put(content, position, length);
						direct.position(5);
						hasher.update(direct);
						assertThat(direct.position()).isEqualTo(5);
					}
				}
				position += length;
			}
			assertThat(hasher.hex()).as("round %d, %d bytes", round, content.length)
				.isEqualTo(ContentHash.hex(content));
		}
	}

	@Test
	void readingTheHashDoesNotEndTheHasher() {
		byte[] content = "a content that is longer than one block".getBytes(StandardCharsets.US_ASCII);
		ContentHash.Hasher hasher = ContentHash.hasher().update(content, 0, 20);
		String half = hasher.hex();
		assertThat(hasher.hex()).isEqualTo(half);
		hasher.update(content, 20, content.length - 20);
		assertThat(hasher.hex()).isEqualTo(ContentHash.hex(content)).isNotEqualTo(half);
	}

}
