/**
 * Building blocks for backends and decorators: forwarding, prefix and read-only decorators, and
 * listing helpers.
 */
@NullMarked
package io.github.reactivestorage.support;

import org.jspecify.annotations.NullMarked;
