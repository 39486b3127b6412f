package io.github.reactivestorage.autoconfigure.service;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where a mount's store is, supplied by something other than {@code storage.mounts.*} properties:
 * typically a Testcontainers container declared with {@code @ServiceConnection}. Details for a type
 * apply to every mount of that type, unless {@link #mount()} names one mount (a container labelled
 * {@value #MOUNT_LABEL}{@code =<mount name>}), which then wins for that mount.
 */
public interface StorageConnectionDetails extends ConnectionDetails {

	/** The container label that ties a container's connection details to one mount. */
	String MOUNT_LABEL = "io.github.reactivestorage.mount";

	/** The mount these details are for, or {@code null} for every mount of the type. */
	default @Nullable String mount() {
		return null;
	}

	/**
	 * The details that apply to a mount: the ones naming it, else the only ones naming no mount.
	 * @throws IllegalStateException if several apply equally
	 */
	static <D extends StorageConnectionDetails> Optional<D> select(List<D> candidates, String mountName) {
		List<D> named = candidates.stream().filter(details -> mountName.equals(details.mount())).toList();
		List<D> matching = !named.isEmpty() ? named
				: candidates.stream().filter(details -> details.mount() == null).toList();
		if (matching.size() > 1) {
			throw new IllegalStateException(matching.size() + " service connections apply to mount '" + mountName
					+ "'; label each container with " + MOUNT_LABEL + "=<mount name>");
		}
		return matching.stream().findFirst();
	}

}
