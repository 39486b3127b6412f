/**
 * Service connection details for the cloud backends.
 */
@NullMarked
package io.github.reactivestorage.autoconfigure.service;

import org.jspecify.annotations.NullMarked;
