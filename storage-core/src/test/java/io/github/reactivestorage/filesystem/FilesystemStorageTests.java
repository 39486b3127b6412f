package io.github.reactivestorage.filesystem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.InvalidKeyException;
import io.github.reactivestorage.KeyConflictException;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.ObjectAlreadyExistsException;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StoragePermissionException;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.support.ContentHash;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Filesystem specifics the conformance kit cannot see: what lands on disk, path safety, staging
 * clean-up and listing order over real directories.
 */
class FilesystemStorageTests {

	@TempDir
	Path directory;

	private Path root() {
		return this.directory.resolve("root");
	}

	private FilesystemStorage storage() {
		return new FilesystemStorage("fs", root(), null, DefaultDataBufferFactory.sharedInstance,
				Schedulers.boundedElastic());
	}

	@Test
	void rootIsCreatedOnFirstWriteAndAMissingRootListsAsEmpty() {
		FilesystemStorage storage = storage();
		assertThat(root()).doesNotExist();
		StepVerifier.create(storage.list(ListOptions.all())).verifyComplete();
		StepVerifier.create(storage.exists("a")).expectNext(false).verifyComplete();
		StepVerifier.create(storage.put("a/b.txt", bytes("hi"))).expectNextCount(1).verifyComplete();
		assertThat(root().resolve("a/b.txt")).hasContent("hi");
	}

	@Test
	void dotDotIsRejectedBeforeAnyIo() {
		FilesystemStorage storage = storage();
		StepVerifier.create(storage.put("../escape", bytes("x"))).verifyError(InvalidKeyException.class);
		StepVerifier.create(storage.put("a/../../escape", bytes("x"))).verifyError(InvalidKeyException.class);
		assertThat(this.directory.resolve("escape")).doesNotExist();
		assertThat(root()).doesNotExist();
	}

	@Test
	void percentEncodedTraversalIsALiteralKey() {
		FilesystemStorage storage = storage();
		StepVerifier.create(storage.put("%2e%2e/%2E%2E/x", bytes("x"))).expectNextCount(1).verifyComplete();
		assertThat(root().resolve("%2e%2e/%2E%2E/x")).hasContent("x");
		StepVerifier.create(storage.list(ListOptions.all()).map(StoredObject::key))
			.expectNext("%2e%2e/%2E%2E/x")
			.verifyComplete();
	}

	@Test
	void symbolicLinkToADirectoryOutsideTheRootIsRefused() throws IOException {
		Path outside = Files.createDirectories(this.directory.resolve("outside"));
		Files.writeString(outside.resolve("secret"), "secret");
		Files.createDirectories(root());
		Files.createSymbolicLink(root().resolve("link"), outside);
		FilesystemStorage storage = storage();
		StepVerifier.create(storage.get("link/secret")).verifyError(StoragePermissionException.class);
		StepVerifier.create(storage.info("link/secret")).verifyError(StoragePermissionException.class);
		StepVerifier.create(storage.exists("link/secret")).expectNext(false).verifyComplete();
		StepVerifier.create(storage.put("link/new", bytes("x"))).verifyError(StoragePermissionException.class);
		StepVerifier.create(storage.put("link/deeper/new", bytes("x")))
			.verifyError(StoragePermissionException.class);
		StepVerifier.create(storage.delete("link/secret")).verifyError(StoragePermissionException.class);
		assertThat(outside.resolve("secret")).hasContent("secret");
		assertThat(outside.resolve("new")).doesNotExist();
		assertThat(outside.resolve("deeper")).doesNotExist();
		StepVerifier.create(storage.list(ListOptions.all())).verifyComplete();
	}

	@Test
	void symbolicLinksThatStayInsideTheRootAreFollowed() throws IOException {
		FilesystemStorage storage = storage();
		storage.put("real/file.txt", bytes("inside")).block();
		Files.createSymbolicLink(root().resolve("alias"), root().resolve("real"));
		Files.createSymbolicLink(root().resolve("real/alias.txt"), root().resolve("real/file.txt"));
		StepVerifier.create(storage.getBytes("alias/file.txt").map(FilesystemStorageTests::string))
			.expectNext("inside")
			.verifyComplete();
		StepVerifier.create(storage.getBytes("real/alias.txt").map(FilesystemStorageTests::string))
			.expectNext("inside")
			.verifyComplete();
		StepVerifier.create(storage.put("alias/new.txt", bytes("new"))).expectNextCount(1).verifyComplete();
		assertThat(root().resolve("real/new.txt")).hasContent("new");
	}

