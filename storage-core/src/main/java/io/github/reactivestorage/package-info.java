/**
 * The {@link io.github.reactivestorage.ReactiveStorage} API: one Reactor interface over every object
 * store, the value types it uses, its key rules and its exception hierarchy.
 */
@NullMarked
package io.github.reactivestorage;

import org.jspecify.annotations.NullMarked;
