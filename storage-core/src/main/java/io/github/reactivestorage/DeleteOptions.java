package io.github.reactivestorage;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Options of {@link ReactiveStorage#delete(String, DeleteOptions)}. Immutable.
 *
 * <ul>
 * <li>{@code ifMatch}: delete only if the current object's etag is this one, atomically, where the
 * backend declares {@link StorageCapability#CONDITIONAL_WRITE}; otherwise, or when no object exists,
 * {@link PreconditionFailedException}.</li>
 * </ul>
 */
public final class DeleteOptions {

	private static final DeleteOptions DEFAULTS = new DeleteOptions(null);

	private final @Nullable String ifMatch;

	private DeleteOptions(@Nullable String ifMatch) {
		this.ifMatch = ifMatch;
	}

	/** An unconditional delete. */
	public static DeleteOptions defaults() {
		return DEFAULTS;
	}

	/** A delete of the object only while its etag is {@code etag} (without quotes). */
	public static DeleteOptions ifMatch(String etag) {
		Objects.requireNonNull(etag, "etag must not be null");
		if (etag.isEmpty()) {
			throw new IllegalArgumentException("etag must not be empty");
		}
		return new DeleteOptions(etag);
	}

	/** The etag the object must have, or {@code null} for an unconditional delete. */
	public @Nullable String ifMatch() {
		return this.ifMatch;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof DeleteOptions that) && Objects.equals(this.ifMatch, that.ifMatch);
	}

	@Override
	public int hashCode() {
		return Objects.hashCode(this.ifMatch);
	}

	@Override
	public String toString() {
		return "DeleteOptions[ifMatch=" + this.ifMatch + "]";
	}

}
