/**
 * A sample WebFlux service on two storage mounts.
 */
@NullMarked
package io.github.reactivestorage.sample;

import org.jspecify.annotations.NullMarked;
