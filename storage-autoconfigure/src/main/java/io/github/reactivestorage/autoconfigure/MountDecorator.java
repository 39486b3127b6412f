package io.github.reactivestorage.autoconfigure;

import io.github.reactivestorage.ReactiveStorage;

/**
 * Wraps the storage of a mount after its backend is built. Beans of this type are applied in their
 * {@link org.springframework.core.Ordered order}, each around the result of the previous one; the
 * auto-configuration contributes prefix and read-only (innermost), timeout and retry, and
 * observation (outermost).
 */
@FunctionalInterface
public interface MountDecorator {

	ReactiveStorage decorate(String name, MountProperties properties, ReactiveStorage storage);

}
