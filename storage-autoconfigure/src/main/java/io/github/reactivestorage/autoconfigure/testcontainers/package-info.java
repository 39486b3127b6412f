/**
 * Testcontainers {@code @ServiceConnection} support for MinIO, Azurite and fake-gcs-server.
 */
@NullMarked
package io.github.reactivestorage.autoconfigure.testcontainers;

import org.jspecify.annotations.NullMarked;
