/**
 * The conformance kit: an abstract JUnit 5 suite that proves a
 * {@link io.github.reactivestorage.ReactiveStorage} backend keeps the storage contract.
 */
@NullMarked
package io.github.reactivestorage.conformance;

import org.jspecify.annotations.NullMarked;
