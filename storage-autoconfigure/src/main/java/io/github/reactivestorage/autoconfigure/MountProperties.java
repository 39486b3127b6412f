package io.github.reactivestorage.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

import io.github.reactivestorage.filesystem.FilesystemStorage;

/**
 * One mount ({@code storage.mounts.<name>.*}). Which properties apply depends on {@link #getType()
 * type}; the others are ignored. Secrets are never part of {@link #toString()}.
 */
public class MountProperties {

	/**
	 * Backend type: memory, filesystem, s3, gcs, azure or http (or a custom backend's type).
	 */
	private @Nullable String type;

	/**
	 * Sub-path of the bucket, container or directory the mount is rooted at. Keys seen by users never
	 * include it.
	 */
	private @Nullable String prefix;

	/**
	 * Whether every write is refused with StoragePermissionException.
	 */
	private boolean readOnly;

	/**
	 * Most time one operation may take (for reads: until the first bytes). Unset means no timeout.
	 */
	private @Nullable Duration timeout;

	/**
	 * Retries of idempotent operations on connection errors.
	 */
	private final Retry retry = new Retry();

	/**
	 * Whether operations of this mount are observed (Micrometer timers and spans).
	 */
	private boolean observations = true;

	// memory

	/**
	 * Memory: the most bytes all objects together may take. Cache: the most bytes the cached objects
	 * may add up to before the least recently used are evicted. Unset means no limit.
	 */
	private @Nullable DataSize maxSize;

	// cache

	/**
	 * Cache: name of the mount reads fall back to and writes go to.
	 */
	private @Nullable String origin;

	/**
	 * Cache: name of the fast mount (memory or filesystem) entries are kept in; dedicate it to this
	 * cache.
	 */
	private @Nullable String cache;

	/**
	 * Cache: how long an entry is served after it was filled. Unset means until evicted or
	 * invalidated by a write through this mount.
	 */
	private @Nullable Duration ttl;

	// filesystem

	/**
	 * Filesystem: root directory, created on first write.
	 */
	private @Nullable String path;

	/**
	 * Filesystem: public URL the root is served under, for url(); unset gives file: URIs. HTTP: the
	 * URL the keys are resolved against.
	 */
	private @Nullable String baseUrl;

	/**
	 * Filesystem: whether a completed write is forced to disk (fsync) or left to the operating system
	 * (none: faster, but a power loss may lose completed writes).
	 */
	private FilesystemStorage.Durability durability = FilesystemStorage.Durability.FSYNC;

	// s3

	/**
	 * S3 and GCS: bucket name.
	 */
	private @Nullable String bucket;

	/**
	 * S3: region, e.g. eu-west-1. Unset uses the SDK's region provider chain.
	 */
	private @Nullable String region;

	/**
	 * S3: endpoint of an S3-compatible store (MinIO, R2, Spaces). GCS: endpoint of an emulator.
	 */
	private @Nullable String endpoint;

	/**
	 * S3: whether to address buckets in the path (MinIO and most S3-compatible stores need it).
	 */
	private boolean pathStyle;

	/**
	 * S3: access key id; with secret-access-key. Unset uses the default credentials chain.
	 */
	private @Nullable String accessKeyId;

	/**
	 * S3: secret access key. Never logged.
	 */
	private @Nullable String secretAccessKey;

	/**
	 * S3: session token of temporary credentials. Never logged.
	 */
	private @Nullable String sessionToken;

	/**
	 * S3: named profile of the shared AWS config and credentials files.
	 */
	private @Nullable String profile;

	/**
	 * S3: whether to send unsigned requests (public buckets).
	 */
	private boolean anonymous;

	/**
	 * S3: bodies of at least this size, or of unknown length, are sent as multipart uploads.
	 */
	private DataSize multipartThreshold = DataSize.ofMegabytes(8);

