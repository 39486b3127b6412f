package io.github.reactivestorage.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

import io.github.reactivestorage.ReactiveStorage;

/**
 * Explains an unqualified {@link ReactiveStorage} injection point that several mounts could satisfy:
 * set {@code storage.default-mount} or add a {@code @Qualifier}.
 */
class AmbiguousMountFailureAnalyzer extends AbstractFailureAnalyzer<NoUniqueBeanDefinitionException>
		implements Ordered {

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, NoUniqueBeanDefinitionException cause) {
		if (cause.getBeanType() == null || !ReactiveStorage.class.isAssignableFrom(cause.getBeanType())) {
			return null;
		}
		return new FailureAnalysis(
				"A ReactiveStorage was injected without a qualifier, but " + cause.getNumberOfBeansFound()
						+ " mounts match and none is the default: " + cause.getBeanNamesFound(),
				"Set storage.default-mount to the mount to inject by default, or add @Qualifier(\"<mount name>\") "
						+ "to the injection point.",
				cause);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
