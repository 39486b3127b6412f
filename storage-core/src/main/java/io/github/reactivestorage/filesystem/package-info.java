/**
 * The filesystem backend ({@code type: filesystem}).
 */
@NullMarked
package io.github.reactivestorage.filesystem;

import org.jspecify.annotations.NullMarked;