	/**
	 * S3: size of each part of a multipart upload (5 MB or more). Azure: size of each block of an upload.
	 */
	private DataSize partSize = DataSize.ofMegabytes(8);

	/**
	 * S3: server-side encryption of every object written: {@code sse-s3} (AES256), {@code sse-kms}, or
	 * {@code sse-c} (the customer-key). Unset leaves it to the bucket's default encryption.
	 */
	private @Nullable String serverSideEncryption;

	/**
	 * S3: KMS key id or ARN of {@code sse-kms}. Unset uses the account's {@code aws/s3} key.
	 */
	private @Nullable String kmsKeyId;

	/**
	 * S3: whether {@code sse-kms} uses an S3 Bucket Key.
	 */
	private boolean bucketKeyEnabled;

	/**
	 * S3: base64 of the 256-bit key of {@code sse-c}, sent on every request. Never logged.
	 */
	private @Nullable String customerKey;

	// gcs

	/**
	 * GCS: project id. Unset uses the credentials' project.
	 */
	private @Nullable String project;

	/**
	 * GCS: location of a service-account JSON key (a Spring resource such as file:/path or
	 * classpath:key.json). Unset uses application default credentials.
	 */
	private @Nullable String credentialsLocation;

	// azure

	/**
	 * Azure: container name.
	 */
	private @Nullable String container;

	/**
	 * Azure: connection string. Never logged.
	 */
	private @Nullable String connectionString;

	/**
	 * Azure: storage account name; with account-key, or alone with the default Azure credential
	 * chain.
	 */
	private @Nullable String accountName;

	/**
	 * Azure: storage account key. Never logged.
	 */
	private @Nullable String accountKey;

	/**
	 * Azure: SAS token. Never logged.
	 */
	private @Nullable String sasToken;

	/**
	 * Azure: whether to create the container if it does not exist.
	 */
	private boolean createContainer;

	/**
	 * Azure: encryption scope every blob written is encrypted with. Unset uses the container's default.
	 */
	private @Nullable String encryptionScope;

	/**
	 * GCS: Cloud KMS key (CMEK) every object written is encrypted with,
	 * {@code projects/…/locations/…/keyRings/…/cryptoKeys/…}. Unset uses the bucket's default.
	 */
	private @Nullable String kmsKeyName;

	// http

	/**
	 * HTTP: headers sent with every request, e.g. Authorization. Values are never logged.
	 */
	private Map<String, String> headers = new LinkedHashMap<>();

	/**
	 * HTTP: which redirects are followed: same-origin (default), any or none. The headers are
	 * only ever sent to the base URL's origin.
	 */
	private String followRedirects = "same-origin";

	/**
	 * HTTP and cloud clients: connect timeout.
	 */
	private Duration connectTimeout = Duration.ofSeconds(10);

	/**
	 * HTTP and cloud clients: read (response) timeout.
	 */
	private Duration readTimeout = Duration.ofSeconds(60);

	public @Nullable String getType() {
		return this.type;
	}

	public void setType(@Nullable String type) {
		this.type = type;
	}

	public @Nullable String getOrigin() {
		return this.origin;
	}

	public void setOrigin(@Nullable String origin) {
		this.origin = origin;
	}

	public @Nullable String getCache() {
		return this.cache;
	}

	public void setCache(@Nullable String cache) {
		this.cache = cache;
	}

	public @Nullable Duration getTtl() {
		return this.ttl;
	}

	public void setTtl(@Nullable Duration ttl) {
		this.ttl = ttl;
	}

	public @Nullable String getPrefix() {
		return this.prefix;
	}

	public void setPrefix(@Nullable String prefix) {
		this.prefix = prefix;
	}

	public boolean isReadOnly() {
		return this.readOnly;
	}

	public void setReadOnly(boolean readOnly) {
		this.readOnly = readOnly;
	}

	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = timeout;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public boolean isObservations() {
		return this.observations;
	}

