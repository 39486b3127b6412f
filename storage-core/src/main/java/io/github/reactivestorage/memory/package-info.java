/**
 * The in-memory backend ({@code type: memory}).
 */
@NullMarked
package io.github.reactivestorage.memory;

import org.jspecify.annotations.NullMarked;
