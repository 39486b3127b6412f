package io.github.reactivestorage.memory;

import java.time.Duration;

import io.micrometer.observation.ObservationRegistry;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.conformance.StorageConformanceTests;
import io.github.reactivestorage.conformance.StorageTestContext;
import io.github.reactivestorage.observation.ByteCounter;
import io.github.reactivestorage.observation.ObservedStorage;
import io.github.reactivestorage.resilience.ResilienceSettings;
import io.github.reactivestorage.resilience.ResilientStorage;

/**
 * The conformance kit against a memory mount behind the decorators the auto-configuration stacks
 * (retries and timeouts, observations), so that every operation, conditional writes included, is
 * proven to pass through them unchanged. (A prefix would make the longest valid key too long, so
 * {@code PrefixedStorage} is checked by its own tests.)
 */
class DecoratedMemoryStorageConformanceTests extends StorageConformanceTests {

	@Override
	protected ReactiveStorage createStorage(StorageTestContext context) {
		ReactiveStorage memory = new MemoryStorage(context.mountName(), context.bufferFactory(), -1);
		ReactiveStorage resilient = new ResilientStorage(memory,
				new ResilienceSettings(Duration.ofSeconds(30), 3, Duration.ofMillis(10), Duration.ofMillis(50), 0.5));
		return new ObservedStorage(resilient, ObservationRegistry.create(), "memory", ByteCounter.NONE);
	}

}