	public void setObservations(boolean observations) {
		this.observations = observations;
	}

	public @Nullable DataSize getMaxSize() {
		return this.maxSize;
	}

	public void setMaxSize(@Nullable DataSize maxSize) {
		this.maxSize = maxSize;
	}

	public @Nullable String getPath() {
		return this.path;
	}

	public void setPath(@Nullable String path) {
		this.path = path;
	}

	public @Nullable String getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(@Nullable String baseUrl) {
		this.baseUrl = baseUrl;
	}

	public FilesystemStorage.Durability getDurability() {
		return this.durability;
	}

	public void setDurability(FilesystemStorage.Durability durability) {
		this.durability = durability;
	}

	public @Nullable String getBucket() {
		return this.bucket;
	}

	public void setBucket(@Nullable String bucket) {
		this.bucket = bucket;
	}

	public @Nullable String getRegion() {
		return this.region;
	}

	public void setRegion(@Nullable String region) {
		this.region = region;
	}

	public @Nullable String getEndpoint() {
		return this.endpoint;
	}

	public void setEndpoint(@Nullable String endpoint) {
		this.endpoint = endpoint;
	}

	public boolean isPathStyle() {
		return this.pathStyle;
	}

	public void setPathStyle(boolean pathStyle) {
		this.pathStyle = pathStyle;
	}

	public @Nullable String getAccessKeyId() {
		return this.accessKeyId;
	}

	public void setAccessKeyId(@Nullable String accessKeyId) {
		this.accessKeyId = accessKeyId;
	}

	public @Nullable String getSecretAccessKey() {
		return this.secretAccessKey;
	}

	public void setSecretAccessKey(@Nullable String secretAccessKey) {
		this.secretAccessKey = secretAccessKey;
	}

	public @Nullable String getSessionToken() {
		return this.sessionToken;
	}

	public void setSessionToken(@Nullable String sessionToken) {
		this.sessionToken = sessionToken;
	}

	public @Nullable String getProfile() {
		return this.profile;
	}

	public void setProfile(@Nullable String profile) {
		this.profile = profile;
	}

	public boolean isAnonymous() {
		return this.anonymous;
	}

	public void setAnonymous(boolean anonymous) {
		this.anonymous = anonymous;
	}

	public DataSize getMultipartThreshold() {
		return this.multipartThreshold;
	}

	public void setMultipartThreshold(DataSize multipartThreshold) {
		this.multipartThreshold = multipartThreshold;
	}

	public DataSize getPartSize() {
		return this.partSize;
	}

	public void setPartSize(DataSize partSize) {
		this.partSize = partSize;
	}

	public @Nullable String getProject() {
		return this.project;
	}

	public void setProject(@Nullable String project) {
		this.project = project;
	}

	public @Nullable String getCredentialsLocation() {
		return this.credentialsLocation;
	}

	public void setCredentialsLocation(@Nullable String credentialsLocation) {
		this.credentialsLocation = credentialsLocation;
	}

	public @Nullable String getContainer() {
		return this.container;
	}

	public void setContainer(@Nullable String container) {
		this.container = container;
	}

	public @Nullable String getConnectionString() {
		return this.connectionString;
	}

	public void setConnectionString(@Nullable String connectionString) {
		this.connectionString = connectionString;
	}

	public @Nullable String getAccountName() {
		return this.accountName;
	}

	public void setAccountName(@Nullable String accountName) {
		this.accountName = accountName;
	}

	public @Nullable String getAccountKey() {
		return this.accountKey;
	}

	public void setAccountKey(@Nullable String accountKey) {
		this.accountKey = accountKey;
	}

	public @Nullable String getSasToken() {
		return this.sasToken;
	}

	public void setSasToken(@Nullable String sasToken) {
		this.sasToken = sasToken;
	}

	public boolean isCreateContainer() {
		return this.createContainer;
	}

	public void setCreateContainer(boolean createContainer) {
		this.createContainer = createContainer;
	}

