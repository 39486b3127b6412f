/**
 * Spring Boot auto-configuration of storage mounts.
 */
@NullMarked
package io.github.reactivestorage.autoconfigure;

import org.jspecify.annotations.NullMarked;
