package io.github.reactivestorage.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link MountConfigurationException} at start-up with what is wrong and how to fix it.
 */
class MountConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<MountConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MountConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