	public Map<String, String> getHeaders() {
		return this.headers;
	}

	public String getFollowRedirects() {
		return this.followRedirects;
	}

	public void setFollowRedirects(String followRedirects) {
		this.followRedirects = followRedirects;
	}

	public void setHeaders(Map<String, String> headers) {
		this.headers = headers;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(Duration readTimeout) {
		this.readTimeout = readTimeout;
	}

	public @Nullable String getServerSideEncryption() {
		return this.serverSideEncryption;
	}

	public void setServerSideEncryption(@Nullable String serverSideEncryption) {
		this.serverSideEncryption = serverSideEncryption;
	}

	public @Nullable String getKmsKeyId() {
		return this.kmsKeyId;
	}

	public void setKmsKeyId(@Nullable String kmsKeyId) {
		this.kmsKeyId = kmsKeyId;
	}

	public boolean isBucketKeyEnabled() {
		return this.bucketKeyEnabled;
	}

	public void setBucketKeyEnabled(boolean bucketKeyEnabled) {
		this.bucketKeyEnabled = bucketKeyEnabled;
	}

	public @Nullable String getCustomerKey() {
		return this.customerKey;
	}

	public void setCustomerKey(@Nullable String customerKey) {
		this.customerKey = customerKey;
	}

	public @Nullable String getEncryptionScope() {
		return this.encryptionScope;
	}

	public void setEncryptionScope(@Nullable String encryptionScope) {
		this.encryptionScope = encryptionScope;
	}

	public @Nullable String getKmsKeyName() {
		return this.kmsKeyName;
	}

	public void setKmsKeyName(@Nullable String kmsKeyName) {
		this.kmsKeyName = kmsKeyName;
	}

	/**
	 * Everything but secrets: secret values show as {@code ******} when set.
	 */
	@Override
	public String toString() {
		return "MountProperties[type=" + this.type + ", prefix=" + this.prefix + ", readOnly=" + this.readOnly
				+ ", origin=" + this.origin + ", cache=" + this.cache + ", ttl=" + this.ttl + ", path=" + this.path + ", baseUrl=" + this.baseUrl + ", bucket=" + this.bucket + ", region="
				+ this.region + ", endpoint=" + this.endpoint + ", pathStyle=" + this.pathStyle + ", accessKeyId="
				+ this.accessKeyId + ", secretAccessKey=" + mask(this.secretAccessKey) + ", sessionToken="
				+ mask(this.sessionToken) + ", profile=" + this.profile + ", anonymous=" + this.anonymous
				+ ", project=" + this.project + ", credentialsLocation=" + this.credentialsLocation + ", container="
				+ this.container + ", connectionString=" + mask(this.connectionString) + ", accountName="
				+ this.accountName + ", accountKey=" + mask(this.accountKey) + ", sasToken=" + mask(this.sasToken)
				+ ", serverSideEncryption=" + this.serverSideEncryption + ", kmsKeyId=" + this.kmsKeyId
				+ ", bucketKeyEnabled=" + this.bucketKeyEnabled + ", customerKey=" + mask(this.customerKey)
				+ ", encryptionScope=" + this.encryptionScope + ", kmsKeyName=" + this.kmsKeyName
				+ ", headers=" + this.headers.keySet() + "]";
	}

	private static @Nullable String mask(@Nullable String secret) {
		return (secret != null) ? "******" : null;
	}

	/**
	 * Retry settings of a mount.
	 */
	public static class Retry {

		/**
		 * Most attempts of an idempotent operation (1 = no retry).
		 */
		private int maxAttempts = 1;

		/**
		 * Wait before the first retry; doubled, with jitter, for each later one.
		 */
		private Duration initialBackoff = Duration.ofMillis(100);

		/**
		 * Longest wait between attempts.
		 */
		private Duration maxBackoff = Duration.ofSeconds(5);

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

	}

}
