/**
 * Streaming copies and moves between mounts, addressed as {@code mount:key}.
 */
@NullMarked
package io.github.reactivestorage.transfer;

import org.jspecify.annotations.NullMarked;
