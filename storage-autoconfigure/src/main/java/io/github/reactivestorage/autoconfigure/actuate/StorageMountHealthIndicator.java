package io.github.reactivestorage.autoconfigure.actuate;

import java.time.Duration;

import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StorageException;

/**
 * The health of one mount: a cheap round trip to its store ({@code exists} of a probe key: a HEAD on
 * the bucket, container, root or base URL), bounded by a timeout. Details name the backend and its
 * capabilities, never credentials; a failure reports the exception class and the mount-level reason.
 */
public class StorageMountHealthIndicator implements ReactiveHealthIndicator {

	/** The key the probe looks for; it need not exist. */
	public static final String PROBE_KEY = ".storage-health-probe";

	private final ReactiveStorage storage;

	private final String type;

	private final Duration timeout;

	public StorageMountHealthIndicator(ReactiveStorage storage, String type, Duration timeout) {
		this.storage = storage;
		this.type = type;
		this.timeout = timeout;
	}

	@Override
	public Mono<Health> health() {
		long start = System.nanoTime();
		return this.storage.exists(PROBE_KEY)
			.timeout(this.timeout)
			.map(found -> Health.up()
				.withDetail("type", this.type)
				.withDetail("writable", this.storage.supports(StorageCapability.WRITE))
				.withDetail("latencyMs", (System.nanoTime() - start) / 1_000_000)
				.build())
			.onErrorResume(ex -> Mono.just(Health.down()
				.withDetail("type", this.type)
				.withDetail("error", ex.getClass().getSimpleName())
				.withDetail("reason", reason(ex))
				.build()));
	}

	private String reason(Throwable ex) {
		if (ex instanceof StorageException storageException) {
			return storageException.getReason();
		}
		if (ex instanceof java.util.concurrent.TimeoutException) {
			return "No answer within " + this.timeout;
		}
		return "Health probe failed";
	}

}
