/**
 * Micrometer Observation of storage operations as a decorator.
 */
@NullMarked
package io.github.reactivestorage.observation;

import org.jspecify.annotations.NullMarked;
