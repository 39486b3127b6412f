package io.github.reactivestorage.autoconfigure.actuate;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.StorageConfigurationException;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StoragePermissionException;

/**
 * The health of one mount: a cheap round trip to its store ({@code exists} of a probe key: a HEAD on
 * the bucket, container, root or base URL), bounded by a timeout. Details name the backend and its
 * capabilities, never credentials. A failure reports a fixed text for its kind, the mount and an error id;
 * the log line with the same id holds the full cause (backends' messages name hosts, accounts and
 * buckets, so they stay out of the details, which an actuator may show to anyone).
 */
public class StorageMountHealthIndicator implements ReactiveHealthIndicator {

	/** The key the probe looks for; it need not exist. */
	public static final String PROBE_KEY = ".storage-health-probe";

	private static final Log logger = LogFactory.getLog(StorageMountHealthIndicator.class);

	private static final Random ERROR_IDS = new SecureRandom();

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
			.onErrorResume(ex -> {
				String errorId = Long.toHexString(ERROR_IDS.nextLong() & Long.MAX_VALUE);
				logger.warn("[" + errorId + "] Health probe of mount '" + this.storage.name() + "' failed", ex);
				return Mono.just(Health.down()
					.withDetail("type", this.type)
					.withDetail("mount", this.storage.name())
					.withDetail("error", kind(ex))
					.withDetail("reason", reason(ex))
					.withDetail("errorId", errorId)
					.build());
			});
	}

	/** The kind of failure, a fixed word (never an exception or SDK class name). */
	private static String kind(Throwable ex) {
		if (ex instanceof TimeoutException) {
			return "timeout";
		}
		if (ex instanceof StorageConnectionException) {
			return "unreachable";
		}
		if (ex instanceof StoragePermissionException) {
			return "permission";
		}
		if (ex instanceof StorageConfigurationException) {
			return "configuration";
		}
		if (ex instanceof ObjectNotFoundException) {
			return "not-found";
		}
		return "failed";
	}

	private String reason(Throwable ex) {
		if (ex instanceof TimeoutException) {
			return "No answer within " + this.timeout;
		}
		if (ex instanceof StorageConnectionException) {
			return "The store is unreachable";
		}
		if (ex instanceof StoragePermissionException) {
			return "The store did not accept the mount's credentials or permissions";
		}
		if (ex instanceof StorageConfigurationException) {
			return "The mount is not configured correctly";
		}
		if (ex instanceof ObjectNotFoundException) {
			return "The bucket, container or root was not found";
		}
		return "Health probe failed";
	}

}
