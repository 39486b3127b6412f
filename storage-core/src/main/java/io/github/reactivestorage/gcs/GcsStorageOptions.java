package io.github.reactivestorage.gcs;

import com.google.auth.ServiceAccountSigner;
import org.jspecify.annotations.Nullable;

/**
 * Tuning of a {@link GcsStorage}.
 *
 * @param readChunkSize bytes fetched per request of a read, and the size of the buffers
 * {@code get} emits
 * @param writeChunkSize bytes the SDK buffers before it sends a chunk of a resumable upload (a
 * multiple of 256 KiB); the memory an upload holds
 * @param listStartOffset whether a listing's {@code startAfter} is sent to the server as the
 * {@code startOffset} parameter (GCS and fake-gcs-server understand it; Google's in-process
 * {@code LocalStorageHelper} rejects it). Without it the listing starts at the beginning of the
 * prefix and skips entries on the client.
 * @param urlSigner what signs URLs, or {@code null} for the client's credentials when they can sign
 * (a service-account key, or the GCE/GKE metadata server's account through IAM)
 * @param kmsKeyName the Cloud KMS key (CMEK,
 * {@code projects/p/locations/l/keyRings/r/cryptoKeys/k}) every upload and copy is encrypted with, or
 * {@code null} for the bucket's default encryption
 */
public record GcsStorageOptions(int readChunkSize, int writeChunkSize, boolean listStartOffset,
		@Nullable ServiceAccountSigner urlSigner, @Nullable String kmsKeyName) {

	/** The read chunk size by default: 256 KiB. */
	public static final int DEFAULT_READ_CHUNK_SIZE = 256 * 1024;

	/** The write chunk size by default: 4 MiB. */
	public static final int DEFAULT_WRITE_CHUNK_SIZE = 4 * 1024 * 1024;

	private static final int WRITE_CHUNK_GRANULARITY = 256 * 1024;

	/** Options without a KMS key. */
	public GcsStorageOptions(int readChunkSize, int writeChunkSize, boolean listStartOffset,
			@Nullable ServiceAccountSigner urlSigner) {
		this(readChunkSize, writeChunkSize, listStartOffset, urlSigner, null);
	}

	public GcsStorageOptions {
		if (kmsKeyName != null && kmsKeyName.isBlank()) {
			kmsKeyName = null;
		}
		if (readChunkSize <= 0) {
			throw new IllegalArgumentException("readChunkSize must be positive, was " + readChunkSize);
		}
		if (writeChunkSize <= 0 || writeChunkSize % WRITE_CHUNK_GRANULARITY != 0) {
			throw new IllegalArgumentException(
					"writeChunkSize must be a positive multiple of 256 KiB, was " + writeChunkSize);
		}
	}

	/** The defaults: 256 KiB reads, 4 MiB upload chunks, {@code startOffset} sent. */
	public static GcsStorageOptions defaults() {
		return new GcsStorageOptions(DEFAULT_READ_CHUNK_SIZE, DEFAULT_WRITE_CHUNK_SIZE, true, null, null);
	}

	/** These options with another read chunk size. */
	public GcsStorageOptions withReadChunkSize(int size) {
		return new GcsStorageOptions(size, this.writeChunkSize, this.listStartOffset, this.urlSigner, this.kmsKeyName);
	}

	/** These options with another upload chunk size. */
	public GcsStorageOptions withWriteChunkSize(int size) {
		return new GcsStorageOptions(this.readChunkSize, size, this.listStartOffset, this.urlSigner, this.kmsKeyName);
	}

	/** These options with or without server-side {@code startOffset}. */
	public GcsStorageOptions withListStartOffset(boolean enabled) {
		return new GcsStorageOptions(this.readChunkSize, this.writeChunkSize, enabled, this.urlSigner, this.kmsKeyName);
	}

	/** These options with uploads and copies encrypted with this Cloud KMS key ({@code null}: none). */
	public GcsStorageOptions withKmsKeyName(@Nullable String keyName) {
		return new GcsStorageOptions(this.readChunkSize, this.writeChunkSize, this.listStartOffset, this.urlSigner,
				keyName);
	}

	/** These options with URLs signed by {@code signer} instead of the client's credentials. */
	public GcsStorageOptions withUrlSigner(@Nullable ServiceAccountSigner signer) {
		return new GcsStorageOptions(this.readChunkSize, this.writeChunkSize, this.listStartOffset, signer, this.kmsKeyName);
	}

}
