/**
 * Benchmarks against hand-written baselines; see docs/benchmarks.md.
 */
@NullMarked
package io.github.reactivestorage.benchmarks;

import org.jspecify.annotations.NullMarked;
