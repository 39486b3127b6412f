/**
 * Timeouts and retries as a decorator that composes with the others.
 */
@NullMarked
package io.github.reactivestorage.resilience;

import org.jspecify.annotations.NullMarked;
