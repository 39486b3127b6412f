/**
 * A read-through cache mount: {@link io.github.reactivestorage.cache.CachingStorage} serves reads from
 * a fast mount and fills it from a slow origin while streaming to the caller.
 */
@NullMarked
package io.github.reactivestorage.cache;

import org.jspecify.annotations.NullMarked;
