package io.github.reactivestorage.support;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A 128-bit hash of an object's content for etags: the MurmurHash3 x64 128-bit function (seed 0),
 * several times cheaper than MD5. It is used by the memory and filesystem backends, so equal
 * content has the equal etag on both, and a change of content changes the etag but for a chance of
 * 2<sup>-128</sup> for content that is not crafted to collide (as with MD5, which is not
 * collision-resistant either). {@link #hex(byte[])} hashes a whole array; {@link #hasher()} hashes
 * content that arrives in pieces of any size, with the same result.
 */
public final class ContentHash {

	private static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	private static final VarHandle BUFFER_LONG = MethodHandles.byteBufferViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	private static final long C1 = 0x87c37b91114253d5L;

	private static final long C2 = 0x4cf5ad432745937fL;

	private ContentHash() {
	}

	/** The hash of the whole array, 32 lowercase hex digits. */
	public static String hex(byte[] content) {
		Hasher hasher = new Hasher();
		hasher.update(content, 0, content.length);
		return hasher.hex();
	}

	/** A hasher for content that arrives in pieces. */
	public static Hasher hasher() {
		return new Hasher();
	}

	/** Hashes content fed in pieces; not thread-safe (feed it from one thread at a time). */
	public static final class Hasher {

		private long h1;

		private long h2;

		private long length;

		/** Bytes of an incomplete 16-byte block carried over from the previous piece. */
		private final byte[] pending = new byte[16];

		private int pendingCount;

		private Hasher() {
		}

		/** Hashes the bytes between the buffer's position and limit; the buffer itself is not changed. */
		public Hasher update(ByteBuffer buffer) {
			int position = buffer.position();
			int limit = buffer.limit();
			this.length += limit - position;
			if (this.pendingCount > 0) {
				int take = Math.min(16 - this.pendingCount, limit - position);
				buffer.get(position, this.pending, this.pendingCount, take);
				this.pendingCount += take;
				position += take;
				if (this.pendingCount < 16) {
					return this;
				}
				block((long) ARRAY_LONG.get(this.pending, 0), (long) ARRAY_LONG.get(this.pending, 8));
				this.pendingCount = 0;
			}
			for (; limit - position >= 16; position += 16) {
				block((long) BUFFER_LONG.get(buffer, position), (long) BUFFER_LONG.get(buffer, position + 8));
			}
			if (position < limit) {
				buffer.get(position, this.pending, 0, limit - position);
				this.pendingCount = limit - position;
			}
			return this;
		}

		/** Hashes {@code length} bytes of the array from {@code offset}. */
		public Hasher update(byte[] content, int offset, int length) {
			return update(ByteBuffer.wrap(content, offset, length));
		}

		private void block(long k1, long k2) {
			this.h1 ^= mixK1(k1);
			this.h1 = Long.rotateLeft(this.h1, 27) + this.h2;
			this.h1 = this.h1 * 5 + 0x52dce729;
			this.h2 ^= mixK2(k2);
			this.h2 = Long.rotateLeft(this.h2, 31) + this.h1;
			this.h2 = this.h2 * 5 + 0x38495ab5;
		}

		/** The hash of everything fed so far, 32 lowercase hex digits; the hasher is not changed. */
		public String hex() {
			long h1 = this.h1;
			long h2 = this.h2;
			long k1 = 0;
			long k2 = 0;
			for (int i = this.pendingCount - 1; i >= 0; i--) {
				long b = this.pending[i] & 0xFFL;
				if (i >= 8) {
					k2 |= b << (8 * (i - 8));
				}
				else {
					k1 |= b << (8 * i);
				}
			}
			if (this.pendingCount > 8) {
				h2 ^= mixK2(k2);
			}
			if (this.pendingCount > 0) {
				h1 ^= mixK1(k1);
			}
			h1 ^= this.length;
			h2 ^= this.length;
			h1 += h2;
			h2 += h1;
			h1 = fmix(h1);
			h2 = fmix(h2);
			h1 += h2;
			h2 += h1;
			return hex16(h1) + hex16(h2);
		}

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
