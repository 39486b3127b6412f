package io.github.reactivestorage.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.support.ForwardingReactiveStorage;
import io.github.reactivestorage.support.PrefixedStorage;

/**
 * {@code /actuator/storage}: the mounts, their type, capabilities, prefix and read-only flag, and the
 * default mount. Never credentials: only what {@link MountDescriptor} holds.
 */
@Endpoint(id = "storage")
public class StorageEndpoint {

	private final StorageMounts mounts;

	private final Function<String, String> types;

	/**
	 * @param mounts the mounts
	 * @param types the configured type of a mount by name ({@code memory}, {@code s3}, ...)
	 */
	public StorageEndpoint(StorageMounts mounts, Function<String, String> types) {
		this.mounts = mounts;
		this.types = types;
	}

	@ReadOperation
	public StorageDescriptor mounts() {
		Map<String, MountDescriptor> descriptors = new LinkedHashMap<>();
		this.mounts.asMap().forEach((name, storage) -> descriptors.put(name, describe(name, storage)));
		return new StorageDescriptor(this.mounts.defaultMountName().orElse(null), descriptors);
	}

	@ReadOperation
	public @Nullable MountDescriptor mount(@Selector String name) {
		return this.mounts.find(name).map(storage -> describe(name, storage)).orElse(null);
	}

	private MountDescriptor describe(String name, ReactiveStorage storage) {
		List<String> capabilities = new ArrayList<>();
		for (StorageCapability capability : storage.capabilities()) {
			capabilities.add(capability.name());
		}
		return new MountDescriptor(this.types.apply(name), prefixOf(storage),
				!storage.supports(StorageCapability.WRITE), capabilities);
	}

	private static @Nullable String prefixOf(ReactiveStorage storage) {
		ReactiveStorage current = storage;
		while (current instanceof ForwardingReactiveStorage forwarding) {
			if (current instanceof PrefixedStorage prefixed) {
				return prefixed.getPrefix();
			}
			current = forwarding.getDelegate();
		}
		return null;
	}

	/**
	 * The endpoint's answer.
	 *
	 * @param defaultMount the default mount's name, if any
	 * @param mounts the mounts by name
	 */
	public record StorageDescriptor(@Nullable String defaultMount, Map<String, MountDescriptor> mounts) {
	}

	/**
	 * One mount.
	 *
	 * @param type the backend type
	 * @param prefix the prefix the mount is rooted at, if any
	 * @param readOnly whether writes are refused
	 * @param capabilities what the mount supports
	 */
	public record MountDescriptor(String type, @Nullable String prefix, boolean readOnly, List<String> capabilities) {
	}

}
