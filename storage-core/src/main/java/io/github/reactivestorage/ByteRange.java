package io.github.reactivestorage;

import org.jspecify.annotations.Nullable;

/**
 * A byte range of an object, as HTTP {@code Range} has them: {@code [start, end]} inclusive
 * ({@link #of}), from an offset to the end ({@link #from}), or the last N bytes ({@link #last}).
 * Built ranges are checked against the object's size only when read ({@link #resolve(long)}):
 * {@code start ≥ size} is an {@link InvalidRangeException}, an {@code end} past the last byte is
 * clamped, a suffix longer than the object is the whole object, a zero-length suffix is an
 * {@link InvalidRangeException} (HTTP 416). A suffix of an empty object is satisfiable (RFC 9110
 * §14.1.2: it selects the empty representation) and resolves to {@code [0, -1]}, no bytes; any other
 * range of an empty object starts at or past its size and is unsatisfiable.
 */
public final class ByteRange {

	private final long start;

	private final long end;

	private final long suffixLength;

	private ByteRange(long start, long end, long suffixLength) {
		this.start = start;
		this.end = end;
		this.suffixLength = suffixLength;
	}

	/**
	 * Bytes {@code start} to {@code end}, both inclusive.
	 * @throws IllegalArgumentException if {@code start} is negative or {@code end < start}
	 */
	public static ByteRange of(long start, long end) {
		if (start < 0) {
			throw new IllegalArgumentException("Range start must not be negative: " + start);
		}
		if (end < start) {
			throw new IllegalArgumentException("Range end " + end + " is before its start " + start);
		}
		return new ByteRange(start, end, -1);
	}

	/**
	 * Bytes from {@code start} to the end.
	 * @throws IllegalArgumentException if {@code start} is negative
	 */
	public static ByteRange from(long start) {
		if (start < 0) {
			throw new IllegalArgumentException("Range start must not be negative: " + start);
		}
		return new ByteRange(start, -1, -1);
	}

	/**
	 * The last {@code length} bytes. A zero length is allowed here and unsatisfiable when read, as in
	 * HTTP.
	 * @throws IllegalArgumentException if {@code length} is negative
	 */
	public static ByteRange last(long length) {
		if (length < 0) {
			throw new IllegalArgumentException("Suffix length must not be negative: " + length);
		}
		return new ByteRange(-1, -1, length);
	}

	/**
	 * Parse one HTTP range-spec such as {@code 0-99}, {@code 100-} or {@code -500} (without the
	 * {@code bytes=} unit).
	 * @throws IllegalArgumentException if it is not a valid single range-spec
	 */
	public static ByteRange parse(String spec) {
		String value = spec.trim();
		int dash = value.indexOf('-');
		if (dash < 0 || value.indexOf('-', dash + 1) >= 0) {
			throw new IllegalArgumentException("Invalid range: '" + spec + "'");
		}
		try {
			String first = value.substring(0, dash).trim();
			String last = value.substring(dash + 1).trim();
			if (first.isEmpty()) {
				return last(parseDigits(last, spec));
			}
			long start = parseDigits(first, spec);
			return last.isEmpty() ? from(start) : of(start, parseDigits(last, spec));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Invalid range: '" + spec + "'", ex);
		}
	}

	private static long parseDigits(String digits, String spec) {
		if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
			throw new IllegalArgumentException("Invalid range: '" + spec + "'");
		}
		return Long.parseLong(digits);
	}

	/** Whether this is a suffix range (the last N bytes). */
	public boolean isSuffix() {
		return this.suffixLength >= 0;
	}

	/** The first byte, or {@code -1} for a suffix range. */
	public long start() {
		return this.start;
	}

	/** The last byte (inclusive), or {@code -1} when open-ended or a suffix range. */
	public long end() {
		return this.end;
	}

	/** The suffix length, or {@code -1} when not a suffix range. */
	public long suffixLength() {
		return this.suffixLength;
	}

	/**
	 * The absolute inclusive {@code [first, last]} byte positions of this range in an object of the
	 * given size; {@code last = first - 1} (no bytes) only for a suffix of an empty object.
	 * @throws InvalidRangeException if the range is unsatisfiable
	 */
	public long[] resolve(long size) {
		if (isSuffix()) {
			if (this.suffixLength == 0) {
				throw new InvalidRangeException("A zero-length suffix range is unsatisfiable");
			}
			// size 0 gives [0, -1]: the empty representation
			return new long[] { Math.max(0, size - this.suffixLength), size - 1 };
		}
		if (this.start >= size) {
			throw new InvalidRangeException(
					"Range start " + this.start + " is not before the object's size " + size);
		}
		long last = (this.end < 0) ? size - 1 : Math.min(this.end, size - 1);
		return new long[] { this.start, last };
	}

	/** The HTTP form, e.g. {@code bytes=0-99}. */
	public String toHttpHeaderValue() {
		return "bytes=" + this;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof ByteRange that) && this.start == that.start && this.end == that.end
				&& this.suffixLength == that.suffixLength;
	}

	@Override
	public int hashCode() {
		return Long.hashCode(this.start) * 31 * 31 + Long.hashCode(this.end) * 31 + Long.hashCode(this.suffixLength);
	}

	/** The range-spec, e.g. {@code 0-99}, {@code 100-} or {@code -500}. */
	@Override
	public String toString() {
		if (isSuffix()) {
			return "-" + this.suffixLength;
		}
		return this.start + "-" + ((this.end >= 0) ? String.valueOf(this.end) : "");
	}

}
