/**
 * WebFlux functional endpoints that stream uploads and downloads straight through a mount.
 */
@NullMarked
package io.github.reactivestorage.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
