/**
 * The Azure Blob Storage backend ({@code type: azure}) on the SDK's Reactor-native
 * {@code BlobContainerAsyncClient}. Needs {@code com.azure:azure-storage-blob} on the classpath, and
 * {@code com.azure:azure-identity} for the default Azure credential chain.
 */
@NullMarked
package io.github.reactivestorage.azure;

import org.jspecify.annotations.NullMarked;
