/**
 * Google Cloud Storage backend over the blocking {@code com.google.cloud.storage.Storage} client,
 * run on a bounded scheduler.
 */
@NullMarked
package io.github.reactivestorage.gcs;

import org.jspecify.annotations.NullMarked;
