package io.github.reactivestorage.observation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.memory.MemoryStorage;

import static org.assertj.core.api.Assertions.assertThat;

class ObservedStorageTests {

	private final List<Observation.Context> stopped = new ArrayList<>();

	private final AtomicLong read = new AtomicLong();

	private final AtomicLong written = new AtomicLong();

	private final ObservedStorage storage;

	ObservedStorageTests() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {
			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStop(Observation.Context context) {
				ObservedStorageTests.this.stopped.add(context);
			}
		});
		ByteCounter counter = new ByteCounter() {
			@Override
			public void read(long bytes) {
				ObservedStorageTests.this.read.addAndGet(bytes);
			}

			@Override
			public void written(long bytes) {
				ObservedStorageTests.this.written.addAndGet(bytes);
			}
		};
		this.storage = new ObservedStorage(new MemoryStorage("media"), registry, "memory", counter);
	}

	@Test
	void operationsAreObservedWithLowCardinalityTagsAndBytesCounted() {
		byte[] content = "hello world".getBytes(StandardCharsets.UTF_8);
		StepVerifier.create(this.storage.put("secret/key.txt", content)).expectNextCount(1).verifyComplete();
		StepVerifier.create(this.storage.getBytes("secret/key.txt"))
			.assertNext(bytes -> assertThat(bytes).isEqualTo(content))
			.verifyComplete();
		assertThat(this.stopped).hasSize(2);
		Map<String, String> put = tags(this.stopped.get(0));
		assertThat(put).containsEntry("storage.mount", "media")
			.containsEntry("storage.type", "memory")
			.containsEntry("storage.operation", "put")
			.containsEntry("outcome", "success")
			.containsEntry("exception", "none");
		assertThat(tags(this.stopped.get(1))).containsEntry("storage.operation", "get");
		assertThat(this.stopped).allSatisfy(context -> {
			assertThat(context.getName()).isEqualTo(ObservedStorage.OBSERVATION_NAME);
			assertThat(context.getAllKeyValues().stream().map(KeyValue::getValue)).noneMatch(v -> v.contains("secret"));
		});
		assertThat(this.written.get()).isEqualTo(content.length);
		assertThat(this.read.get()).isEqualTo(content.length);
	}

	@Test
	void errorsAreTaggedWithTheExceptionClass() {
		StepVerifier.create(this.storage.info("missing")).expectError(ObjectNotFoundException.class).verify();
		assertThat(tags(this.stopped.get(0))).containsEntry("outcome", "error")
			.containsEntry("exception", "ObjectNotFoundException")
			.containsEntry("storage.operation", "info");
	}

	@Test
	void conditionalDeletesAreObservedAsDeletes() {
		String etag = this.storage.put("a.txt", "one".getBytes(StandardCharsets.UTF_8)).block().etag();
		this.stopped.clear();
		StepVerifier.create(this.storage.delete("a.txt", DeleteOptions.ifMatch("stale")))
			.expectError(PreconditionFailedException.class)
			.verify();
		StepVerifier.create(this.storage.delete("a.txt", DeleteOptions.ifMatch(etag))).verifyComplete();
		assertThat(tags(this.stopped.get(0))).containsEntry("storage.operation", "delete")
			.containsEntry("exception", "PreconditionFailedException");
		assertThat(tags(this.stopped.get(1))).containsEntry("storage.operation", "delete")
			.containsEntry("outcome", "success");
	}

	@Test
	void cancelledReadsAreTaggedCancelled() {
		this.storage.put("big.bin", new byte[300_000]).block();
		this.stopped.clear();
		StepVerifier.create(this.storage.get("big.bin"), 1)
			.consumeNextWith(org.springframework.core.io.buffer.DataBufferUtils::release)
			.thenCancel()
			.verify();
		assertThat(tags(this.stopped.get(0))).containsEntry("outcome", "cancelled");
	}

	private static Map<String, String> tags(Observation.Context context) {
		return context.getLowCardinalityKeyValues()
			.stream()
			.collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
	}

}
