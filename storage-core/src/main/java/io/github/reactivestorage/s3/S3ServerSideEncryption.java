package io.github.reactivestorage.s3;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Server-side encryption of an S3 mount, applied by {@link S3Storage} to every request that needs it.
 * <ul>
 * <li>{@link Mode#SSE_S3}: {@code x-amz-server-side-encryption: AES256} on PutObject,
 * CreateMultipartUpload and CopyObject.</li>
 * <li>{@link Mode#SSE_KMS}: {@code aws:kms} with the key id (or the account's default key when none)
 * and, when asked, an S3 Bucket Key, on the same requests.</li>
 * <li>{@link Mode#SSE_C}: the customer's 256-bit key (algorithm, key, key MD5) on every request that
 * writes or reads content: PutObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
 * GetObject, HeadObject, CopyObject and UploadPartCopy (as destination and as source). S3 keeps no
 * copy of the key: objects are unreadable without it. Presigned URLs cannot carry it.</li>
 * </ul>
 * {@link #toString()} never shows the customer key.
 *
 * @param mode the kind of encryption
 * @param kmsKeyId the KMS key id or ARN ({@code SSE_KMS}), or {@code null} for the default key
 * @param bucketKey whether SSE-KMS uses an S3 Bucket Key
 * @param customerKey the base64 of the 256-bit customer key ({@code SSE_C})
 */
public record S3ServerSideEncryption(Mode mode, @Nullable String kmsKeyId, boolean bucketKey,
		@Nullable String customerKey) {

	/** No encryption settings: the bucket's default encryption applies. */
	public static final S3ServerSideEncryption NONE = new S3ServerSideEncryption(Mode.NONE, null, false, null);

	/** The kinds of server-side encryption. */
	public enum Mode {

		/** Nothing sent: the bucket's default encryption applies. */
		NONE,

		/** S3-managed keys ({@code AES256}). */
		SSE_S3,

		/** AWS KMS keys ({@code aws:kms}). */
		SSE_KMS,

		/** A customer-provided key sent with every request. */
		SSE_C

	}

	/**
	 * @throws IllegalArgumentException if SSE-C lacks a key that is base64 of 32 bytes, or a key is given
	 * to another mode (the message never contains the key)
	 */
	public S3ServerSideEncryption {
		Objects.requireNonNull(mode, "mode must not be null");
		if (mode == Mode.SSE_C) {
			if (customerKey == null || decodedLength(customerKey) != 32) {
				throw new IllegalArgumentException("SSE-C needs a customer key: the base64 of 32 random bytes");
			}
		}
		else if (customerKey != null) {
			throw new IllegalArgumentException("A customer key is only used with SSE-C");
		}
		if (mode != Mode.SSE_KMS && (kmsKeyId != null || bucketKey)) {
			throw new IllegalArgumentException("A KMS key id and bucket key are only used with SSE-KMS");
		}
	}

	/** SSE-S3 ({@code AES256}). */
	public static S3ServerSideEncryption s3Managed() {
		return new S3ServerSideEncryption(Mode.SSE_S3, null, false, null);
	}

	/** SSE-KMS with the key ({@code null}: the account's default {@code aws/s3} key). */
	public static S3ServerSideEncryption kms(@Nullable String kmsKeyId, boolean bucketKey) {
		return new S3ServerSideEncryption(Mode.SSE_KMS, kmsKeyId, bucketKey, null);
	}

	/** SSE-C with the base64 of a 256-bit key. */
	public static S3ServerSideEncryption customerKey(String base64Key) {
		return new S3ServerSideEncryption(Mode.SSE_C, null, false, base64Key);
	}

	private static int decodedLength(String base64) {
		try {
			return Base64.getDecoder().decode(base64).length;
		}
		catch (IllegalArgumentException ex) {
			return -1;
		}
	}

	/** Whether presigned URLs of this method would lose the encryption (and are refused). */
	boolean refusesUrl(boolean put) {
		return this.mode == Mode.SSE_C || (put && this.mode == Mode.SSE_KMS);
	}

	private String keyMd5() {
		try {
			byte[] digest = MessageDigest.getInstance("MD5").digest(Base64.getDecoder().decode(this.customerKey));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("MD5 is missing from this JVM", ex);
		}
	}

	private @Nullable ServerSideEncryption algorithm() {
		return switch (this.mode) {
			case SSE_S3 -> ServerSideEncryption.AES256;
			case SSE_KMS -> ServerSideEncryption.AWS_KMS;
			default -> null;
		};
	}

	private boolean customer() {
		return this.mode == Mode.SSE_C;
	}

	void put(PutObjectRequest.Builder request) {
		request.serverSideEncryption(algorithm());
		if (this.mode == Mode.SSE_KMS) {
			request.ssekmsKeyId(this.kmsKeyId).bucketKeyEnabled(this.bucketKey ? Boolean.TRUE : null);
		}
		if (customer()) {
			request.sseCustomerAlgorithm("AES256").sseCustomerKey(this.customerKey).sseCustomerKeyMD5(keyMd5());
		}
	}

	void createUpload(CreateMultipartUploadRequest.Builder request) {
		request.serverSideEncryption(algorithm());
		if (this.mode == Mode.SSE_KMS) {
			request.ssekmsKeyId(this.kmsKeyId).bucketKeyEnabled(this.bucketKey ? Boolean.TRUE : null);
		}
		if (customer()) {
			request.sseCustomerAlgorithm("AES256").sseCustomerKey(this.customerKey).sseCustomerKeyMD5(keyMd5());
		}
	}

	void part(UploadPartRequest.Builder request) {
		if (customer()) {
			request.sseCustomerAlgorithm("AES256").sseCustomerKey(this.customerKey).sseCustomerKeyMD5(keyMd5());
		}
	}

	void complete(CompleteMultipartUploadRequest.Builder request) {
		if (customer()) {
			request.sseCustomerAlgorithm("AES256").sseCustomerKey(this.customerKey).sseCustomerKeyMD5(keyMd5());
		}
	}

	void get(GetObjectRequest.Builder request) {
		if (customer()) {
			request.sseCustomerAlgorithm("AES256").sseCustomerKey(this.customerKey).sseCustomerKeyMD5(keyMd5());
		}
	}

	void head(HeadObjectRequest.Builder request) {
		if (customer()) {
			request.sseCustomerAlgorithm("AES256").sseCustomerKey(this.customerKey).sseCustomerKeyMD5(keyMd5());
		}
	}

	void copy(CopyObjectRequest.Builder request) {
		request.serverSideEncryption(algorithm());
		if (this.mode == Mode.SSE_KMS) {
			request.ssekmsKeyId(this.kmsKeyId).bucketKeyEnabled(this.bucketKey ? Boolean.TRUE : null);
		}
		if (customer()) {
			String md5 = keyMd5();
			request.sseCustomerAlgorithm("AES256").sseCustomerKey(this.customerKey).sseCustomerKeyMD5(md5);
			request.copySourceSSECustomerAlgorithm("AES256")
				.copySourceSSECustomerKey(this.customerKey)
				.copySourceSSECustomerKeyMD5(md5);
		}
	}

	void partCopy(UploadPartCopyRequest.Builder request) {
		if (customer()) {
			String md5 = keyMd5();
			request.sseCustomerAlgorithm("AES256").sseCustomerKey(this.customerKey).sseCustomerKeyMD5(md5);
			request.copySourceSSECustomerAlgorithm("AES256")
				.copySourceSSECustomerKey(this.customerKey)
				.copySourceSSECustomerKeyMD5(md5);
		}
	}

	@Override
	public String toString() {
		return "S3ServerSideEncryption[mode=" + this.mode + ", kmsKeyId=" + this.kmsKeyId + ", bucketKey="
				+ this.bucketKey + ", customerKey=" + ((this.customerKey != null) ? "******" : null) + "]";
	}

}
