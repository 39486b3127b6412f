/**
 * The read-only HTTP backend ({@code type: http}): objects served by any web server or CDN, read
 * over Reactor Netty's {@code HttpClient}.
 */
@NullMarked
package io.github.reactivestorage.http;

import org.jspecify.annotations.NullMarked;
