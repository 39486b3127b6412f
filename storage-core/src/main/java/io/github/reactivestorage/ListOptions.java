package io.github.reactivestorage;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Options of {@link ReactiveStorage#list(ListOptions)}. Immutable; build with {@link #builder()}.
 *
 * <ul>
 * <li>{@code prefix}: only keys starting with it (a plain string, not a key: {@code a/} and
 * {@code ""} are fine; control characters are not).</li>
 * <li>{@code limit}: at most this many entries (objects and common prefixes together); must be
 * positive; absent means all.</li>
 * <li>{@code startAfter}: only entries strictly after it in UTF-8 byte order. With a delimiter, a
 * {@code startAfter} that is itself a common prefix ({@code p/b/}) skips everything under it, so
 * paging by the last entry never repeats a prefix.</li>
 * <li>{@code delimiter}: when set, keys holding the delimiter after the prefix are rolled up into one
 * common-prefix entry each ({@link StoredObject#isPrefix()}), merged in order with the objects.</li>
 * </ul>
 */
public final class ListOptions {

	private static final ListOptions ALL = new ListOptions("", -1, null, null);

	private final String prefix;

	private final int limit;

	private final @Nullable String startAfter;

	private final @Nullable String delimiter;

	private ListOptions(String prefix, int limit, @Nullable String startAfter, @Nullable String delimiter) {
		this.prefix = prefix;
		this.limit = limit;
		this.startAfter = startAfter;
		this.delimiter = delimiter;
	}

	/** Every key, no delimiter. */
	public static ListOptions all() {
		return ALL;
	}

	/** Every key starting with the prefix. */
	public static ListOptions prefix(@Nullable String prefix) {
		return builder().prefix(prefix).build();
	}

	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		Builder builder = new Builder().prefix(this.prefix).startAfter(this.startAfter).delimiter(this.delimiter);
		builder.limit = this.limit;
		return builder;
	}

	/** The prefix, {@code ""} for all keys. */
	public String prefix() {
		return this.prefix;
	}

	/** The most entries to return, or {@code -1} for no limit. */
	public int limit() {
		return this.limit;
	}

	public boolean hasLimit() {
		return this.limit > 0;
	}

	public @Nullable String startAfter() {
		return this.startAfter;
	}

	public @Nullable String delimiter() {
		return this.delimiter;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof ListOptions that) && this.prefix.equals(that.prefix) && this.limit == that.limit
				&& Objects.equals(this.startAfter, that.startAfter) && Objects.equals(this.delimiter, that.delimiter);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.prefix, this.limit, this.startAfter, this.delimiter);
	}

	@Override
	public String toString() {
		return "ListOptions[prefix='" + this.prefix + "', limit=" + this.limit + ", startAfter=" + this.startAfter
				+ ", delimiter=" + this.delimiter + "]";
	}

	/**
	 * Builds {@link ListOptions}.
	 */
	public static final class Builder {

		private String prefix = "";

		private int limit = -1;

		private @Nullable String startAfter;

		private @Nullable String delimiter;

		private Builder() {
		}

		public Builder prefix(@Nullable String prefix) {
			this.prefix = (prefix != null) ? prefix : "";
			return this;
		}

		/**
		 * @throws IllegalArgumentException if not positive
		 */
		public Builder limit(int limit) {
			if (limit <= 0) {
				throw new IllegalArgumentException("limit must be positive: " + limit);
			}
			this.limit = limit;
			return this;
		}

		public Builder startAfter(@Nullable String startAfter) {
			this.startAfter = (startAfter != null && !startAfter.isEmpty()) ? startAfter : null;
			return this;
		}

		/**
		 * @throws IllegalArgumentException if empty
		 */
		public Builder delimiter(@Nullable String delimiter) {
			if (delimiter != null && delimiter.isEmpty()) {
				throw new IllegalArgumentException("delimiter must not be empty; use null for none");
			}
			this.delimiter = delimiter;
			return this;
		}

		public ListOptions build() {
			return new ListOptions(this.prefix, this.limit, this.startAfter, this.delimiter);
		}

	}

}
