package io.github.reactivestorage.autoconfigure.service;

/**
 * Connection details of an Azure Blob Storage account (Azurite in tests). Mounts of type
 * {@code azure} use the connection string instead of their credential properties; {@code container}
 * stays a property.
 */
public interface AzureBlobConnectionDetails extends StorageConnectionDetails {

	String connectionString();

}
