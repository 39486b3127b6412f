package io.github.reactivestorage.autoconfigure;

import io.github.reactivestorage.StorageConfigurationException;

/**
 * A mount cannot be built from its configuration. The message says what is wrong and
 * {@link #getAction()} what to do; the failure analyzer prints both at start-up. Messages never
 * contain secrets.
 */
public class MountConfigurationException extends StorageConfigurationException {

	private static final long serialVersionUID = 1L;

	private final String action;

	public MountConfigurationException(String message, String action) {
		super(message);
		this.action = action;
	}

	public MountConfigurationException(String message, String action, Throwable cause) {
		super(message, null, cause);
		this.action = action;
	}

	/** What the user should do. */
	public String getAction() {
		return this.action;
	}

	/**
	 * A required property is missing.
	 */
	public static MountConfigurationException missing(String mount, String property, String type) {
		String name = "storage.mounts." + mount + "." + property;
		return new MountConfigurationException("Mount '" + mount + "' of type " + type + " needs " + name,
				"Set " + name + ".");
	}

}
