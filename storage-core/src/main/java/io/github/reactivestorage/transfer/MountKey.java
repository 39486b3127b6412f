package io.github.reactivestorage.transfer;

import io.github.reactivestorage.StorageKeys;

/**
 * An object addressed across mounts as {@code mount:key}, for example {@code uploads:avatars/1.png}.
 *
 * @param mount the mount name
 * @param key the normalised key
 */
public record MountKey(String mount, String key) {

	public MountKey {
		if (mount == null || mount.isEmpty()) {
			throw new IllegalArgumentException("Mount name must not be empty");
		}
		key = StorageKeys.normalize(key);
	}

	/**
	 * Parse {@code mount:key}: split at the first colon; the mount must be non-empty and contain no
	 * whitespace, the key must follow the key rules.
	 * @throws IllegalArgumentException if there is no colon or the mount is empty or blank
	 * @throws io.github.reactivestorage.InvalidKeyException if the key breaks the key rules
	 */
	public static MountKey parse(String address) {
		if (address == null) {
			throw new IllegalArgumentException("Mount address must not be null; expected 'mount:key'");
		}
		int colon = address.indexOf(':');
		if (colon < 0) {
			throw new IllegalArgumentException("Mount address '" + address + "' has no colon; expected 'mount:key'");
		}
		String mount = address.substring(0, colon);
		if (mount.isEmpty() || !mount.strip().equals(mount) || mount.chars().anyMatch(Character::isWhitespace)) {
			throw new IllegalArgumentException(
					"Mount address '" + address + "' has an empty or blank mount name; expected 'mount:key'");
		}
		return new MountKey(mount, address.substring(colon + 1));
	}

	@Override
	public String toString() {
		return this.mount + ":" + this.key;
	}

}
