/**
 * Actuator support: a health contributor per mount and the {@code storage} endpoint.
 */
@NullMarked
package io.github.reactivestorage.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
