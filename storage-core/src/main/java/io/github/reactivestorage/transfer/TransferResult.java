package io.github.reactivestorage.transfer;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of one object's transfer.
 *
 * @param source where the object came from
 * @param destination where it went
 * @param status copied, skipped or failed
 * @param bytes the bytes written (0 when skipped or failed)
 * @param error the failure, or {@code null}
 */
public record TransferResult(MountKey source, MountKey destination, Status status, long bytes,
		@Nullable Throwable error) {

	/** What happened to one object. */
	public enum Status {

		/** Written to the destination (and, for a move, deleted from the source). */
		COPIED,

		/** Left alone by the skip rule. */
		SKIPPED,

		/** Failed: see {@link TransferResult#error()}. */
		FAILED

	}

}
