package io.github.reactivestorage;

import org.jspecify.annotations.Nullable;

/**
 * Root of every error the storage API signals. Unchecked; carries the key and the mount name where
 * they are known, and the backend's own exception as the cause. No SDK exception type is ever
 * signalled directly: backends map them to a subclass of this type.
 */
public class StorageException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private @Nullable String key;

	private @Nullable String mount;

	public StorageException(String message) {
		this(message, null, null);
	}

	public StorageException(String message, @Nullable Throwable cause) {
		this(message, null, cause);
	}

	public StorageException(String message, @Nullable String key, @Nullable Throwable cause) {
		super(message, cause);
		this.key = key;
	}

	/**
	 * The key the failed operation was about, as the user of the mount sees it, or {@code null}.
	 */
	public @Nullable String getKey() {
		return this.key;
	}

	/**
	 * The name of the mount the failed operation ran on, or {@code null}.
	 */
	public @Nullable String getMount() {
		return this.mount;
	}

	/**
	 * Set the key this error is about. Meant for backends and decorators that translate keys
	 * (a prefixed mount reports the key its user passed, not the backend's full key).
	 * @return this exception
	 */
	public StorageException withKey(@Nullable String key) {
		this.key = key;
		return this;
	}

	/**
	 * Set the mount name if none is set yet.
	 * @return this exception
	 */
	public StorageException withMountIfAbsent(@Nullable String mount) {
		if (this.mount == null) {
			this.mount = mount;
		}
		return this;
	}

	/**
	 * The message given at construction, without the mount and key context.
	 */
	public String getReason() {
		String message = super.getMessage();
		return (message != null) ? message : getClass().getSimpleName();
	}

	@Override
	public String getMessage() {
		StringBuilder message = new StringBuilder(getReason());
		if (this.mount != null || this.key != null) {
			message.append(" [");
			if (this.mount != null) {
				message.append("mount '").append(this.mount).append('\'');
			}
			if (this.key != null) {
				message.append((this.mount != null) ? ", " : "").append("key '").append(this.key).append('\'');
			}
			message.append(']');
		}
		return message.toString();
	}

}
