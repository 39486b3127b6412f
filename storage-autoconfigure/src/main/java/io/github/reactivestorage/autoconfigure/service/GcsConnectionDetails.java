package io.github.reactivestorage.autoconfigure.service;

import java.net.URI;

/**
 * Connection details of a Google Cloud Storage emulator (fake-gcs-server in tests), reached without
 * credentials. Mounts of type {@code gcs} use the endpoint and project instead of their properties;
 * {@code bucket} stays a property.
 */
public interface GcsConnectionDetails extends StorageConnectionDetails {

	URI endpoint();

	String project();

}
