package io.github.reactivestorage.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

import io.github.reactivestorage.StoredObject;

/**
 * Reflection hints for GraalVM native images: the value types applications serialize to JSON and
 * the actuator endpoint's answers. Configuration properties get their binding hints from Spring
 * Boot's own AOT processing; mounts are registered as factory-method bean definitions, which AOT
 * processing turns into generated code (the set of mounts is fixed when the image is built, like every
 * condition of the application).
 */
class StorageRuntimeHints implements RuntimeHintsRegistrar {

	static final String[] JSON_TYPES = { "io.github.reactivestorage.autoconfigure.actuate.StorageEndpoint$StorageDescriptor",
			"io.github.reactivestorage.autoconfigure.actuate.StorageEndpoint$MountDescriptor" };

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection()
			.registerType(StoredObject.class, MemberCategory.INVOKE_PUBLIC_METHODS,
					MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
		for (String type : JSON_TYPES) {
			hints.reflection()
				.registerTypeIfPresent(classLoader, type, MemberCategory.INVOKE_PUBLIC_METHODS,
						MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
		}
	}

}
