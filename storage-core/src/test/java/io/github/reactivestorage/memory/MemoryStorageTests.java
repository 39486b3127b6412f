package io.github.reactivestorage.memory;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageQuotaExceededException;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.support.ContentHash;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryStorageTests {

	private final MemoryStorage storage = new MemoryStorage("m", DefaultDataBufferFactory.sharedInstance, 1000);

	@Test
	void overQuotaPutFailsWhileStreamingAndStoresNothing() {
		Flux<DataBuffer> body = Flux.range(0, 20).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[100]));
		StepVerifier.create(this.storage.put("big.bin", body, PutOptions.defaults()))
			.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(StorageQuotaExceededException.class)
				.hasMessageContaining("1000 bytes")
				.hasMessageContaining("mount 'm'"))
			.verify();
		assertThat(this.storage.exists("big.bin").block()).isFalse();
		assertThat(this.storage.usedBytes()).isZero();
	}

	@Test
	void anOverwriteCountsAsAReplacement() {
		this.storage.put("a.bin", new byte[800]).block();
		this.storage.put("a.bin", new byte[900]).block();
		assertThat(this.storage.usedBytes()).isEqualTo(900);
		StepVerifier.create(this.storage.put("b.bin", new byte[200])).expectError(StorageQuotaExceededException.class).verify();
		this.storage.delete("a.bin").block();
		assertThat(this.storage.usedBytes()).isZero();
		this.storage.put("b.bin", new byte[200]).block();
		assertThat(this.storage.usedBytes()).isEqualTo(200);
	}

	@Test
	void concurrentWritersNeverPassTheQuota() {
		MemoryStorage unbounded = new MemoryStorage("u");
		Flux.range(0, 200)
			.parallel(8)
			.runOn(reactor.core.scheduler.Schedulers.parallel())
			.flatMap(i -> unbounded.put("k/" + (i % 50), new byte[i % 7]))
			.sequential()
			.blockLast(Duration.ofSeconds(30));
		assertThat(unbounded.list("k/").count().block()).isEqualTo(50);
		long sum = unbounded.list("k/").map(o -> o.size()).reduce(0L, Long::sum).block();
		assertThat(unbounded.usedBytes()).isEqualTo(sum);

		Flux.range(0, 100)
			.parallel(8)
			.runOn(reactor.core.scheduler.Schedulers.parallel())
			.flatMap(i -> this.storage.put("q/" + i, new byte[30]).onErrorResume(StorageQuotaExceededException.class,
					ex -> reactor.core.publisher.Mono.empty()))
			.sequential()
			.blockLast(Duration.ofSeconds(30));
		assertThat(this.storage.usedBytes()).isLessThanOrEqualTo(1000).isEqualTo(33 * 30);
	}

	@Test
	void etagFollowsTheContent() {
		String first = this.storage.put("e.bin", new byte[] { 1 }).map(StoredObject::etag).block();
		String same = this.storage.put("e.bin", new byte[] { 1 }).map(StoredObject::etag).block();
		String changed = this.storage.put("e.bin", new byte[] { 2 }).map(StoredObject::etag).block();
		assertThat(first).hasSize(32).isEqualTo(same).isNotEqualTo(changed);
		assertThat(this.storage.info("e.bin").map(StoredObject::etag).block()).isEqualTo(changed);
	}

	@Test
	void etagsOfContentThatDiffersInOneBitDiffer() {
		Set<String> etags = new HashSet<>();
		for (int length : new int[] { 0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 4096 }) {
			byte[] content = new byte[length];
			etags.add(ContentHash.hex(content));
			for (int bit = 0; bit < length * 8; bit += Math.max(1, length / 4)) {
				byte[] changed = content.clone();
				changed[bit / 8] ^= (byte) (1 << (bit % 8));
				assertThat(etags.add(ContentHash.hex(changed))).as("length %d bit %d", length, bit).isTrue();
			}
		}
	}

	@Test
	void storedBytesAreNeitherTheCallersArrayNorHandedOut() {
		byte[] content = { 1, 2, 3 };
		this.storage.put("c.bin", content).block();
		content[0] = 9;
		byte[] read = this.storage.getBytes("c.bin").block();
		assertThat(read).containsExactly(1, 2, 3);
		read[1] = 9;
		assertThat(this.storage.getBytes("c.bin").block()).containsExactly(1, 2, 3);
	}

	@Test
	void bodyOfManyBuffersIsStoredWhole() {
		Flux<DataBuffer> body = Flux.range(0, 100)
			.map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[] { i.byteValue(), i.byteValue(), i.byteValue() }));
		StepVerifier.create(this.storage.put("many.bin", body, PutOptions.defaults()))
			.assertNext(object -> assertThat(object.size()).isEqualTo(300))
			.verifyComplete();
		byte[] read = this.storage.getBytes("many.bin").block();
		assertThat(read).hasSize(300);
		assertThat(read[299]).isEqualTo((byte) 99);
	}

	@Test
	void urlsAreMemoryUris() {
		assertThat(this.storage.url("a/b c.txt", io.github.reactivestorage.UrlOptions.get()).block())
			.hasToString("memory://m/a/b%20c.txt");
	}

}
