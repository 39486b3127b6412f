package io.github.reactivestorage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.zip.CRC32C;


import org.springframework.core.io.buffer.DataBuffer;

/**
 * Streaming checksums of {@link ChecksumAlgorithm}s, in constant memory: the JDK's {@link MessageDigest}
 * for SHA-256 and MD5 and {@link CRC32C}, fed the readable bytes of each buffer without changing the
 * buffer. Values are base64, CRC32C big-endian. Shared by every backend through
 * {@link ChecksumVerifyingBody}; it lives in this package, not in {@code support}, so that the API package
 * depends on no other.
 */
public final class Checksums {

	private Checksums() {
	}

	/** A new hasher of the algorithm. */
	public static Hasher hasher(ChecksumAlgorithm algorithm) {
		return new Hasher(algorithm);
	}

	/** The base64 checksum of the whole array. */
	public static String of(ChecksumAlgorithm algorithm, byte[] content) {
		return hasher(algorithm).update(ByteBuffer.wrap(content)).base64();
	}

	/** Hashes content fed in pieces; not thread-safe (feed it from one thread at a time). */
	public static final class Hasher {

		private final ChecksumAlgorithm algorithm;

		private final MessageDigest digest;

		private final CRC32C crc;

		private Hasher(ChecksumAlgorithm algorithm) {
			this.algorithm = algorithm;
			this.crc = (algorithm == ChecksumAlgorithm.CRC32C) ? new CRC32C() : null;
			this.digest = switch (algorithm) {
				case SHA_256 -> messageDigest("SHA-256");
				case MD5 -> messageDigest("MD5");
				case CRC32C -> null;
			};
		}

		private static MessageDigest messageDigest(String name) {
			try {
				return MessageDigest.getInstance(name);
			}
			catch (NoSuchAlgorithmException ex) {
				// every Java platform must provide both (MessageDigest's javadoc)
				throw new IllegalStateException(name + " is missing from this JVM", ex);
			}
		}

		public ChecksumAlgorithm algorithm() {
			return this.algorithm;
		}

		/** Hashes the bytes between the buffer's position and limit; the buffer itself is not changed. */
		public Hasher update(ByteBuffer buffer) {
			ByteBuffer view = buffer.duplicate();
			if (this.crc != null) {
				this.crc.update(view);
			}
			else {
				this.digest.update(view);
			}
			return this;
		}

		/** Hashes the readable bytes of the buffer; its read position is not changed. */
		public Hasher update(DataBuffer buffer) {
			try (DataBuffer.ByteBufferIterator views = buffer.readableByteBuffers()) {
				while (views.hasNext()) {
					update(views.next());
				}
			}
			return this;
		}

		/** The base64 checksum of everything fed; call once, at the end. */
		public String base64() {
			byte[] bytes;
			if (this.crc != null) {
				long value = this.crc.getValue();
				bytes = new byte[] { (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value };
			}
			else {
				bytes = this.digest.digest();
			}
			return Base64.getEncoder().encodeToString(bytes);
		}

	}

}
