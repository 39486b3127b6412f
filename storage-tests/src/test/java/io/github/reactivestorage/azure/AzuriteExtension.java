package io.github.reactivestorage.azure;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one {@link AzuriteServer} for the whole test run (stopped when the run ends). Where Node.js
 * or Azurite is missing the test class is skipped with the reason, except under {@code CI=true},
 * where it fails.
 */
class AzuriteExtension implements BeforeAllCallback {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(AzuriteExtension.class);

	private static volatile AzuriteServer server;

	@Override
	public void beforeAll(ExtensionContext context) {
		String reason = AzuriteServer.unavailableReason();
		if (reason != null) {
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				throw new IllegalStateException("Azure tests cannot run under CI=true: " + reason);
			}
			Assumptions.abort("Azure tests skipped: " + reason);
		}
		server = context.getRoot().getStore(NAMESPACE).computeIfAbsent(AzuriteServer.class, type -> {
			try {
				return AzuriteServer.start();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not start Azurite", ex);
			}
		}, AzuriteServer.class);
	}

	/** The running server (after {@link #beforeAll}). */
	static AzuriteServer server() {
		return server;
	}

}
