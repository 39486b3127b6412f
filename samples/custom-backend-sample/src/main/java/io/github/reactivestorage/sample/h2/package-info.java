/**
 * A custom backend: objects in an embedded H2 database, as the mount type {@code h2}.
 */
@NullMarked
package io.github.reactivestorage.sample.h2;

import org.jspecify.annotations.NullMarked;
