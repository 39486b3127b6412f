package io.github.reactivestorage.filesystem;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StoredObject;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compare-and-swap on the filesystem backend: {@code ifMatch} puts and deletes are checked and
 * committed under the key's lock, so exactly one of concurrent racers with the same etag wins.
 */
class FilesystemConditionalWriteTests {

	@TempDir
	Path directory;

	private FilesystemStorage storage(boolean small) {
		return new FilesystemStorage("fs", this.directory.resolve(small ? "small" : "streamed"));
	}

	@Test
	void declaresConditionalWrites() {
		assertThat(storage(true).capabilities()).contains(StorageCapability.CONDITIONAL_WRITE);
	}

	@Test
	void exactlyOneOfConcurrentIfMatchPutsWinsOnBothWritePaths() {
		for (boolean small : new boolean[] { true, false }) {
			FilesystemStorage storage = storage(small);
			String etag = storage.put("race", bytes("v0")).block().etag();
			int writers = 16;
			List<Mono<String>> attempts = new ArrayList<>();
			for (int i = 0; i < writers; i++) {
				String content = "writer-" + i;
				PutOptions.Builder options = PutOptions.builder().ifMatch(etag);
				if (small) {
					options.contentLength(content.length());
				}
				attempts.add(storage.put("race", Flux.just(bytes(content)).map(
						b -> org.springframework.core.io.buffer.DefaultDataBufferFactory.sharedInstance.wrap(b)),
						options.build())
					.map(o -> content)
					.onErrorResume(PreconditionFailedException.class, ex -> Mono.just("lost"))
					.subscribeOn(Schedulers.parallel()));
			}
			List<String> outcomes = Flux.merge(attempts).collectList().block();
			List<String> winners = outcomes.stream().filter(o -> !o.equals("lost")).toList();
			assertThat(winners).as("winners, small=" + small).hasSize(1);
			assertThat(new String(storage.getBytes("race").block(), StandardCharsets.UTF_8))
				.isEqualTo(winners.get(0));
		}
	}

	@Test
	void ifMatchPutOnAMissingObjectOrAStaleEtagFailsAndStoresNothing() {
		FilesystemStorage storage = storage(true);
		StepVerifier.create(storage.put("missing", bytes("x"), PutOptions.builder().ifMatch("abc").build()))
			.verifyError(PreconditionFailedException.class);
		StepVerifier.create(storage.exists("missing")).expectNext(false).verifyComplete();
		StoredObject first = storage.put("k", bytes("1")).block();
		storage.put("k", bytes("2")).block();
		StepVerifier.create(storage.put("k", bytes("3"), PutOptions.builder().ifMatch(first.etag()).build()))
			.verifyError(PreconditionFailedException.class);
		assertThat(storage.getBytes("k").block()).isEqualTo(bytes("2"));
	}

	@Test
	void ifMatchDeleteDeletesOnlyTheVersionNamed() {
		FilesystemStorage storage = storage(true);
		StoredObject first = storage.put("k", bytes("1")).block();
		StoredObject second = storage.put("k", bytes("2")).block();
		StepVerifier.create(storage.delete("k", DeleteOptions.ifMatch(first.etag())))
			.verifyError(PreconditionFailedException.class);
		assertThat(storage.getBytes("k").block()).isEqualTo(bytes("2"));
		StepVerifier.create(storage.delete("k", DeleteOptions.ifMatch(second.etag()))).verifyComplete();
		StepVerifier.create(storage.delete("k", DeleteOptions.ifMatch(second.etag())))
			.verifyError(PreconditionFailedException.class);
	}

	@Test
	void exactlyOneOfConcurrentIfMatchDeletesWins() {
		FilesystemStorage storage = storage(true);
		String etag = storage.put("k", bytes("1")).block().etag();
		List<Mono<String>> attempts = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			attempts.add(storage.delete("k", DeleteOptions.ifMatch(etag))
				.thenReturn("won")
				.onErrorResume(PreconditionFailedException.class, ex -> Mono.just("lost"))
				.subscribeOn(Schedulers.parallel()));
		}
		assertThat(Flux.merge(attempts).collectList().block()).filteredOn("won"::equals).hasSize(1);
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
