package io.github.reactivestorage.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A 128-bit hash of the content for memory etags: the MurmurHash3 x64 128-bit mixing, an order of
 * magnitude cheaper than MD5 on small objects. Equal bytes give equal etags on every memory mount,
 * and a change of content changes the etag but for a chance of 2<sup>-128</sup> for content that is
 * not crafted to collide (as with MD5, which is not collision-resistant either).
 */
final class ContentHash {

	private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	private static final long C1 = 0x87c37b91114253d5L;

	private static final long C2 = 0x4cf5ad432745937fL;

	private ContentHash() {
	}

	/** 32 lowercase hex digits. */
	static String hex(byte[] content) {
		long h1 = 0;
		long h2 = 0;
		int blocks = content.length / 16;
		for (int i = 0; i < blocks; i++) {
			long k1 = (long) LONG.get(content, i * 16);
			long k2 = (long) LONG.get(content, i * 16 + 8);
			h1 ^= mixK1(k1);
			h1 = Long.rotateLeft(h1, 27) + h2;
			h1 = h1 * 5 + 0x52dce729;
			h2 ^= mixK2(k2);
			h2 = Long.rotateLeft(h2, 31) + h1;
			h2 = h2 * 5 + 0x38495ab5;
		}
		int tail = blocks * 16;
		long k1 = 0;
		long k2 = 0;
		for (int i = content.length - 1; i >= tail; i--) {
			long b = content[i] & 0xFFL;
			int offset = i - tail;
			if (offset >= 8) {
				k2 |= b << (8 * (offset - 8));
			}
			else {
				k1 |= b << (8 * offset);
			}
		}
		if (content.length - tail > 8) {
			h2 ^= mixK2(k2);
		}
		if (content.length > tail) {
			h1 ^= mixK1(k1);
		}
		h1 ^= content.length;
		h2 ^= content.length;
		h1 += h2;
		h2 += h1;
		h1 = fmix(h1);
		h2 = fmix(h2);
		h1 += h2;
		h2 += h1;
		return hex16(h1) + hex16(h2);
	}

	private static long mixK1(long k) {
		return Long.rotateLeft(k * C1, 31) * C2;
	}

	private static long mixK2(long k) {
		return Long.rotateLeft(k * C2, 33) * C1;
	}

	private static long fmix(long k) {
		k ^= k >>> 33;
		k *= 0xff51afd7ed558ccdL;
		k ^= k >>> 33;
		k *= 0xc4ceb9fe1a85ec53L;
		k ^= k >>> 33;
		return k;
	}

	private static String hex16(long value) {
		String digits = Long.toHexString(value);
		return "0".repeat(16 - digits.length()) + digits;
	}

}
