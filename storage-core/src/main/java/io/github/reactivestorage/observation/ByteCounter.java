package io.github.reactivestorage.observation;

/**
 * Receives the bytes an {@link ObservedStorage} streams, e.g. to feed Micrometer counters.
 */
public interface ByteCounter {

	/** A counter that ignores everything. */
	ByteCounter NONE = new ByteCounter() {

		@Override
		public void read(long bytes) {
		}

		@Override
		public void written(long bytes) {
		}

	};

	/** Bytes handed to a reader of the mount. */
	void read(long bytes);

	/** Bytes received by the mount from a writer. */
	void written(long bytes);

}
