package io.github.reactivestorage.conformance;

import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * What {@link StorageConformanceTests#createStorage(StorageTestContext)} gets to build the storage
 * under test.
 *
 * @param mountName the mount name to give the storage
 * @param bufferFactory the leak-tracking factory the storage must allocate the buffers of
 * {@code get} with
 * @param uniqueId a short lower-case id unique to this test (letters and digits, starting with a
 * letter), for a fresh bucket, container, directory or key prefix per test
 */
public record StorageTestContext(String mountName, DataBufferFactory bufferFactory, String uniqueId) {
}
