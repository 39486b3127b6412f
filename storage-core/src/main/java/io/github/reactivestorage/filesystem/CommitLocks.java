package io.github.reactivestorage.filesystem;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks by key, within one mount instance: held while a put checks its condition and renames,
 * while a delete checks and deletes, and (sidecar mode) while a reader reads content and sidecar.
 * Keys are compared as the root's file system compares names.
 */
final class CommitLocks {

	private final ReentrantLock[] locks = new ReentrantLock[64];

	private final FilesystemKeys keys;

	CommitLocks(FilesystemKeys keys) {
		this.keys = keys;
		for (int i = 0; i < this.locks.length; i++) {
			this.locks[i] = new ReentrantLock();
		}
	}

	ReentrantLock lockFor(String key) {
		return this.locks[Math.floorMod(this.keys.identity(key).hashCode(), this.locks.length)];
	}

}
