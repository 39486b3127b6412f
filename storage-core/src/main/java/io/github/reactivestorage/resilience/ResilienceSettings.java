package io.github.reactivestorage.resilience;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Timeout and retry settings of a {@link ResilientStorage}.
 *
 * @param timeout the most one operation may take until its result (for {@code get}: until its first
 * buffer), or {@code null} for none
 * @param maxAttempts the most attempts of an idempotent operation, {@code 1} for no retry
 * @param initialBackoff the wait before the first retry; doubled (with jitter) for each later one
 * @param maxBackoff the longest wait between attempts
 * @param jitter the jitter factor between 0 and 1 applied to each wait
 */
public record ResilienceSettings(@Nullable Duration timeout, int maxAttempts, Duration initialBackoff,
		Duration maxBackoff, double jitter) {

	/** No timeout, no retries. */
	public static final ResilienceSettings NONE = new ResilienceSettings(null, 1, Duration.ofMillis(100),
			Duration.ofSeconds(5), 0.5);

	public ResilienceSettings {
		if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
			throw new IllegalArgumentException("timeout must be positive: " + timeout);
		}
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
		}
		if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
			throw new IllegalArgumentException(
					"backoff must be non-negative and maxBackoff at least initialBackoff: " + initialBackoff + ", "
							+ maxBackoff);
		}
		if (jitter < 0 || jitter > 1) {
			throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
		}
	}

	/** These settings with another timeout. */
	public ResilienceSettings withTimeout(@Nullable Duration timeout) {
		return new ResilienceSettings(timeout, this.maxAttempts, this.initialBackoff, this.maxBackoff, this.jitter);
	}

	/** These settings with another number of attempts. */
	public ResilienceSettings withMaxAttempts(int maxAttempts) {
		return new ResilienceSettings(this.timeout, maxAttempts, this.initialBackoff, this.maxBackoff, this.jitter);
	}

	/** These settings with other backoff bounds. */
	public ResilienceSettings withBackoff(Duration initialBackoff, Duration maxBackoff) {
		return new ResilienceSettings(this.timeout, this.maxAttempts, initialBackoff, maxBackoff, this.jitter);
	}

}