	@Test
	void aRootThatIsASymbolicLinkWorks() throws IOException {
		Path target = Files.createDirectories(this.directory.resolve("target"));
		Files.createSymbolicLink(root(), target);
		FilesystemStorage storage = storage();
		StepVerifier.create(storage.put("top.txt", bytes("top"))).expectNextCount(1).verifyComplete();
		StepVerifier.create(storage.put("a/b.txt", bytes("deep"))).expectNextCount(1).verifyComplete();
		StepVerifier.create(storage.getBytes("a/b.txt").map(FilesystemStorageTests::string))
			.expectNext("deep")
			.verifyComplete();
		assertThat(target.resolve("top.txt")).hasContent("top");
	}

	@Test
	void theFinalOpenWalksDownWithoutFollowingALinkSwappedInAfterTheCheck() throws IOException {
		Path outside = Files.createDirectories(this.directory.resolve("outside"));
		Files.writeString(outside.resolve("secret"), "secret");
		Path root = Files.createDirectories(root());
		Files.createDirectories(root.resolve("dir"));
		Files.writeString(root.resolve("dir/secret"), "inside");
		try (var channel = VersionReader.openBeneath(root, root.resolve("dir/secret"))) {
			assertThat(channel.size()).isEqualTo(6);
		}
		// as if swapped in between the path check and the open
		Files.delete(root.resolve("dir/secret"));
		Files.delete(root.resolve("dir"));
		Files.createSymbolicLink(root.resolve("dir"), outside);
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> VersionReader.openBeneath(root, root.resolve("dir/secret")).close())
			.isInstanceOf(VersionReader.LinkOnTheWay.class);
	}

	@Test
	void symbolicLinkToAFileOutsideTheRootIsRefused() throws IOException {
		Path secret = Files.writeString(this.directory.resolve("secret"), "secret");
		Files.createDirectories(root());
		Files.createSymbolicLink(root().resolve("file"), secret);
		FilesystemStorage storage = storage();
		StepVerifier.create(storage.get("file")).verifyError(StoragePermissionException.class);
		StepVerifier.create(storage.copy("file", "copy")).verifyError(StoragePermissionException.class);
		assertThat(root().resolve("copy")).doesNotExist();
	}

	@Test
	void segmentLongerThan255BytesIsAnInvalidKeyNamingTheLimit() {
		FilesystemStorage storage = storage();
		StepVerifier.create(storage.put("a/" + "é".repeat(128), bytes("x")))
			.verifyErrorSatisfies(ex -> assertThat(ex).isInstanceOf(InvalidKeyException.class).hasMessageContaining("255"));
	}

	@Test
	void segmentOf255BytesKeepsItsMetadata() {
		FilesystemStorage storage = storage();
		String key = "dir/" + "s".repeat(255);
		PutOptions options = PutOptions.builder().contentType("text/x-long").metadata("k", "v").build();
		StepVerifier.create(storage.put(key, bytes("long"), options)).expectNextCount(1).verifyComplete();
		StepVerifier.create(storage.info(key)).assertNext(info -> {
			assertThat(info.contentType()).isEqualTo("text/x-long");
			assertThat(info.metadata()).containsEntry("k", "v");
		}).verifyComplete();
		StepVerifier.create(storage.delete(key)).verifyComplete();
		assertThat(root().resolve("dir")).doesNotExist();
		assertThat(root().resolve(".storage/meta/dir")).doesNotExist();
	}

	@Test
	void objectBesideDirectoryOfTheSameNameIsAKeyConflict() {
		FilesystemStorage storage = storage();
		storage.put("a/b", bytes("x")).block();
		StepVerifier.create(storage.put("a", bytes("y")))
			.verifyErrorSatisfies(ex -> assertThat(ex).isExactlyInstanceOf(KeyConflictException.class)
				.hasMessageContaining("directory"));
		storage.put("c", bytes("x")).block();
		StepVerifier.create(storage.put("c/d", bytes("y")))
			.verifyErrorSatisfies(ex -> assertThat(ex).isExactlyInstanceOf(KeyConflictException.class)
				.hasMessageContaining("directory"));
		StepVerifier.create(storage.getBytes("c").map(FilesystemStorageTests::string)).expectNext("x").verifyComplete();
		StepVerifier.create(storage.get("a")).verifyError(ObjectNotFoundException.class);
	}

	@Test
	void readsUnderAnObjectFindNothing() {
		FilesystemStorage storage = storage();
		storage.put("c", bytes("x")).block();
		StepVerifier.create(storage.get("c/d")).verifyError(ObjectNotFoundException.class);
		StepVerifier.create(storage.get("c/d/e")).verifyError(ObjectNotFoundException.class);
		StepVerifier.create(storage.read("c/d", null)).verifyError(ObjectNotFoundException.class);
		StepVerifier.create(storage.info("c/d")).verifyError(ObjectNotFoundException.class);
		StepVerifier.create(storage.exists("c/d")).expectNext(false).verifyComplete();
	}

	@Test
	void emptyParentDirectoriesAreRemovedAfterDelete() {
		FilesystemStorage storage = storage();
		storage.put("a/b/c/d", bytes("x")).block();
		storage.put("a/keep", bytes("x")).block();
		StepVerifier.create(storage.delete("a/b/c/d")).verifyComplete();
		assertThat(root().resolve("a/b")).doesNotExist();
		assertThat(root().resolve("a/keep")).exists();
		assertThat(root()).exists();
	}

	@Test
	void failingBodyLeavesNoStagingFileAndTheOldVersion() throws IOException {
		FilesystemStorage storage = storage();
		storage.put("k", bytes("old")).block();
		Flux<DataBuffer> failing = Flux.concat(Flux.just(buffer("new")), Flux.error(new IllegalStateException("boom")));
		StepVerifier.create(storage.put("k", failing)).verifyError(IllegalStateException.class);
		assertThat(root().resolve("k")).hasContent("old");
		assertThat(stagingFiles()).isEmpty();
	}

	@Test
	void cancelledPutLeavesNoStagingFileAndTheOldVersion() throws Exception {
		FilesystemStorage storage = storage();
		storage.put("k", bytes("old")).block();
		Sinks.Many<DataBuffer> body = Sinks.many().unicast().onBackpressureBuffer();
		CountDownLatch subscribed = new CountDownLatch(1);
		Flux<DataBuffer> never = body.asFlux().doOnSubscribe(s -> subscribed.countDown());
		var subscription = storage.put("k", never).subscribe();
		assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
		body.tryEmitNext(buffer("partial"));
		subscription.dispose();
		// clean-up runs on the scheduler after cancel: wait for it without asserting on timing
		for (int i = 0; i < 500 && !stagingFiles().isEmpty(); i++) {
			Thread.sleep(10);
		}
		assertThat(stagingFiles()).isEmpty();
		assertThat(root().resolve("k")).hasContent("old");
	}

	@Test
	void concurrentCreateOnlyPutsHaveExactlyOneWinner() {
		FilesystemStorage storage = storage();
		int writers = 16;
		List<Mono<String>> attempts = new ArrayList<>();
		for (int i = 0; i < writers; i++) {
			String content = "writer-" + i;
			attempts.add(storage.put("race", bytes(content), PutOptions.builder().createOnly(true).build())
				.map(o -> "won:" + content)
				.onErrorResume(ObjectAlreadyExistsException.class, ex -> Mono.just("lost"))
				.subscribeOn(Schedulers.parallel()));
		}
		List<String> outcomes = Flux.merge(attempts).collectList().block();
		List<String> winners = outcomes.stream().filter(o -> o.startsWith("won:")).toList();
		assertThat(winners).hasSize(1);
		assertThat(outcomes).filteredOn("lost"::equals).hasSize(writers - 1);
		String content = winners.get(0).substring(4);
		StepVerifier.create(storage.getBytes("race").map(FilesystemStorageTests::string)).expectNext(content).verifyComplete();
	}

	@Test
	void listingIsInUtf8ByteOrderAcrossDirectories() {
		FilesystemStorage storage = storage();
		List<String> keys = List.of("a", "a-b", "a0", "b/c", "a.b/x", "b-/y", "b0", "\uD83D\uDE00", "\uFFFD", "é",
				"z/\uD83D\uDE00/1", "z/\uFFFD");
		// "a" and "a/b" cannot coexist on a file system, so "a/b" lives under another name
		List<String> all = new ArrayList<>(keys);
		all.add("c/b");
		all.add("c-b");
		all.add("c0");
		for (String key : all) {
			storage.put(key, bytes(key)).block();
		}
		List<String> expected = new ArrayList<>(all);
		expected.sort((x, y) -> compareUtf8(x, y));
		StepVerifier.create(storage.list(ListOptions.all()).map(StoredObject::key).collectList())
			.assertNext(listed -> assertThat(listed).containsExactlyElementsOf(expected))
			.verifyComplete();
		assertThat(expected).containsSubsequence("c-b", "c/b", "c0");
		StepVerifier
			.create(storage.list(ListOptions.builder().delimiter("/").build())
				.map(o -> o.isPrefix() ? o.key() + "*" : o.key())
				.collectList())
			.assertNext(listed -> assertThat(listed).containsSubsequence("c-b", "c/*", "c0"))
			.verifyComplete();
		StepVerifier.create(storage.list(ListOptions.builder().startAfter("c-b").limit(2).build()).map(StoredObject::key))
			.expectNext("c/b", "c0")
			.verifyComplete();
	}

	@Test
	void sidecarsAndStagingFilesNeverAppearInListings() {
		FilesystemStorage storage = storage();
		storage.put("x", bytes("x"), PutOptions.builder().metadata("m", "v").build()).block();
		StepVerifier.create(storage.list(ListOptions.all()).map(StoredObject::key)).expectNext("x").verifyComplete();
		StepVerifier.create(storage.put(".storage/meta/x.properties", bytes("y")))
			.verifyError(InvalidKeyException.class);
	}

	@Test
	void unicodeMetadataRoundTripsAndFollowsCopyAndMove() {
		FilesystemStorage storage = storage();
		PutOptions options = PutOptions.builder()
			.contentType("text/plain; charset=utf-8")
			.metadata("greeting", "héllo \uD83D\uDE00 = : # \\")
			.build();
		StoredObject put = storage.put("src", bytes("body"), options).block();
		StepVerifier.create(storage.info("src")).assertNext(info -> {
			assertThat(info.metadata()).containsEntry("greeting", "héllo \uD83D\uDE00 = : # \\");
			assertThat(info.etag()).isEqualTo(put.etag());
		}).verifyComplete();
		StepVerifier.create(storage.move("src", "dst").then(storage.info("dst"))).assertNext(info -> {
			assertThat(info.contentType()).isEqualTo("text/plain; charset=utf-8");
			assertThat(info.metadata()).containsEntry("greeting", "héllo \uD83D\uDE00 = : # \\");
		}).verifyComplete();
		assertThat(root().resolve(".storage/meta/src.properties")).doesNotExist();
	}

	@Test
	void etagChangesWithContent() {
		FilesystemStorage storage = storage();
		String first = storage.put("e", bytes("one")).block().etag();
		String second = storage.put("e", bytes("two")).block().etag();
		assertThat(first).isNotEqualTo(second);
		StepVerifier.create(storage.info("e").map(StoredObject::etag)).expectNext(second).verifyComplete();
	}

	@Test
	void etagIsTheContentHashOfABodyInManyBuffersAndMatchesTheMemoryBackends() {
		FilesystemStorage storage = storage();
		byte[] content = new byte[100_003];
		new Random(3).nextBytes(content);
		// pieces that do not line up with the hash's 16-byte blocks
		Flux<DataBuffer> body = Flux.range(0, 100_003 / 997 + 1)
			.map(i -> DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(content, i * 997,
					Math.min(content.length, (i + 1) * 997))));
		String etag = storage.put("h", body).block().etag();
		assertThat(etag).isEqualTo(ContentHash.hex(content))
			.isEqualTo(new MemoryStorage("m").put("h", content).block().etag());
		StepVerifier.create(storage.copy("h", "h2").map(StoredObject::etag)).expectNext(etag).verifyComplete();
	}

	@Test
	void rangeReadsOnlyTheRequestedBytes() {
		FilesystemStorage storage = storage();
		storage.put("r", bytes("0123456789")).block();
		StepVerifier.create(DataBufferUtils.join(storage.get("r", ByteRange.of(3, 5))).map(FilesystemStorageTests::string))
			.expectNext("345")
			.verifyComplete();
		StepVerifier.create(DataBufferUtils.join(storage.get("r", ByteRange.last(2))).map(FilesystemStorageTests::string))
			.expectNext("89")
			.verifyComplete();
	}

	@Test
	void urlIsBaseUrlWithEncodedSegmentsOrAFileUri() {
		FilesystemStorage plain = storage();
		StepVerifier.create(plain.url("a b/c", UrlOptions.get()))
			.assertNext(uri -> assertThat(uri.getScheme()).isEqualTo("file"))
			.verifyComplete();
		FilesystemStorage served = new FilesystemStorage("fs", root(), "https://cdn.example.com/files",
				DefaultDataBufferFactory.sharedInstance, Schedulers.boundedElastic());
		StepVerifier.create(served.url("a b/c%d?#é", UrlOptions.get()).map(Object::toString))
			.expectNext("https://cdn.example.com/files/a%20b/c%25d%3F%23%C3%A9")
			.verifyComplete();
	}

	@Test
	void blockingCallsRunOnTheScheduler() {
		FilesystemStorage storage = new FilesystemStorage("fs", root(), null, DefaultDataBufferFactory.sharedInstance,
				Schedulers.newSingle("fs-io"));
		StepVerifier.create(storage.put("t", bytes("x")).then(Mono.fromCallable(() -> Thread.currentThread().getName())))
			.assertNext(thread -> assertThat(thread).startsWith("fs-io"))
			.verifyComplete();
	}

	private List<Path> stagingFiles() throws IOException {
		Path tmp = root().resolve(".storage/tmp");
		if (!Files.exists(tmp)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(tmp)) {
			return files.toList();
		}
	}

	private static int compareUtf8(String x, String y) {
		return java.util.Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static DataBuffer buffer(String value) {
		return DefaultDataBufferFactory.sharedInstance.wrap(bytes(value));
	}

	private static String string(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static String string(DataBuffer buffer) {
		String value = buffer.toString(StandardCharsets.UTF_8);
		DataBufferUtils.release(buffer);
		return value;
	}

}
