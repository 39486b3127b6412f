package io.github.reactivestorage.conformance;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.ChecksumAlgorithm;
import io.github.reactivestorage.ChecksumMismatchException;
import io.github.reactivestorage.DeleteOptions;
import io.github.reactivestorage.InvalidKeyException;
import io.github.reactivestorage.InvalidMetadataException;
import io.github.reactivestorage.InvalidRangeException;
import io.github.reactivestorage.ListOptions;
import io.github.reactivestorage.ObjectAlreadyExistsException;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PreconditionFailedException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StorageException;
import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlOptions;
import io.github.reactivestorage.support.PrefixedStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage contract as an abstract JUnit 5 suite. Extend it, build the backend in
 * {@link #createStorage(StorageTestContext)} with the context's leak-tracking buffer factory, and
 * every case runs against it. Cases are grouped by area in {@code @Nested} classes. Optional behaviour
 * is gated on the backend's declared {@link StorageCapability capabilities}; gaps of a test server are
 * declared with {@link #knownLimitations()}. Gated cases are reported as skipped, with the reason,
 * never as passed. Read-only backends override {@link #seed} to place objects by other means; every
 * writing case is then skipped through the {@code WRITE} capability.
 */
public abstract class StorageConformanceTests extends StorageConformanceSupport {

	/**
	 * Store an object for a reading case. The default puts it through the storage; a read-only backend
	 * overrides this to place the object in its store by other means.
	 */
	protected void seed(String key, byte[] content, PutOptions options) {
		assumeCapability(StorageCapability.WRITE);
		put(key, content, options);
	}

	protected void seed(String key, byte[] content) {
		seed(key, content, PutOptions.defaults());
	}

	// =====================================================================================
	@Nested
	@DisplayName("put and get")
	public class PutAndGet {

		@Test
		void roundTripsBytes() {
			assumeCapability(StorageCapability.WRITE);
			StoredObject stored = put("greeting.txt", bytes("hello, storage"));
			assertThat(stored.key()).isEqualTo("greeting.txt");
			assertThat(stored.size()).isEqualTo(14);
			assertThat(text(get("greeting.txt"))).isEqualTo("hello, storage");
		}

		@Test
		void emptyObject() {
			assumeCapability(StorageCapability.WRITE);
			assertThat(put("empty.bin", new byte[0]).size()).isZero();
			assertThat(get("empty.bin")).isEmpty();
			assertThat(info("empty.bin").size()).isZero();
		}

		@Test
		void emptyBodyPublisherStoresAnEmptyObject() {
			assumeCapability(StorageCapability.WRITE);
			await(storage.put("empty-flux.bin", Flux.empty(), PutOptions.defaults()));
			assertThat(get("empty-flux.bin")).isEmpty();
		}

		@Test
		void oneByte() {
			assumeCapability(StorageCapability.WRITE);
			put("one.bin", new byte[] { 42 });
			assertThat(get("one.bin")).containsExactly(42);
		}

		@Test
		void exactMultipleOfTheChunkSize() {
			assumeCapability(StorageCapability.WRITE);
			await(storage.put("chunks.bin", generate(2L * CHUNK, 1), PutOptions.defaults()));
			assertThat(digestOf(storage.get("chunks.bin"))).isEqualTo(digestOfGenerated(2L * CHUNK, 1));
		}

		@Test
		void everyByteValue() {
			assumeCapability(StorageCapability.WRITE);
			byte[] all = new byte[256];
			for (int i = 0; i < 256; i++) {
				all[i] = (byte) i;
			}
			put("all-bytes.bin", all);
			assertThat(get("all-bytes.bin")).containsExactly(all);
		}

		@Test
		void largeBodyOfUnknownLengthIsStreamed() {
			assumeCapability(StorageCapability.WRITE);
			long size = largeObjectSize() + 123;
			StoredObject stored = await(storage.put("large.bin", generate(size, 7), PutOptions.defaults()));
			assertThat(stored.size()).isEqualTo(size);
			assertThat(info("large.bin").size()).isEqualTo(size);
			assertThat(digestOf(storage.get("large.bin"))).isEqualTo(digestOfGenerated(size, 7));
		}

		@Test
		void largeBodyWithKnownLength() {
			assumeCapability(StorageCapability.WRITE);
			long size = largeObjectSize();
			await(storage.put("known.bin", generate(size, 8), PutOptions.builder().contentLength(size).build()));
			assertThat(digestOf(storage.get("known.bin"))).isEqualTo(digestOfGenerated(size, 8));
		}

		@Test
		void manySmallBuffers() {
			assumeCapability(StorageCapability.WRITE);
			Flux<DataBuffer> body = Flux.range(0, 1000)
				.map(i -> bufferFactory.wrap(bytes(String.format("%04d,", i))));
			await(storage.put("small-buffers.csv", Flux.defer(() -> body), PutOptions.defaults()));
			String expected = IntStream.range(0, 1000).mapToObj(i -> String.format("%04d,", i)).collect(Collectors.joining());
			assertThat(text(get("small-buffers.csv"))).isEqualTo(expected);
		}

		/**
		 * Spring WebFlux subscribes to an annotated controller's {@code Mono} with a
		 * {@code doOnDiscard(DataBuffer.class, release)} hook in the context, which reaches the put.
		 * The body here is made of slices sharing their parent's reference count, as a server's
		 * request chunks are: a buffer released by the put and then discarded by an operator would
		 * take one count too many from the parent.
		 */
		@Test
		void bodyBuffersAreReleasedOnceUnderADownstreamDiscardHook() {
			assumeCapability(StorageCapability.WRITE);
			int chunk = 8 * 1024;
			int chunks = 16;
			byte[] content = new byte[chunk * chunks];
			new Random(11).nextBytes(content);
			ByteBuf parent = Unpooled.wrappedBuffer(content);
			NettyDataBufferFactory slices = new NettyDataBufferFactory(parent.alloc());
			Flux<DataBuffer> body = Flux.range(0, chunks)
				.map(i -> slices.wrap(parent.retainedSlice(i * chunk, chunk)));
			try {
				StoredObject stored = await(storage
					.put("slices.bin", body, PutOptions.builder().contentLength(content.length).build())
					.doOnDiscard(DataBuffer.class, DataBufferUtils::release));
				assertThat(stored.size()).isEqualTo(content.length);
				assertThat(parent.refCnt()).as("each slice released exactly once").isEqualTo(1);
				assertThat(get("slices.bin")).isEqualTo(content);
			}
			finally {
				if (parent.refCnt() > 0) {
					parent.release(parent.refCnt());
				}
			}
		}

		@Test
		void putReturnsTheEtagInfoReturns() {
			assumeCapability(StorageCapability.WRITE);
			assumeNoLimitation(KnownLimitation.NO_ETAG);
			StoredObject stored = put("etag.txt", bytes("content"));
			assertThat(stored.etag()).isNotBlank();
			assertThat(info("etag.txt").etag()).isEqualTo(stored.etag());
		}

		@Test
		void etagHasNoQuotes() {
			assumeCapability(StorageCapability.WRITE);
			assumeNoLimitation(KnownLimitation.NO_ETAG);
			StoredObject stored = put("etag.txt", bytes("content"));
			assertThat(stored.etag()).doesNotStartWith("\"").doesNotEndWith("\"");
		}

		@Test
		void lastModifiedIsSet() {
			assumeCapability(StorageCapability.WRITE);
			Instant before = Instant.now().minus(Duration.ofMinutes(10));
			put("time.txt", bytes("x"));
			Instant lastModified = info("time.txt").lastModified();
			assertThat(lastModified).isNotNull().isAfter(before).isBefore(Instant.now().plus(Duration.ofMinutes(10)));
		}

		@Test
		void overwriteReplacesContent() {
			assumeCapability(StorageCapability.WRITE);
			put("over.txt", bytes("first version, longer"));
			put("over.txt", bytes("second"));
			assertThat(text(get("over.txt"))).isEqualTo("second");
			assertThat(info("over.txt").size()).isEqualTo(6);
		}

		@Test
		void overwriteChangesTheEtag() {
			assumeCapability(StorageCapability.WRITE);
			assumeNoLimitation(KnownLimitation.NO_ETAG);
			String first = put("over.txt", bytes("first")).etag();
			String second = put("over.txt", bytes("second")).etag();
			assertThat(second).isNotEqualTo(first);
		}

		@Test
		void overwriteReplacesMetadata() {
			assumeCapability(StorageCapability.WRITE);
			assumeCapability(StorageCapability.USER_METADATA);
			put("meta.txt", bytes("a"), PutOptions.builder().metadata("one", "1").metadata("two", "2").build());
			put("meta.txt", bytes("b"), PutOptions.builder().metadata("three", "3").build());
			assertThat(info("meta.txt").metadata()).containsExactlyEntriesOf(Map.of("three", "3"));
		}

		@Test
		void overwriteWithoutContentTypeGuessesAgain() {
			assumeCapability(StorageCapability.WRITE);
			put("doc.txt", bytes("a"), PutOptions.builder().contentType("application/x-custom").build());
			put("doc.txt", bytes("b"));
			assertThat(info("doc.txt").contentType()).startsWith("text/plain");
		}

		@Test
		void leadingSlashIsDropped() {
			assumeCapability(StorageCapability.WRITE);
			StoredObject stored = put("/slash/key.txt", bytes("s"));
			assertThat(stored.key()).isEqualTo("slash/key.txt");
			assertThat(text(get("slash/key.txt"))).isEqualTo("s");
			assertThat(text(get("/slash/key.txt"))).isEqualTo("s");
		}

		@Test
		void getOfMissingKeyIsNotFound() {
			expectError(storage.get("missing.txt"), ObjectNotFoundException.class);
		}

		@Test
		void rangeGetOfMissingKeyIsNotFound() {
			expectError(storage.get("missing.txt", ByteRange.of(0, 1)), ObjectNotFoundException.class);
		}

		@Test
		void getBytesReadsTheWholeObject() {
			seed("bytes.txt", bytes("whole content"));
			assertThat(text(await(storage.getBytes("bytes.txt")))).isEqualTo("whole content");
		}

		@Test
		void knownContentLengthThatIsWrongIsAnError() {
			assumeCapability(StorageCapability.WRITE);
			StepVerifier.create(storage.put("wrong-length.bin", body(bytes("four")),
					PutOptions.builder().contentLength(10).build()))
				.expectError()
				.verify(TIMEOUT);
			assumeNoLimitation(KnownLimitation.UPLOAD_VISIBLE_BEFORE_COMMIT);
			assertThat(exists("wrong-length.bin")).isFalse();
		}

		@Test
		void concurrentPutsOfDifferentKeys() {
			assumeCapability(StorageCapability.WRITE);
			StepVerifier.create(Flux.range(0, 20)
				.flatMap(i -> storage.put("concurrent/" + i + ".txt", body(bytes("value " + i)), PutOptions.defaults()),
						8)
				.count()).expectNext(20L).expectComplete().verify(TIMEOUT);
			for (int i = 0; i < 20; i++) {
				assertThat(text(get("concurrent/" + i + ".txt"))).isEqualTo("value " + i);
			}
		}

		@Test
		void concurrentOverwritesLeaveOneWholeVersion() {
			assumeCapability(StorageCapability.WRITE);
			long size = 256 * 1024;
			StepVerifier.create(Flux.range(0, 6)
				.flatMap(i -> storage.put("contended.bin", generate(size, 100 + i), PutOptions.defaults()), 6)
				.then()).expectComplete().verify(TIMEOUT);
			String digest = digestOf(storage.get("contended.bin"));
			List<String> candidates = IntStream.range(0, 6).mapToObj(i -> digestOfGenerated(size, 100 + i)).toList();
			assertThat(candidates).contains(digest);
		}

	}

	// =====================================================================================
	@Nested
	@DisplayName("content type")
	public class ContentType {

		@Test
		void givenContentTypeIsKept() {
			assumeCapability(StorageCapability.WRITE);
			put("data.bin", bytes("{}"), PutOptions.builder().contentType("application/vnd.example+json").build());
			assertThat(info("data.bin").contentType()).isEqualTo("application/vnd.example+json");
		}

		@Test
		void putReturnsTheContentType() {
			assumeCapability(StorageCapability.WRITE);
			StoredObject stored = put("page.html", bytes("<p>"), PutOptions.builder().contentType("text/html").build());
			assertThat(stored.contentType()).isEqualTo("text/html");
		}

		@ParameterizedTest
		@ValueSource(strings = { "notes.txt=text/plain", "image.png=image/png", "data.json=application/json",
				"page.html=text/html", "photo.jpg=image/jpeg" })
		void guessedFromTheExtension(String keyAndType) {
			assumeCapability(StorageCapability.WRITE);
			String key = keyAndType.substring(0, keyAndType.indexOf('='));
			String type = keyAndType.substring(keyAndType.indexOf('=') + 1);
			put("guess/" + key, bytes("x"));
			assertThat(info("guess/" + key).contentType()).startsWith(type);
		}

		@Test
		void unknownExtensionIsOctetStream() {
			assumeCapability(StorageCapability.WRITE);
			put("file.unknownext", bytes("x"));
			assertThat(info("file.unknownext").contentType()).isEqualTo("application/octet-stream");
		}

		@Test
		void noExtensionIsOctetStream() {
			assumeCapability(StorageCapability.WRITE);
			put("dir.txt/noextension", bytes("x"));
			assertThat(info("dir.txt/noextension").contentType()).isEqualTo("application/octet-stream");
		}

	}

	// =====================================================================================
	@Nested
	@DisplayName("user metadata")
	public class Metadata {

		@Test
		void roundTrips() {
			assumeCapability(StorageCapability.WRITE);
			assumeCapability(StorageCapability.USER_METADATA);
			put("m.txt", bytes("x"), PutOptions.builder().metadata("owner", "ada").metadata("version", "3").build());
			assertThat(info("m.txt").metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("owner", "ada", "version", "3"));
		}

		@Test
		void putReturnsTheMetadata() {
			assumeCapability(StorageCapability.WRITE);
			assumeCapability(StorageCapability.USER_METADATA);
			StoredObject stored = put("m.txt", bytes("x"), PutOptions.builder().metadata("owner", "ada").build());
			assertThat(stored.metadata()).containsEntry("owner", "ada");
		}

		@Test
		void noMetadataIsAnEmptyMap() {
			assumeCapability(StorageCapability.WRITE);
			put("plain.txt", bytes("x"));
			assertThat(info("plain.txt").metadata()).isNotNull().isEmpty();
		}

		@ParameterizedTest
		@ValueSource(strings = { "é à ü ß", "日本語のテキスト", "emoji 🎉🚀", "  spaces around  ",
				"=?utf-8?q?looks_encoded?=", "percent %20 and + plus", "", "line\nbreak and\ttab" })
		void unicodeValuesRoundTripExactly(String value) {
			assumeCapability(StorageCapability.WRITE);
			assumeCapability(StorageCapability.USER_METADATA);
			put("u.txt", bytes("x"), PutOptions.builder().metadata("value", value).build());
			assertThat(info("u.txt").metadata()).containsEntry("value", value);
		}

		@Test
		void manyPortableKeys() {
			assumeCapability(StorageCapability.WRITE);
			assumeCapability(StorageCapability.USER_METADATA);
			PutOptions.Builder options = PutOptions.builder();
			for (int i = 0; i < 20; i++) {
				options.metadata("key_" + i, "value " + i);
			}
			put("many.txt", bytes("x"), options.build());
			assertThat(info("many.txt").metadata()).hasSize(20).containsEntry("key_7", "value 7");
		}

		@Test
		void longestPortableKey() {
			assumeCapability(StorageCapability.WRITE);
			assumeCapability(StorageCapability.USER_METADATA);
			String key = "k" + "a".repeat(63);
			put("long.txt", bytes("x"), PutOptions.builder().metadata(key, "v").build());
			assertThat(info("long.txt").metadata()).containsEntry(key, "v");
		}

		@ParameterizedTest
		@ValueSource(strings = { "with space", "colon:key", "", "new\nline", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ключ" })
		void invalidKeysAreRejectedBeforeTheBodyIsSubscribed(String key) {
			assumeCapability(StorageCapability.WRITE);
			WatchedBody body = watched(bytes("x"));
			StepVerifier.create(storage.put("bad-meta.txt", body.flux(), PutOptions.builder().metadata(key, "v").build()))
				.expectError(InvalidMetadataException.class)
				.verify(TIMEOUT);
			assertThat(body.wasSubscribed()).isFalse();
		}

		@Test
		void moreThanTwoKibibytesInTotalIsRejected() {
			assumeCapability(StorageCapability.WRITE);
			WatchedBody body = watched(bytes("x"));
			PutOptions options = PutOptions.builder().metadata("big", "v".repeat(2100)).build();
			StepVerifier.create(storage.put("big-meta.txt", body.flux(), options))
				.expectError(InvalidMetadataException.class)
				.verify(TIMEOUT);
			assertThat(body.wasSubscribed()).isFalse();
		}

		@Test
		void justUnderTheLimitIsAccepted() {
			assumeCapability(StorageCapability.WRITE);
			assumeCapability(StorageCapability.USER_METADATA);
			String value = "v".repeat(2048 - 3 - 10);
			put("limit.txt", bytes("x"), PutOptions.builder().metadata("big", value).build());
			assertThat(info("limit.txt").metadata()).containsEntry("big", value);
		}

		@Test
		void rejectedMetadataStoresNothing() {
			assumeCapability(StorageCapability.WRITE);
			expectError(storage.put("nothing.txt", body(bytes("x")), PutOptions.builder().metadata("bad key", "v").build()),
					InvalidMetadataException.class);
			assertThat(exists("nothing.txt")).isFalse();
		}

	}

	// =====================================================================================
	@Nested
	@DisplayName("create-only put")
	public class CreateOnly {

		private final PutOptions createOnly = PutOptions.builder().ifNoneMatch().build();

		@Test
		void succeedsWhenAbsent() {
			assumeCapability(StorageCapability.CONDITIONAL_PUT);
			put("new.txt", bytes("fresh"), this.createOnly);
			assertThat(text(get("new.txt"))).isEqualTo("fresh");
		}

		@Test
		void failsWhenPresentAndKeepsTheObject() {
			assumeCapability(StorageCapability.CONDITIONAL_PUT);
			assumeNoLimitation(KnownLimitation.NO_PRECONDITIONS);
			put("taken.txt", bytes("original"));
			expectError(storage.put("taken.txt", body(bytes("intruder")), this.createOnly),
					ObjectAlreadyExistsException.class);
			assertThat(text(get("taken.txt"))).isEqualTo("original");
		}

		@Test
		void exactlyOneOfConcurrentRacersWins() {
			assumeCapability(StorageCapability.CONDITIONAL_PUT);
			assumeNoLimitation(KnownLimitation.NO_PRECONDITIONS);
			Flux<Integer> outcomes = Flux.range(0, 8)
				.flatMap(i -> storage.put("race.txt", body(bytes("racer " + i)), this.createOnly)
					.map(object -> 1)
					.onErrorResume(ObjectAlreadyExistsException.class, ex -> Mono.just(0)), 8);
			StepVerifier.create(outcomes.reduce(0, Integer::sum)).expectNext(1).expectComplete().verify(TIMEOUT);
			assertThat(text(get("race.txt"))).startsWith("racer ");
		}

		@Test
		void succeedsAgainAfterDelete() {
			assumeCapability(StorageCapability.CONDITIONAL_PUT);
			put("cycle.txt", bytes("one"), this.createOnly);
			awaitEmpty(storage.delete("cycle.txt"));
			put("cycle.txt", bytes("two"), this.createOnly);
			assertThat(text(get("cycle.txt"))).isEqualTo("two");
		}

		@Test
		void largeCreateOnlyBody() {
			assumeCapability(StorageCapability.CONDITIONAL_PUT);
			long size = largeObjectSize();
			await(storage.put("large-new.bin", generate(size, 3), this.createOnly));
			assertThat(digestOf(storage.get("large-new.bin"))).isEqualTo(digestOfGenerated(size, 3));
		}

		@Test
		void unsupportedWithoutTheCapability() {
			assumeCapability(StorageCapability.WRITE);
			assumeLacking(StorageCapability.CONDITIONAL_PUT);
			expectError(storage.put("x.txt", body(bytes("x")), this.createOnly),
					UnsupportedStorageOperationException.class);
		}

	}

	// =====================================================================================
	@Nested
	@DisplayName("conditional (compare-and-swap) put and delete")
	public class ConditionalWrites {

		private PutOptions ifMatch(String etag) {
			return PutOptions.builder().ifMatch(etag).build();
		}

		private StoredObject original(String key) {
			StoredObject stored = put(key, bytes("original of " + key));
			assertThat(stored.etag()).as("a conditional-write backend gives etags").isNotBlank();
			return stored;
		}

		@Test
		void putWithTheCurrentEtagReplaces() {
			assumeCapability(StorageCapability.CONDITIONAL_WRITE);
			StoredObject first = original("cas.txt");
			StoredObject second = put("cas.txt", bytes("second"),
					PutOptions.builder().ifMatch(first.etag()).contentType("text/x-second").build());
			assertThat(text(get("cas.txt"))).isEqualTo("second");
			StoredObject now = info("cas.txt");
			assertThat(now.etag()).isEqualTo(second.etag()).isNotEqualTo(first.etag());
			assertThat(now.contentType()).isEqualTo("text/x-second");
			// and the chain goes on: the etag the conditional put returned is the one to swap next
			put("cas.txt", bytes("third"), ifMatch(second.etag()));
			assertThat(text(get("cas.txt"))).isEqualTo("third");
		}

		@Test
		void putWithAStaleEtagFailsAndKeepsTheObject() {
			assumeCapability(StorageCapability.CONDITIONAL_WRITE);
			assumeNoLimitation(KnownLimitation.NO_ETAG);
			StoredObject first = original("stale.txt");
			StoredObject current = put("stale.txt", bytes("overwritten by someone else"));
			expectError(storage.put("stale.txt", body(bytes("lost update")), ifMatch(first.etag())),
					PreconditionFailedException.class);
			assertThat(text(get("stale.txt"))).isEqualTo("overwritten by someone else");
			assertThat(info("stale.txt").etag()).isEqualTo(current.etag());
		}

		@Test
		void putOnAMissingKeyFailsAndStoresNothing() {
			assumeCapability(StorageCapability.CONDITIONAL_WRITE);
			expectError(storage.put("absent.txt", body(bytes("x")), ifMatch("0123456789abcdef")),
					PreconditionFailedException.class);
			assertThat(exists("absent.txt")).isFalse();
		}

		@Test
		void putWithTheEtagOfADeletedObjectFails() {
			assumeCapability(StorageCapability.CONDITIONAL_WRITE);
			StoredObject gone = original("gone.txt");
			awaitEmpty(storage.delete("gone.txt"));
			expectError(storage.put("gone.txt", body(bytes("resurrected")), ifMatch(gone.etag())),
					PreconditionFailedException.class);
			assertThat(exists("gone.txt")).isFalse();
		}

		@ParameterizedTest
		@ValueSource(strings = { "*", "\"*\"", "W/\"x\"", "a\"b", "x\r\nx-amz-meta-evil: 1", "\u0000", "é", " " })
		void hostileEtagsMatchNothing(String etag) {
			assumeCapability(StorageCapability.CONDITIONAL_WRITE);
			StoredObject stored = original("hostile.txt");
			expectError(storage.put("hostile.txt", body(bytes("intruder")), ifMatch(etag)),
					PreconditionFailedException.class);
			expectError(storage.delete("hostile.txt", DeleteOptions.ifMatch(etag)), PreconditionFailedException.class);
			assertThat(text(get("hostile.txt"))).isEqualTo("original of hostile.txt");
			assertThat(info("hostile.txt").etag()).isEqualTo(stored.etag());
			assertThat(info("hostile.txt").metadata()).isEmpty();
		}

		@Test
		void quotedCurrentEtagIsAnotherEtag() {
			assumeCapability(StorageCapability.CONDITIONAL_WRITE);
			StoredObject stored = original("quoted.txt");
			expectError(storage.put("quoted.txt", body(bytes("intruder")), ifMatch("\"" + stored.etag() + "\"")),
					PreconditionFailedException.class);
			assertThat(text(get("quoted.txt"))).isEqualTo("original of quoted.txt");
		}

		@Test
		void deleteWithTheCurrentEtagDeletes() {
			assumeCapability(StorageCapability.CONDITIONAL_WRITE);
			StoredObject stored = original("del.txt");
			awaitEmpty(storage.delete("del.txt", DeleteOptions.ifMatch(stored.etag())));
			assertThat(exists("del.txt")).isFalse();
		}

		@Test
		void deleteWithAStaleEtagFailsAndKeepsTheObject() {
			assumeCapability(StorageCapability.CONDITIONAL_WRITE);
			assumeNoLimitation(KnownLimitation.NO_ETAG);
			StoredObject first = original("del-stale.txt");
			put("del-stale.txt", bytes("newer"));
			expectError(storage.delete("del-stale.txt", DeleteOptions.ifMatch(first.etag())),
					PreconditionFailedException.class);
			assertThat(text(get("del-stale.txt"))).isEqualTo("newer");
		}

		@Test
		void deleteOfAMissingKeyFailsThePrecondition() {
			assumeCapability(StorageCapability.CONDITIONAL_WRITE);
			expectError(storage.delete("del-absent.txt", DeleteOptions.ifMatch("0123456789abcdef")),
					PreconditionFailedException.class);
		}

		@Test
		void unconditionalDeleteThroughOptionsDeletes() {
			assumeCapability(StorageCapability.WRITE);
			seed("plain-del.txt", bytes("x"));
			awaitEmpty(storage.delete("plain-del.txt", DeleteOptions.defaults()));
			assertThat(exists("plain-del.txt")).isFalse();
			expectError(storage.delete("plain-del.txt", DeleteOptions.defaults()), ObjectNotFoundException.class);
		}

		@Test
		void largeBodiesThroughTheMultipartPath() {
			assumeCapability(StorageCapability.CONDITIONAL_WRITE);
			assumeNoLimitation(KnownLimitation.NO_ETAG);
			long size = largeObjectSize() + 17;
			StoredObject first = await(storage.put("big.bin", generate(size, 41), PutOptions.defaults()));
			StoredObject second = await(storage.put("big.bin", generate(size, 42), ifMatch(first.etag())));
			assertThat(digestOf(storage.get("big.bin"))).isEqualTo(digestOfGenerated(size, 42));
			expectError(storage.put("big.bin", generate(size, 43), ifMatch(first.etag())),
					PreconditionFailedException.class);
			assertThat(digestOf(storage.get("big.bin"))).isEqualTo(digestOfGenerated(size, 42));
			assertThat(info("big.bin").etag()).isEqualTo(second.etag());
			expectError(storage.put("big-absent.bin", generate(size, 44), ifMatch(first.etag())),
					PreconditionFailedException.class);
			assertThat(exists("big-absent.bin")).isFalse();
		}

		@ParameterizedTest
		@ValueSource(booleans = { false, true })
		void aWriteThatLandsWhileTheBodyStreamsMakesTheConditionalPutFail(boolean large) {
			assumeCapability(StorageCapability.CONDITIONAL_WRITE);
			assumeNoLimitation(KnownLimitation.CONDITION_CHECKED_WHEN_UPLOAD_STARTS);
			StoredObject base = original("sneak.bin");
			long size = large ? largeObjectSize() + 3 : 1000;
			// the condition holds when the put starts; another writer replaces the object before the
			// body ends, so the swap (made when the object is published) must fail
			Flux<DataBuffer> body = generate(size, 60).concatWith(Mono
				.defer(() -> storage.put("sneak.bin", body(bytes("sneaked in")), PutOptions.defaults()))
				.then(Mono.<DataBuffer>empty()));
			expectError(storage.put("sneak.bin", body, ifMatch(base.etag())), PreconditionFailedException.class);
			assertThat(text(get("sneak.bin"))).isEqualTo("sneaked in");
		}

		@Test
		void exactlyOneOfConcurrentPutsWithTheSameEtagWins() {
			assumeCapability(StorageCapability.CONDITIONAL_WRITE);
			assumeNoLimitation(KnownLimitation.NON_ATOMIC_CONDITIONAL_WRITE);
			StoredObject base = original("race.txt");
			List<Integer> winners = Collections.synchronizedList(new ArrayList<>());
			Flux<Integer> outcomes = Flux.range(0, 8)
				.flatMap(i -> storage.put("race.txt", body(bytes("racer " + i)), ifMatch(base.etag()))
					.doOnNext(object -> winners.add(i))
					.map(object -> 1)
					.onErrorResume(PreconditionFailedException.class, ex -> Mono.just(0)), 8);
			StepVerifier.create(outcomes.reduce(0, Integer::sum)).expectNext(1).expectComplete().verify(TIMEOUT);
			assertThat(winners).hasSize(1);
			assertThat(text(get("race.txt"))).isEqualTo("racer " + winners.get(0));
		}

		@Test
		void exactlyOneOfConcurrentMultipartPutsWithTheSameEtagWins() {
			assumeCapability(StorageCapability.CONDITIONAL_WRITE);
			assumeNoLimitation(KnownLimitation.NON_ATOMIC_CONDITIONAL_WRITE);
			long size = largeObjectSize() + 5;
			StoredObject base = original("race.bin");
			List<Integer> winners = Collections.synchronizedList(new ArrayList<>());
			Flux<Integer> outcomes = Flux.range(0, 4)
				.flatMap(i -> storage.put("race.bin", generate(size, 50 + i), ifMatch(base.etag()))
					.doOnNext(object -> winners.add(i))
					.map(object -> 1)
					.onErrorResume(PreconditionFailedException.class, ex -> Mono.just(0)), 4);
			StepVerifier.create(outcomes.reduce(0, Integer::sum)).expectNext(1).expectComplete().verify(TIMEOUT);
			assertThat(winners).hasSize(1);
			assertThat(digestOf(storage.get("race.bin"))).isEqualTo(digestOfGenerated(size, 50 + winners.get(0)));
		}

		@Test
		void exactlyOneOfConcurrentDeletesWithTheSameEtagWins() {
			assumeCapability(StorageCapability.CONDITIONAL_WRITE);
			assumeNoLimitation(KnownLimitation.NON_ATOMIC_CONDITIONAL_WRITE);
			StoredObject base = original("race-del.txt");
			Flux<Integer> outcomes = Flux.range(0, 8)
				.flatMap(i -> storage.delete("race-del.txt", DeleteOptions.ifMatch(base.etag()))
					.thenReturn(1)
					.onErrorResume(PreconditionFailedException.class, ex -> Mono.just(0)), 8);
			StepVerifier.create(outcomes.reduce(0, Integer::sum)).expectNext(1).expectComplete().verify(TIMEOUT);
			assertThat(exists("race-del.txt")).isFalse();
		}

		@Test
		void unsupportedWithoutTheCapability() {
			assumeCapability(StorageCapability.WRITE);
			assumeLacking(StorageCapability.CONDITIONAL_WRITE);
			seed("no-cas.txt", bytes("x"));
			WatchedBody body = watched(bytes("y"));
			expectError(storage.put("no-cas.txt", body.flux(), ifMatch("any")),
					UnsupportedStorageOperationException.class);
			assertThat(body.wasSubscribed()).isFalse();
			expectError(storage.delete("no-cas.txt", DeleteOptions.ifMatch("any")),
					UnsupportedStorageOperationException.class);
			assertThat(text(get("no-cas.txt"))).isEqualTo("x");
		}

	}

	// =====================================================================================
	@Nested
	@DisplayName("failing and cancelled bodies")
	public class BodyFailures {

		@Test
		void bodyErrorReachesTheSubscriberUnwrapped() {
			assumeCapability(StorageCapability.WRITE);
			IllegalStateException boom = new IllegalStateException("boom");
			StepVerifier.create(storage.put("failed.bin", Flux.concat(generate(1000, 1), Flux.error(boom)),
					PutOptions.defaults()))
				.expectErrorSatisfies(ex -> assertThat(ex).isSameAs(boom))
				.verify(TIMEOUT);
		}

		@Test
		void bodyErrorStoresNothing() {
			assumeCapability(StorageCapability.WRITE);
			StepVerifier.create(storage.put("failed.bin",
					Flux.concat(generate(3L * CHUNK, 1), Flux.error(new IllegalStateException("boom"))),
					PutOptions.defaults()))
				.expectError(IllegalStateException.class)
				.verify(TIMEOUT);
			assumeNoLimitation(KnownLimitation.UPLOAD_VISIBLE_BEFORE_COMMIT);
			assertThat(exists("failed.bin")).isFalse();
			expectError(storage.get("failed.bin"), ObjectNotFoundException.class);
		}

		@Test
		void bodyErrorOfALargeStreamStoresNothing() {
			assumeCapability(StorageCapability.WRITE);
			StepVerifier.create(storage.put("failed-large.bin",
					Flux.concat(generate(largeObjectSize(), 2), Flux.error(new IllegalStateException("late"))),
					PutOptions.defaults()))
				.expectError(IllegalStateException.class)
				.verify(TIMEOUT);
			assumeNoLimitation(KnownLimitation.UPLOAD_VISIBLE_BEFORE_COMMIT);
			assertThat(exists("failed-large.bin")).isFalse();
		}

		@Test
		void bodyErrorKeepsThePreviousVersion() {
			assumeCapability(StorageCapability.WRITE);
			put("kept.txt", bytes("previous"));
			StepVerifier.create(storage.put("kept.txt",
					Flux.concat(generate(1000, 1), Flux.error(new IllegalStateException("boom"))), PutOptions.defaults()))
				.expectError(IllegalStateException.class)
				.verify(TIMEOUT);
			assertThat(text(get("kept.txt"))).isEqualTo("previous");
		}

		@Test
		void bodyErrorBeforeAnyByteStoresNothing() {
			assumeCapability(StorageCapability.WRITE);
			expectError(storage.put("nothing.bin", Flux.error(new IllegalArgumentException("no")), PutOptions.defaults()),
					IllegalArgumentException.class);
			assertThat(exists("nothing.bin")).isFalse();
		}

		@Test
		void cancelledPutStoresNothing() throws InterruptedException {
			assumeCapability(StorageCapability.WRITE);
			Flux<DataBuffer> neverEnding = Flux.concat(generate(2L * CHUNK, 5), Flux.never());
			StepVerifier.create(storage.put("cancelled.bin", neverEnding, PutOptions.defaults()))
				.thenAwait(Duration.ofMillis(200))
				.thenCancel()
				.verify(TIMEOUT);
			Thread.sleep(300);
			assumeNoLimitation(KnownLimitation.UPLOAD_VISIBLE_BEFORE_COMMIT);
			assertThat(exists("cancelled.bin")).isFalse();
		}

		@Test
		void cancelledPutKeepsThePreviousVersion() throws InterruptedException {
			assumeCapability(StorageCapability.WRITE);
			put("kept.txt", bytes("previous"));
			Flux<DataBuffer> neverEnding = Flux.concat(generate(2L * CHUNK, 5), Flux.never());
			StepVerifier.create(storage.put("kept.txt", neverEnding, PutOptions.defaults()))
				.thenAwait(Duration.ofMillis(200))
				.thenCancel()
				.verify(TIMEOUT);
			Thread.sleep(300);
			assertThat(text(get("kept.txt"))).isEqualTo("previous");
		}

	}

	// =====================================================================================
	static Stream<Arguments> invalidKeys() {
		return Stream.of(Arguments.of("empty", ""), Arguments.of("only a slash", "/"),
				Arguments.of("two leading slashes", "//a"), Arguments.of("empty segment", "a//b"),
				Arguments.of("trailing slash", "a/"), Arguments.of("dot segment", "./a"),
				Arguments.of("inner dot segment", "a/./b"), Arguments.of("dot-dot segment", "../a"),
				Arguments.of("trailing dot-dot", "a/.."), Arguments.of("only dot-dot", ".."),
				Arguments.of("NUL", "a\u0000b"), Arguments.of("unit separator", "a\u001fb"),
				Arguments.of("DEL", "a\u007fb"), Arguments.of("newline", "line\nbreak"),
				Arguments.of("unpaired high surrogate", "a\ud800"), Arguments.of("unpaired low surrogate", "a\udc00b"),
				Arguments.of("1025 UTF-8 bytes", "k/" + "a".repeat(1023)),
				Arguments.of("1026 UTF-8 bytes of two-byte characters", "é".repeat(513)));
	}

	/** Whether Windows can name every segment of the key as a file (see {@link KnownLimitation#WINDOWS_FILE_NAMES}). */
	static boolean isWindowsFileName(String key) {
		for (String segment : key.split("/")) {
			if (segment.matches(".*[\\\\:*?\"<>|].*") || segment.endsWith(".") || segment.endsWith(" ")
					|| segment.split("\\.", 2)[0].toUpperCase(java.util.Locale.ROOT).matches("CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9]")) {
				return false;
			}
		}
		return true;
	}

	static Stream<Arguments> validKeys() {
		return Stream.of(Arguments.of("single character", "a"), Arguments.of("spaces", "a b/c d.txt"),
				Arguments.of("percent literal", "100%25/%2e%2e"), Arguments.of("dots inside names", "..a/a../.hidden"),
				Arguments.of("Unicode", "ünïcödé/ключ/日本.txt"), Arguments.of("non-BMP", "emoji/🎉.txt"),
				Arguments.of("deep", "a/b/c/d/e/f/g/h/i/j.txt"),
				Arguments.of("URL metacharacters", "q?x=1&y=2#frag;+plus@at$dollar,comma"),
				Arguments.of("brackets and quotes", "[x]/(y)/{z}/'q'/\"dq\""),
				Arguments.of("backslash", "back\\slash"), Arguments.of("tilde and star", "~user/*.txt"),
				Arguments.of("1024 UTF-8 bytes", ("s".repeat(204) + "/").repeat(4) + "s".repeat(204)));
	}

	@Nested
	@DisplayName("keys")
	public class Keys {

		@ParameterizedTest(name = "{0}")
		@MethodSource("io.github.reactivestorage.conformance.StorageConformanceTests#invalidKeys")
		void invalidKeysAreRejectedByEveryOperationBeforeIo(String description, String key) {
			WatchedBody body = watched(bytes("x"));
			expectError(storage.put(key, body.flux(), PutOptions.defaults()), InvalidKeyException.class);
			assertThat(body.wasSubscribed()).as("body subscribed").isFalse();
			expectError(storage.get(key), InvalidKeyException.class);
			expectError(storage.get(key, ByteRange.of(0, 1)), InvalidKeyException.class);
			expectError(storage.info(key), InvalidKeyException.class);
			expectError(storage.exists(key), InvalidKeyException.class);
			expectError(storage.delete(key), InvalidKeyException.class);
			expectError(storage.url(key, UrlOptions.get()), InvalidKeyException.class);
			expectError(storage.copy(key, "target.txt"), InvalidKeyException.class);
			expectError(storage.move("source.txt", key), InvalidKeyException.class);
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("io.github.reactivestorage.conformance.StorageConformanceTests#validKeys")
		void validKeysRoundTrip(String description, String key) {
			assumeCapability(StorageCapability.WRITE);
			if (key.indexOf('\\') >= 0) {
				assumeNoLimitation(KnownLimitation.BACKSLASH_IS_SLASH);
			}
			if (key.matches(".*[%?#].*")) {
				assumeNoLimitation(KnownLimitation.UPLOAD_NAME_NOT_ENCODED);
			}
			if (!isWindowsFileName(key)) {
				assumeNoLimitation(KnownLimitation.WINDOWS_FILE_NAMES);
			}
			StoredObject stored = put(key, bytes(description));
			assertThat(stored.key()).isEqualTo(key);
			assertThat(text(get(key))).isEqualTo(description);
			assertThat(info(key).key()).isEqualTo(key);
			assertThat(exists(key)).isTrue();
			awaitEmpty(storage.delete(key));
			assertThat(exists(key)).isFalse();
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("io.github.reactivestorage.conformance.StorageConformanceTests#validKeys")
		void validKeysAreListedAsWritten(String description, String key) {
			assumeCapability(StorageCapability.WRITE);
			if (key.indexOf('\\') >= 0) {
				assumeNoLimitation(KnownLimitation.BACKSLASH_IS_SLASH);
			}
			if (key.matches(".*[%?#].*")) {
				assumeNoLimitation(KnownLimitation.UPLOAD_NAME_NOT_ENCODED);
			}
			if (!isWindowsFileName(key)) {
				assumeNoLimitation(KnownLimitation.WINDOWS_FILE_NAMES);
			}
			assumeCapability(StorageCapability.LIST);
			put(key, bytes(description));
			assertThat(keys(list(ListOptions.all()))).containsExactly(key);
		}

		@Test
		void keysAreCaseSensitive() {
			assumeCapability(StorageCapability.WRITE);
			assumeNoLimitation(KnownLimitation.CASE_INSENSITIVE_KEYS);
			put("Case.txt", bytes("upper"));
			put("case.txt", bytes("lower"));
			assertThat(text(get("Case.txt"))).isEqualTo("upper");
			assertThat(text(get("case.txt"))).isEqualTo("lower");
		}

		@Test
		void noUnicodeNormalisation() {
			assumeCapability(StorageCapability.WRITE);
			assumeNoLimitation(KnownLimitation.UNICODE_NORMALISED_KEYS);
			put("caf\u00e9", bytes("composed"));
			assertThat(exists("cafe\u0301")).isFalse();
			put("cafe\u0301", bytes("decomposed"));
			assertThat(text(get("caf\u00e9"))).isEqualTo("composed");
			assertThat(text(get("cafe\u0301"))).isEqualTo("decomposed");
		}

		@Test
		void percentSignsAreLiteral() {
			assumeCapability(StorageCapability.WRITE);
			assumeNoLimitation(KnownLimitation.UPLOAD_NAME_NOT_ENCODED);
			put("a%2Fb", bytes("literal"));
			assertThat(exists("a/b")).isFalse();
			assertThat(text(get("a%2Fb"))).isEqualTo("literal");
		}

		@Test
		void errorsNameTheKeyAndTheMount() {
			StepVerifier.create(storage.info("missing/thing.txt")).expectErrorSatisfies(ex -> {
				assertThat(ex).isInstanceOf(ObjectNotFoundException.class);
				StorageException storageException = (StorageException) ex;
				assertThat(storageException.getKey()).isEqualTo("missing/thing.txt");
				assertThat(storageException.getMount()).isEqualTo(mountName());
				assertThat(ex.getMessage()).contains("missing/thing.txt").contains(mountName());
			}).verify(TIMEOUT);
		}

		@Test
		void reservedNamesAreRejectedByEveryOperationBeforeIo() {
			assumeReservedNames();
			for (String name : reservedNames()) {
				for (String key : List.of(name, name + "/x", "/" + name + "/meta/x.properties")) {
					WatchedBody body = watched(bytes("x"));
					expectError(storage.put(key, body.flux(), PutOptions.defaults()), InvalidKeyException.class);
					assertThat(body.wasSubscribed()).as("body subscribed").isFalse();
					expectError(storage.get(key), InvalidKeyException.class);
					expectError(storage.info(key), InvalidKeyException.class);
					expectError(storage.exists(key), InvalidKeyException.class);
					expectError(storage.delete(key), InvalidKeyException.class);
					expectError(storage.url(key, UrlOptions.get()), InvalidKeyException.class);
					expectError(storage.copy(key, "target.txt"), InvalidKeyException.class);
					expectError(storage.move("source.txt", key), InvalidKeyException.class);
				}
			}
		}

		@Test
		void invalidKeyErrorsNameTheMount() {
			StepVerifier.create(storage.get("a//b"))
				.expectErrorSatisfies(ex -> assertThat(((StorageException) ex).getMount()).isEqualTo(mountName()))
				.verify(TIMEOUT);
		}

	}

	// =====================================================================================
	@Nested
	@DisplayName("ranges")
	public class Ranges {

		private final byte[] digits = bytes("0123456789");

		@Test
		void closedRange() {
			assumeCapability(StorageCapability.RANGE_READ);
			seed("digits.txt", this.digits);
			assertThat(text(get("digits.txt", ByteRange.of(2, 5)))).isEqualTo("2345");
		}

		@Test
		void firstByte() {
			assumeCapability(StorageCapability.RANGE_READ);
			seed("digits.txt", this.digits);
			assertThat(text(get("digits.txt", ByteRange.of(0, 0)))).isEqualTo("0");
		}

		@Test
		void lastByte() {
			assumeCapability(StorageCapability.RANGE_READ);
			seed("digits.txt", this.digits);
			assertThat(text(get("digits.txt", ByteRange.of(9, 9)))).isEqualTo("9");
		}

		@Test
		void openEnded() {
			assumeCapability(StorageCapability.RANGE_READ);
			seed("digits.txt", this.digits);
			assertThat(text(get("digits.txt", ByteRange.from(7)))).isEqualTo("789");
		}

		@Test
		void suffix() {
			assumeCapability(StorageCapability.RANGE_READ);
			seed("digits.txt", this.digits);
			assertThat(text(get("digits.txt", ByteRange.last(3)))).isEqualTo("789");
		}

		@Test
		void endPastTheLastByteIsClamped() {
			assumeCapability(StorageCapability.RANGE_READ);
			seed("digits.txt", this.digits);
			assertThat(text(get("digits.txt", ByteRange.of(8, 1000)))).isEqualTo("89");
		}

		@Test
		void wholeObjectAsRange() {
			assumeCapability(StorageCapability.RANGE_READ);
			seed("digits.txt", this.digits);
			assertThat(text(get("digits.txt", ByteRange.of(0, 9)))).isEqualTo("0123456789");
		}

		@Test
		void suffixLongerThanTheObjectIsTheWholeObject() {
			assumeCapability(StorageCapability.RANGE_READ);
			seed("digits.txt", this.digits);
			assertThat(text(get("digits.txt", ByteRange.last(100)))).isEqualTo("0123456789");
		}

		@Test
		void startAtTheSizeIsInvalid() {
			assumeCapability(StorageCapability.RANGE_READ);
			seed("digits.txt", this.digits);
			expectError(storage.get("digits.txt", ByteRange.of(10, 12)), InvalidRangeException.class);
		}

		@Test
		void startPastTheSizeIsInvalid() {
			assumeCapability(StorageCapability.RANGE_READ);
			seed("digits.txt", this.digits);
			expectError(storage.get("digits.txt", ByteRange.from(50)), InvalidRangeException.class);
		}

		@Test
		void zeroLengthSuffixIsInvalid() {
			assumeCapability(StorageCapability.RANGE_READ);
			seed("digits.txt", this.digits);
			expectError(storage.get("digits.txt", ByteRange.last(0)), InvalidRangeException.class);
		}

		@Test
		void aSuffixOfAnEmptyObjectIsEmptyAndAnyOtherRangeIsInvalid() {
			assumeCapability(StorageCapability.RANGE_READ);
			seed("empty.txt", new byte[0]);
			assertThat(get("empty.txt", ByteRange.last(5))).isEmpty();
			expectError(storage.get("empty.txt", ByteRange.of(0, 0)), InvalidRangeException.class);
			expectError(storage.get("empty.txt", ByteRange.from(0)), InvalidRangeException.class);
		}

		@Test
		void rangeAcrossChunkBoundariesOfALargeObject() {
			assumeCapability(StorageCapability.RANGE_READ);
			assumeCapability(StorageCapability.WRITE);
			long size = 4L * CHUNK;
			await(storage.put("large.bin", generate(size, 11), PutOptions.defaults()));
			byte[] whole = get("large.bin");
			byte[] part = get("large.bin", ByteRange.of(CHUNK - 10, 2L * CHUNK + 10));
			assertThat(part).hasSize(CHUNK + 21);
			assertThat(part).containsExactly(java.util.Arrays.copyOfRange(whole, CHUNK - 10, 2 * CHUNK + 11));
		}

		@Test
		void rangeDoesNotReadTheRestWhenCancelled() {
			assumeCapability(StorageCapability.RANGE_READ);
			assumeCapability(StorageCapability.WRITE);
			await(storage.put("large.bin", generate(largeObjectSize(), 12), PutOptions.defaults()));
			StepVerifier.create(storage.get("large.bin", ByteRange.from(100)), 1)
				.consumeNextWith(DataBufferUtils::release)
				.thenCancel()
				.verify(TIMEOUT);
		}

	}

	// =====================================================================================
	@Nested
	@DisplayName("info and exists")
	public class InfoAndExists {

		@Test
		void existsIsTrueForAnObject() {
			seed("here.txt", bytes("x"));
			assertThat(exists("here.txt")).isTrue();
		}

		@Test
		void existsIsFalseForAMissingKey() {
			assertThat(exists("nowhere.txt")).isFalse();
		}

		@Test
		void aDirectoryIsNotAnObject() {
			seed("dir/child.txt", bytes("x"));
			assertThat(exists("dir")).isFalse();
			expectError(storage.info("dir"), ObjectNotFoundException.class);
			expectError(storage.get("dir"), ObjectNotFoundException.class);
		}

		@Test
		void infoDescribesTheObject() {
			seed("described.txt", bytes("twelve bytes"), PutOptions.builder().contentType("text/plain").build());
			StoredObject info = info("described.txt");
			assertThat(info.key()).isEqualTo("described.txt");
			assertThat(info.size()).isEqualTo(12);
			assertThat(info.contentType()).startsWith("text/plain");
			assertThat(info.isPrefix()).isFalse();
			assertThat(info.lastModified()).isNotNull();
		}

		@Test
		void infoOfMissingKeyIsNotFound() {
			expectError(storage.info("missing.txt"), ObjectNotFoundException.class);
		}

		@Test
		void etagIsStable() {
			assumeNoLimitation(KnownLimitation.NO_ETAG);
			seed("stable.txt", bytes("x"));
			assertThat(info("stable.txt").etag()).isNotBlank().isEqualTo(info("stable.txt").etag());
		}

		@Test
		void differentContentHasDifferentEtags() {
			assumeNoLimitation(KnownLimitation.NO_ETAG);
			seed("one.txt", bytes("one"));
			seed("two.txt", bytes("two"));
			assertThat(info("one.txt").etag()).isNotEqualTo(info("two.txt").etag());
		}

	}

	// =====================================================================================
	@Nested
	@DisplayName("delete")
	public class Delete {

		@Test
		void deletedObjectIsGone() {
			assumeCapability(StorageCapability.WRITE);
			put("doomed.txt", bytes("x"));
			awaitEmpty(storage.delete("doomed.txt"));
			assertThat(exists("doomed.txt")).isFalse();
			expectError(storage.get("doomed.txt"), ObjectNotFoundException.class);
		}

		@Test
		void deletingAMissingKeyIsNotFound() {
			assumeCapability(StorageCapability.WRITE);
			expectError(storage.delete("never-there.txt"), ObjectNotFoundException.class);
		}

		@Test
		void deletingTwiceIsNotFoundTheSecondTime() {
			assumeCapability(StorageCapability.WRITE);
			put("twice.txt", bytes("x"));
			awaitEmpty(storage.delete("twice.txt"));
			expectError(storage.delete("twice.txt"), ObjectNotFoundException.class);
		}

		@Test
		void siblingsStay() {
			assumeCapability(StorageCapability.WRITE);
			put("dir/a.txt", bytes("a"));
			put("dir/b.txt", bytes("b"));
			awaitEmpty(storage.delete("dir/a.txt"));
			assertThat(text(get("dir/b.txt"))).isEqualTo("b");
		}

		@Test
		void deletingTheLastObjectUnderAPrefixEmptiesIt() {
			assumeCapability(StorageCapability.WRITE);
			assumeCapability(StorageCapability.DELIMITER_LIST);
			put("gone/deep/a.txt", bytes("a"));
			awaitEmpty(storage.delete("gone/deep/a.txt"));
			assertThat(list(ListOptions.builder().delimiter("/").build())).isEmpty();
		}

		@Test
		void deleteThenPutAgain() {
			assumeCapability(StorageCapability.WRITE);
			put("phoenix.txt", bytes("one"));
			awaitEmpty(storage.delete("phoenix.txt"));
			put("phoenix.txt", bytes("two"));
			assertThat(text(get("phoenix.txt"))).isEqualTo("two");
		}

		@Test
		void deletingADirectoryKeyIsNotFound() {
			assumeCapability(StorageCapability.WRITE);
			put("folder/file.txt", bytes("x"));
			expectError(storage.delete("folder"), ObjectNotFoundException.class);
			assertThat(exists("folder/file.txt")).isTrue();
		}

	}

	// =====================================================================================
	@Nested
	@DisplayName("list")
	public class Listing {

		private void putAll(String... keys) {
			List<String> shuffled = new ArrayList<>(List.of(keys));
			Collections.shuffle(shuffled, new Random(42));
			for (String key : shuffled) {
				seed(key, bytes(key));
			}
		}

		@Test
		void emptyStorageListsNothing() {
			assumeCapability(StorageCapability.LIST);
			assertThat(list(ListOptions.all())).isEmpty();
		}

		@Test
		void listsEveryKeyInOrder() {
			assumeCapability(StorageCapability.LIST);
			assumeNoLimitation(KnownLimitation.UNORDERED_LISTING);
			assumeNoLimitation(KnownLimitation.CASE_INSENSITIVE_KEYS);
			putAll("b.txt", "a.txt", "c/d.txt", "c/a.txt", "B.txt", "a-b.txt", "a0.txt", "a/b.txt");
			assertThat(keys(list(ListOptions.all()))).containsExactly("B.txt", "a-b.txt", "a.txt", "a/b.txt",
					"a0.txt", "b.txt", "c/a.txt", "c/d.txt");
		}

		@Test
		void listsEveryKeyRegardlessOfOrder() {
			assumeCapability(StorageCapability.LIST);
			putAll("x/1", "x/2", "y/1", "z");
			assertThat(keys(list(ListOptions.all()))).containsExactlyInAnyOrder("x/1", "x/2", "y/1", "z");
		}

		@Test
		void orderIsByUtf8BytesNotUtf16() {
			assumeCapability(StorageCapability.LIST);
			assumeNoLimitation(KnownLimitation.UNORDERED_LISTING);
			// U+FFFD sorts before U+1F600 in UTF-8 (and code points), after it in UTF-16 units
			putAll("k\uFFFD", "k\uD83D\uDE00", "k~", "kz");
			assertThat(keys(list(ListOptions.all()))).containsExactly("kz", "k~", "k\uFFFD", "k\uD83D\uDE00");
		}

		@Test
		void directoryOrderMatchesFullKeyOrder() {
			assumeCapability(StorageCapability.LIST);
			assumeNoLimitation(KnownLimitation.UNORDERED_LISTING);
			putAll("p/q", "p.q", "p-q", "p0", "p/qx", "p!");
			List<String> expected = new ArrayList<>(List.of("p/q", "p.q", "p-q", "p0", "p/qx", "p!"));
			expected.sort(io.github.reactivestorage.StorageKeys.ORDER);
			assertThat(keys(list(ListOptions.all()))).containsExactlyElementsOf(expected);
		}

		@Test
		void prefixSelects() {
			assumeCapability(StorageCapability.LIST);
			putAll("photos/1.jpg", "photos/2.jpg", "docs/a.pdf", "photos.txt");
			assertThat(keys(list(ListOptions.prefix("photos/")))).containsExactlyInAnyOrder("photos/1.jpg",
					"photos/2.jpg");
		}

		@Test
		void prefixNeedNotEndAtASegment() {
			assumeCapability(StorageCapability.LIST);
			putAll("apple", "apricot/x", "banana", "ap");
			assertThat(keys(list(ListOptions.prefix("ap")))).containsExactlyInAnyOrder("ap", "apple", "apricot/x");
		}

		@Test
		void prefixWithALeadingSlash() {
			assumeCapability(StorageCapability.LIST);
			putAll("docs/a", "other/b");
			assertThat(keys(list(ListOptions.prefix("/docs/")))).containsExactly("docs/a");
		}

		@Test
		void prefixWithoutMatches() {
			assumeCapability(StorageCapability.LIST);
			putAll("a/b");
			assertThat(list(ListOptions.prefix("zzz"))).isEmpty();
		}

		@Test
		void prefixOfAMissingDirectoryIsEmpty() {
			assumeCapability(StorageCapability.LIST);
			assertThat(list(ListOptions.prefix("missing/dir/"))).isEmpty();
		}

		@Test
		void prefixWithAControlCharacterIsInvalid() {
			assumeCapability(StorageCapability.LIST);
			expectError(storage.list(ListOptions.prefix("a\u0001")), InvalidKeyException.class);
		}

		@Test
		void limitStopsTheListing() {
			assumeCapability(StorageCapability.LIST);
			assumeNoLimitation(KnownLimitation.UNORDERED_LISTING);
			putAll("1", "2", "3", "4", "5");
			assertThat(keys(list(ListOptions.builder().limit(2).build()))).containsExactly("1", "2");
		}

		@Test
		void limitLargerThanTheListing() {
			assumeCapability(StorageCapability.LIST);
			putAll("1", "2");
			assertThat(list(ListOptions.builder().limit(100).build())).hasSize(2);
		}

		@Test
		void startAfterIsExclusive() {
			assumeCapability(StorageCapability.LIST);
			assumeNoLimitation(KnownLimitation.UNORDERED_LISTING);
			putAll("a", "b", "c", "d");
			assertThat(keys(list(ListOptions.builder().startAfter("b").build()))).containsExactly("c", "d");
		}

		@Test
		void startAfterAKeyThatDoesNotExist() {
			assumeCapability(StorageCapability.LIST);
			assumeNoLimitation(KnownLimitation.UNORDERED_LISTING);
			putAll("a", "c", "e");
			assertThat(keys(list(ListOptions.builder().startAfter("b").build()))).containsExactly("c", "e");
		}

		@Test
		void startAfterEverything() {
			assumeCapability(StorageCapability.LIST);
			putAll("a", "b");
			assertThat(list(ListOptions.builder().startAfter("zzz").build())).isEmpty();
		}

		@Test
		void startAfterWithPrefix() {
			assumeCapability(StorageCapability.LIST);
			assumeNoLimitation(KnownLimitation.UNORDERED_LISTING);
			putAll("p/a", "p/b", "p/c", "q/a");
			assertThat(keys(list(ListOptions.builder().prefix("p/").startAfter("p/a").build())))
				.containsExactly("p/b", "p/c");
		}

		@Test
		void delimiterMergesObjectsAndCommonPrefixesInOrder() {
			assumeCapability(StorageCapability.DELIMITER_LIST);
			assumeNoLimitation(KnownLimitation.UNORDERED_LISTING);
			putAll("a.txt", "b/1.txt", "b/2.txt", "c.txt", "d/x/y.txt", "b.txt");
			List<StoredObject> entries = list(ListOptions.builder().delimiter("/").build());
			assertThat(keys(entries)).containsExactly("a.txt", "b.txt", "b/", "c.txt", "d/");
			assertThat(entries.stream().filter(StoredObject::isPrefix).map(StoredObject::key))
				.containsExactly("b/", "d/");
		}

		@Test
		void delimiterWithAPrefix() {
			assumeCapability(StorageCapability.DELIMITER_LIST);
			putAll("p/a.txt", "p/b/1", "p/b/2", "p/c/d/e", "q/z");
			assertThat(keys(list(ListOptions.builder().prefix("p/").delimiter("/").build())))
				.containsExactlyInAnyOrder("p/a.txt", "p/b/", "p/c/");
		}

		@Test
		void delimiterWithAPrefixInsideASegment() {
			assumeCapability(StorageCapability.DELIMITER_LIST);
			putAll("photos/2024/a.jpg", "photos/2025/b.jpg", "photos/2025.txt", "photosets/x");
			assertThat(keys(list(ListOptions.builder().prefix("photos/20").delimiter("/").build())))
				.containsExactlyInAnyOrder("photos/2024/", "photos/2025/", "photos/2025.txt");
		}

		@Test
		void eachCommonPrefixOnce() {
			assumeCapability(StorageCapability.DELIMITER_LIST);
			putAll("d/1", "d/2", "d/3", "d/sub/4");
			assertThat(keys(list(ListOptions.builder().delimiter("/").build()))).containsExactly("d/");
		}

		@Test
		void commonPrefixEntriesHaveNoContentAttributes() {
			assumeCapability(StorageCapability.DELIMITER_LIST);
			putAll("dir/file.txt");
			StoredObject prefix = list(ListOptions.builder().delimiter("/").build()).get(0);
			assertThat(prefix.isPrefix()).isTrue();
			assertThat(prefix.size()).isZero();
			assertThat(prefix.etag()).isNull();
			assertThat(prefix.lastModified()).isNull();
			assertThat(prefix.metadata()).isEmpty();
		}

		@Test
		void startAfterACommonPrefixSkipsEverythingUnderIt() {
			assumeCapability(StorageCapability.DELIMITER_LIST);
			assumeNoLimitation(KnownLimitation.UNORDERED_LISTING);
			putAll("p/a", "p/b/1", "p/b/2", "p/c");
			assertThat(keys(list(ListOptions.builder().prefix("p/").delimiter("/").startAfter("p/b/").build())))
				.containsExactly("p/c");
		}

		@Test
		void limitCountsCommonPrefixes() {
			assumeCapability(StorageCapability.DELIMITER_LIST);
			assumeNoLimitation(KnownLimitation.UNORDERED_LISTING);
			putAll("a/1", "a/2", "b/1", "c");
			assertThat(keys(list(ListOptions.builder().delimiter("/").limit(2).build()))).containsExactly("a/", "b/");
		}

		@Test
		void pagingByTheLastEntryReproducesTheListing() {
			assumeCapability(StorageCapability.LIST);
			assumeNoLimitation(KnownLimitation.UNORDERED_LISTING);
			String[] keys = IntStream.range(0, 23).mapToObj(i -> String.format("page/%03d", i)).toArray(String[]::new);
			putAll(keys);
			assertThat(pageThrough(ListOptions.builder().prefix("page/"), 5)).containsExactly(keys);
		}

		@Test
		void pagingWithADelimiterNeverRepeatsAPrefix() {
			assumeCapability(StorageCapability.DELIMITER_LIST);
			assumeNoLimitation(KnownLimitation.UNORDERED_LISTING);
			putAll("a/1", "a/2", "b", "c/1", "c/2", "c/3", "d", "e/1");
			assertThat(pageThrough(ListOptions.builder().delimiter("/"), 2)).containsExactly("a/", "b", "c/", "d", "e/");
		}

		private List<String> pageThrough(ListOptions.Builder options, int pageSize) {
			List<String> all = new ArrayList<>();
			String after = null;
			for (int page = 0; page < 100; page++) {
				List<String> keys = keys(list(options.startAfter(after).limit(pageSize).build()));
				all.addAll(keys);
				if (keys.size() < pageSize) {
					return all;
				}
				after = keys.get(keys.size() - 1);
			}
			throw new AssertionError("paging did not end");
		}

		@Test
		void largeListingIsComplete() {
			assumeCapability(StorageCapability.LIST);
			assumeCapability(StorageCapability.WRITE);
			int count = largeListingSize();
			StepVerifier.create(Flux.range(0, count)
				.flatMap(i -> storage.put(String.format("many/%05d", i), body(new byte[] { 1 }), PutOptions.defaults()),
						16)
				.then()).expectComplete().verify(Duration.ofMinutes(5));
			List<String> listed = keys(list(ListOptions.prefix("many/")));
			assertThat(listed).hasSize(count).doesNotHaveDuplicates();
			if (!knownLimitations().contains(KnownLimitation.UNORDERED_LISTING)) {
				assertThat(listed).isSortedAccordingTo(io.github.reactivestorage.StorageKeys.ORDER);
			}
		}

		@Test
		void listedEntriesCarrySizeAndEtag() {
			assumeCapability(StorageCapability.LIST);
			seed("sized.txt", bytes("12345"));
			StoredObject entry = list(ListOptions.all()).get(0);
			assertThat(entry.size()).isEqualTo(5);
			assertThat(entry.isPrefix()).isFalse();
			if (!knownLimitations().contains(KnownLimitation.NO_ETAG)) {
				assertThat(entry.etag()).isEqualTo(info("sized.txt").etag());
			}
		}

		@Test
		void takingTheFirstEntryCancelsTheRest() {
			assumeCapability(StorageCapability.LIST);
			putAll("1", "2", "3");
			StepVerifier.create(storage.list(ListOptions.all()).take(1)).expectNextCount(1).expectComplete().verify(TIMEOUT);
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("io.github.reactivestorage.conformance.HostileNames#invalidPrefixes")
		void hostilePrefixesAndStartAfterValuesAreRejected(String description, String prefix) {
			// the key rules come before the capability checks: no delimiter capability needed to be told
			expectError(storage.list(ListOptions.builder().prefix(prefix).build()), InvalidKeyException.class);
			expectError(storage.list(ListOptions.builder().prefix(prefix).delimiter("/").build()),
					InvalidKeyException.class);
			expectError(storage.list(ListOptions.builder().startAfter(prefix).build()), InvalidKeyException.class);
			expectError(storage.list(ListOptions.builder().prefix("a/").startAfter(prefix).delimiter("/").limit(5).build()),
					InvalidKeyException.class);
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("io.github.reactivestorage.conformance.HostileNames#validDottedPrefixes")
		void prefixesThatOnlyLookLikeDotSegmentsAreListed(String prefix, String key) {
			assumeCapability(StorageCapability.LIST);
			if (!isWindowsFileName(key)) {
				assumeNoLimitation(KnownLimitation.WINDOWS_FILE_NAMES);
			}
			putAll(key, "other.txt");
			assertThat(keys(list(ListOptions.builder().prefix(prefix).build()))).containsExactly(key);
			assertThat(keys(list(ListOptions.builder().startAfter(prefix).build())))
				.allMatch(listed -> StorageKeys.compare(listed, prefix) > 0);
		}

		@Test
		void reservedNamesAreNeverListed() {
			assumeReservedNames();
			assumeCapability(StorageCapability.LIST);
			put("a.txt", bytes("a"), PutOptions.builder().contentType("text/plain").metadata(Map.of("k", "v")).build());
			putAll("d/b.txt");
			for (String name : reservedNames()) {
				for (String prefix : List.of(name, name + "/", "/" + name + "/meta/", name + "/tmp")) {
					expectError(storage.list(ListOptions.builder().prefix(prefix).build()), InvalidKeyException.class);
					expectError(storage.list(ListOptions.builder().prefix(prefix).delimiter("/").build()),
							InvalidKeyException.class);
					expectError(storage.list(ListOptions.builder().startAfter(prefix).build()), InvalidKeyException.class);
				}
				String partial = name.substring(0, name.length() - 1);
				assertThat(list(ListOptions.builder().prefix(partial).build())).isEmpty();
				assertThat(list(ListOptions.builder().prefix(partial).delimiter("/").build())).isEmpty();
			}
			assertThat(keys(list(ListOptions.all()))).containsExactlyInAnyOrder("a.txt", "d/b.txt");
			assertThat(keys(list(ListOptions.builder().delimiter("/").build()))).containsExactlyInAnyOrder("a.txt", "d/");
		}

		@Test
		void aPrefixedMountNeverListsOutsideItsPrefix() {
			assumeCapability(StorageCapability.LIST);
			putAll("tenant-a/in.txt", "tenant-a/sub/deep.txt", "tenant-b/secret.txt", "tenant-ab.txt", "top.txt");
			ReactiveStorage mount = new PrefixedStorage(storage, "tenant-a");
			assertThat(keys(listOf(mount, ListOptions.all()))).containsExactlyInAnyOrder("in.txt", "sub/deep.txt");
			assertThat(keys(listOf(mount, ListOptions.builder().startAfter("").build())))
				.containsExactlyInAnyOrder("in.txt", "sub/deep.txt");
			if (storage.supports(StorageCapability.DELIMITER_LIST)) {
				assertThat(keys(listOf(mount, ListOptions.builder().delimiter("/").build())))
					.containsExactlyInAnyOrder("in.txt", "sub/");
			}
			for (String hostile : List.of("..", "../", "../tenant-b/", "/../", "sub/../../", "sub/..", "../../",
					"../tenant-ab.txt")) {
				expectError(mount.list(ListOptions.builder().prefix(hostile).build()), InvalidKeyException.class);
				expectError(mount.list(ListOptions.builder().startAfter(hostile).build()), InvalidKeyException.class);
			}
		}

		private List<StoredObject> listOf(ReactiveStorage mount, ListOptions options) {
			List<StoredObject> result = mount.list(options).collectList().block(TIMEOUT);
			assertThat(result).isNotNull();
			return result;
		}

		@Test
		void listIsUnsupportedWithoutTheCapability() {
			assumeLacking(StorageCapability.LIST);
			expectError(storage.list(ListOptions.all()), UnsupportedStorageOperationException.class);
		}

	}

	// =====================================================================================
	@Nested
	@DisplayName("url")
	public class Urls {

		@Test
		void getUrlOfAnObject() {
			assumeCapability(StorageCapability.URL_GET);
			seed("linked.txt", bytes("x"));
			URI uri = await(storage.url("linked.txt", UrlOptions.get(Duration.ofMinutes(5))));
			assertThat(uri.isAbsolute()).isTrue();
		}

		@Test
		void urlNeedsNoObject() {
			assumeCapability(StorageCapability.URL_GET);
			assertThat(await(storage.url("not-yet-there.txt", UrlOptions.get()))).isNotNull();
		}

		@Test
		void urlsDifferPerKey() {
			assumeCapability(StorageCapability.URL_GET);
			assertThat(await(storage.url("one.txt", UrlOptions.get())))
				.isNotEqualTo(await(storage.url("two.txt", UrlOptions.get())));
		}

		@Test
		void urlOfAKeyWithSpecialCharactersIsAValidUri() {
			assumeCapability(StorageCapability.URL_GET);
			assumeNoLimitation(KnownLimitation.WINDOWS_FILE_NAMES);
			URI uri = await(storage.url("dir with space/ünï?#%.txt", UrlOptions.get()));
			assertThat(uri.toString()).doesNotContain(" ");
		}

		@Test
		void putUrl() {
			assumeCapability(StorageCapability.URL_PUT);
			assertThat(await(storage.url("upload.txt", UrlOptions.put(Duration.ofMinutes(5)))).isAbsolute()).isTrue();
		}

		@Test
		void putUrlIsUnsupportedWithoutTheCapability() {
			assumeCapability(StorageCapability.WRITE);
			assumeLacking(StorageCapability.URL_PUT);
			expectError(storage.url("upload.txt", UrlOptions.put(Duration.ofMinutes(5))),
					UnsupportedStorageOperationException.class);
		}

		@Test
		void getUrlIsUnsupportedWithoutTheCapability() {
			assumeLacking(StorageCapability.URL_GET);
			expectError(storage.url("x.txt", UrlOptions.get()), UnsupportedStorageOperationException.class);
		}

	}

	// =====================================================================================
	@Nested
	@DisplayName("copy and move")
	public class CopyAndMove {

		@Test
		void copyDuplicatesTheContent() {
			assumeCapability(StorageCapability.WRITE);
			put("src.txt", bytes("copied"));
			StoredObject copy = await(storage.copy("src.txt", "dst.txt"));
			assertThat(copy.key()).isEqualTo("dst.txt");
			assertThat(text(get("dst.txt"))).isEqualTo("copied");
			assertThat(text(get("src.txt"))).isEqualTo("copied");
		}

		@Test
		void copyKeepsContentTypeAndMetadata() {
			assumeCapability(StorageCapability.WRITE);
			assumeCapability(StorageCapability.USER_METADATA);
			assumeNoLimitation(KnownLimitation.COPY_DROPS_METADATA);
			put("src.bin", bytes("x"),
					PutOptions.builder().contentType("application/x-special").metadata("owner", "ada é").build());
			await(storage.copy("src.bin", "dst.txt"));
			StoredObject info = info("dst.txt");
			assertThat(info.contentType()).isEqualTo("application/x-special");
			assertThat(info.metadata()).containsEntry("owner", "ada é");
		}

		@Test
		void copyOverwritesTheDestination() {
			assumeCapability(StorageCapability.WRITE);
			put("src.txt", bytes("new"));
			put("dst.txt", bytes("old"));
			await(storage.copy("src.txt", "dst.txt"));
			assertThat(text(get("dst.txt"))).isEqualTo("new");
		}

		@Test
		void copyOfAMissingSourceIsNotFound() {
			assumeCapability(StorageCapability.WRITE);
			expectError(storage.copy("missing.txt", "dst.txt"), ObjectNotFoundException.class);
			assertThat(exists("dst.txt")).isFalse();
		}

		@Test
		void copyOntoItselfIsANoOp() {
			assumeCapability(StorageCapability.WRITE);
			put("self.txt", bytes("me"));
			assertThat(await(storage.copy("self.txt", "/self.txt")).size()).isEqualTo(2);
			assertThat(text(get("self.txt"))).isEqualTo("me");
		}

		@Test
		void copyOfALargeObject() {
			assumeCapability(StorageCapability.WRITE);
			long size = largeObjectSize();
			await(storage.put("big.bin", generate(size, 21), PutOptions.defaults()));
			assertThat(await(storage.copy("big.bin", "copies/big.bin")).size()).isEqualTo(size);
			assertThat(digestOf(storage.get("copies/big.bin"))).isEqualTo(digestOfGenerated(size, 21));
		}

		@Test
		void copyIntoANestedKey() {
			assumeCapability(StorageCapability.WRITE);
			put("flat.txt", bytes("x"));
			await(storage.copy("flat.txt", "deep/er/nested.txt"));
			assertThat(text(get("deep/er/nested.txt"))).isEqualTo("x");
		}

		@Test
		void moveRenames() {
			assumeCapability(StorageCapability.WRITE);
			put("old-name.txt", bytes("moving"));
			StoredObject moved = await(storage.move("old-name.txt", "new-name.txt"));
			assertThat(moved.key()).isEqualTo("new-name.txt");
			assertThat(text(get("new-name.txt"))).isEqualTo("moving");
			assertThat(exists("old-name.txt")).isFalse();
		}

		@Test
		void moveKeepsContentTypeAndMetadata() {
			assumeCapability(StorageCapability.WRITE);
			assumeCapability(StorageCapability.USER_METADATA);
			assumeNoLimitation(KnownLimitation.COPY_DROPS_METADATA);
			put("m.bin", bytes("x"), PutOptions.builder().contentType("text/csv").metadata("k", "v").build());
			await(storage.move("m.bin", "n.bin"));
			assertThat(info("n.bin").contentType()).startsWith("text/csv");
			assertThat(info("n.bin").metadata()).containsEntry("k", "v");
		}

		@Test
		void moveOfAMissingSourceIsNotFoundAndCreatesNothing() {
			assumeCapability(StorageCapability.WRITE);
			expectError(storage.move("missing.txt", "dst.txt"), ObjectNotFoundException.class);
			assertThat(exists("dst.txt")).isFalse();
		}

		@Test
		void moveOntoItselfKeepsTheObject() {
			assumeCapability(StorageCapability.WRITE);
			put("stay.txt", bytes("here"));
			await(storage.move("stay.txt", "stay.txt"));
			assertThat(text(get("stay.txt"))).isEqualTo("here");
		}

		@Test
		void moveOverwritesTheDestination() {
			assumeCapability(StorageCapability.WRITE);
			put("a.txt", bytes("a"));
			put("b.txt", bytes("b"));
			await(storage.move("a.txt", "b.txt"));
			assertThat(text(get("b.txt"))).isEqualTo("a");
			assertThat(exists("a.txt")).isFalse();
		}

	}

	// =====================================================================================
	@Nested
	@DisplayName("laziness and streaming")
	public class Laziness {

		@Test
		void putDoesNothingBeforeSubscription() {
			assumeCapability(StorageCapability.WRITE);
			WatchedBody body = watched(bytes("x"));
			Mono<StoredObject> pending = storage.put("lazy.txt", body.flux(), PutOptions.defaults());
			assertThat(body.wasSubscribed()).isFalse();
			assertThat(exists("lazy.txt")).isFalse();
			await(pending);
			assertThat(exists("lazy.txt")).isTrue();
		}

		@Test
		void deleteDoesNothingBeforeSubscription() {
			assumeCapability(StorageCapability.WRITE);
			put("kept.txt", bytes("x"));
			Mono<Void> pending = storage.delete("kept.txt");
			assertThat(exists("kept.txt")).isTrue();
			awaitEmpty(pending);
			assertThat(exists("kept.txt")).isFalse();
		}

		@Test
		void everySubscriptionDoesTheWorkAgain() {
			assumeCapability(StorageCapability.WRITE);
			Mono<StoredObject> put = storage.put("again.txt", body(bytes("x")), PutOptions.defaults());
			await(put);
			awaitEmpty(storage.delete("again.txt"));
			await(put);
			assertThat(exists("again.txt")).isTrue();
		}

		@Test
		void getReadsAgainOnResubscription() {
			assumeCapability(StorageCapability.WRITE);
			put("changing.txt", bytes("one"));
			Flux<DataBuffer> get = storage.get("changing.txt");
			assertThat(text(readAll(get))).isEqualTo("one");
			put("changing.txt", bytes("two"));
			assertThat(text(readAll(get))).isEqualTo("two");
		}

		@Test
		void getHonoursBackpressure() {
			assumeCapability(StorageCapability.WRITE);
			await(storage.put("bp.bin", generate(largeObjectSize(), 31), PutOptions.defaults()));
			StepVerifier.create(storage.get("bp.bin"), 1)
				.consumeNextWith(DataBufferUtils::release)
				.expectNoEvent(Duration.ofMillis(100))
				.thenRequest(1)
				.consumeNextWith(DataBufferUtils::release)
				.thenCancel()
				.verify(TIMEOUT);
		}

		@Test
		void cancellingAGetReleasesWhatItHeld() {
			assumeCapability(StorageCapability.WRITE);
			await(storage.put("cancel.bin", generate(largeObjectSize(), 32), PutOptions.defaults()));
			StepVerifier.create(storage.get("cancel.bin").take(2).doOnNext(DataBufferUtils::release))
				.expectNextCount(2)
				.expectComplete()
				.verify(TIMEOUT);
		}

		@Test
		void getIsChunked() {
			assumeCapability(StorageCapability.WRITE);
			await(storage.put("chunked.bin", generate(largeObjectSize(), 33), PutOptions.defaults()));
			AtomicBoolean allSmall = new AtomicBoolean(true);
			StepVerifier.create(storage.get("chunked.bin").doOnNext(buffer -> {
				if (buffer.readableByteCount() > 4 * 1024 * 1024) {
					allSmall.set(false);
				}
				DataBufferUtils.release(buffer);
			}).count()).expectNextMatches(count -> count > 1).expectComplete().verify(TIMEOUT);
			assertThat(allSmall).as("no buffer above 4 MiB").isTrue();
		}

		@Test
		void errorsAreStorageExceptions() {
			StepVerifier.create(storage.get("missing.txt"))
				.expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(StorageException.class))
				.verify(TIMEOUT);
		}

	}

	// =====================================================================================
	@Nested
	@DisplayName("checksums")
	public class Checksums {

		private static final byte[] CONTENT = bytes("checked content");

		private String expected(ChecksumAlgorithm algorithm) {
			return io.github.reactivestorage.Checksums.of(algorithm, CONTENT);
		}

		@ParameterizedTest
		@EnumSource(ChecksumAlgorithm.class)
		void rightValueStoresAndIsReported(ChecksumAlgorithm algorithm) {
			assumeCapability(StorageCapability.WRITE);
			assumeCapability(StorageCapability.CHECKSUMS);
			StoredObject stored = put("sum.txt", CONTENT, PutOptions.builder().checksum(algorithm, expected(algorithm)).build());
			assertThat(stored.checksums()).containsEntry(algorithm.token(), expected(algorithm));
			assertThat(get("sum.txt")).isEqualTo(CONTENT);
		}

		@ParameterizedTest
		@EnumSource(ChecksumAlgorithm.class)
		void computedWithoutExpectedValueIsReported(ChecksumAlgorithm algorithm) {
			assumeCapability(StorageCapability.WRITE);
			assumeCapability(StorageCapability.CHECKSUMS);
			StoredObject stored = put("sum.txt", CONTENT, PutOptions.builder().checksum(algorithm).build());
			assertThat(stored.checksums()).containsEntry(algorithm.token(), expected(algorithm));
		}

		@ParameterizedTest
		@EnumSource(ChecksumAlgorithm.class)
		void wrongValueFailsAndKeepsTheOldObject(ChecksumAlgorithm algorithm) {
			assumeCapability(StorageCapability.WRITE);
			assumeCapability(StorageCapability.CHECKSUMS);
			assumeNoLimitation(KnownLimitation.UPLOAD_VISIBLE_BEFORE_COMMIT);
			StoredObject old = put("sum.txt", bytes("old version"));
			String wrong = io.github.reactivestorage.Checksums.of(algorithm, bytes("other content"));
			expectError(storage.put("sum.txt", body(CONTENT), PutOptions.builder().checksum(algorithm, wrong).build()),
					ChecksumMismatchException.class);
			assertThat(text(get("sum.txt"))).isEqualTo("old version");
			assertThat(info("sum.txt").etag()).isEqualTo(old.etag());
		}

		@Test
		void wrongValueOnANewKeyStoresNothing() {
			assumeCapability(StorageCapability.WRITE);
			assumeCapability(StorageCapability.CHECKSUMS);
			assumeNoLimitation(KnownLimitation.UPLOAD_VISIBLE_BEFORE_COMMIT);
			String wrong = io.github.reactivestorage.Checksums.of(ChecksumAlgorithm.SHA_256, bytes("other"));
			expectError(storage.put("new.txt", body(CONTENT),
					PutOptions.builder().checksum(ChecksumAlgorithm.SHA_256, wrong).build()), ChecksumMismatchException.class);
			assertThat(exists("new.txt")).isFalse();
		}

		@Test
		void rightValueOfAMultipartSizedBodyStores() {
			assumeCapability(StorageCapability.WRITE);
			assumeCapability(StorageCapability.CHECKSUMS);
			long size = largeObjectSize() + 1;
			String sha256 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(digestOfGenerated(size, 71)));
			StoredObject stored = await(storage.put("big.bin", generate(size, 71),
					PutOptions.builder().checksum(ChecksumAlgorithm.SHA_256, sha256).build()));
			assertThat(stored.checksums()).containsEntry("sha-256", sha256);
			assertThat(digestOf(storage.get("big.bin"))).isEqualTo(digestOfGenerated(size, 71));
		}

		@Test
		void wrongValueOfAMultipartSizedBodyFailsAndKeepsTheOldObject() {
			assumeCapability(StorageCapability.WRITE);
			assumeCapability(StorageCapability.CHECKSUMS);
			assumeNoLimitation(KnownLimitation.UPLOAD_VISIBLE_BEFORE_COMMIT);
			long size = largeObjectSize() + 1;
			put("big.bin", bytes("old version"));
			String wrong = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(digestOfGenerated(size, 72)));
			expectError(storage.put("big.bin", generate(size, 71),
					PutOptions.builder().checksum(ChecksumAlgorithm.SHA_256, wrong).build()), ChecksumMismatchException.class);
			assertThat(text(get("big.bin"))).isEqualTo("old version");
		}

		@Test
		void checksumsWithoutTheCapabilityAreRefusedBeforeTheBodyIsRead() {
			assumeCapability(StorageCapability.WRITE);
			assumeLacking(StorageCapability.CHECKSUMS);
			WatchedBody watched = new WatchedBody(body(CONTENT));
			expectError(storage.put("sum.txt", watched.flux(), PutOptions.builder().checksum(ChecksumAlgorithm.MD5).build()),
					UnsupportedStorageOperationException.class);
			assertThat(watched.wasSubscribed()).isFalse();
		}

	}

	// =====================================================================================
	@Nested
	@DisplayName("read: information and content of one version")
	public class Reads {

		private StoredContent read(String key, @Nullable ByteRange range) {
			return await(storage.read(key, range));
		}

		@Test
		void readDescribesTheBytesItEmits() {
			seed("read/a.txt", bytes("0123456789"), PutOptions.builder().contentType("text/plain").build());
			StoredObject info = info("read/a.txt");
			StoredContent content = read("read/a.txt", null);
			assertThat(content.object().key()).isEqualTo("read/a.txt");
			assertThat(content.object().size()).isEqualTo(10);
			assertThat(content.object().etag()).isEqualTo(info.etag());
			assertThat(content.object().contentType()).isEqualTo(info.contentType());
			assertThat(content.isPartial()).isFalse();
			assertThat(content.start()).isZero();
			assertThat(content.length()).isEqualTo(10);
			assertThat(text(readAll(content.content()))).isEqualTo("0123456789");
		}

		@Test
		void readOfARange() {
			assumeCapability(StorageCapability.RANGE_READ);
			seed("read/digits.txt", bytes("0123456789"));
			StoredContent content = read("read/digits.txt", ByteRange.of(2, 5));
			assertThat(content.isPartial()).isTrue();
			assertThat(content.start()).isEqualTo(2);
			assertThat(content.end()).isEqualTo(5);
			assertThat(content.object().size()).isEqualTo(10);
			assertThat(text(readAll(content.content()))).isEqualTo("2345");
			StoredContent suffix = read("read/digits.txt", ByteRange.last(3));
			assertThat(suffix.start()).isEqualTo(7);
			assertThat(text(readAll(suffix.content()))).isEqualTo("789");
			StoredContent open = read("read/digits.txt", ByteRange.from(8));
			assertThat(open.end()).isEqualTo(9);
			assertThat(text(readAll(open.content()))).isEqualTo("89");
			StoredContent clamped = read("read/digits.txt", ByteRange.of(8, 1000));
			assertThat(clamped.length()).isEqualTo(2);
			assertThat(text(readAll(clamped.content()))).isEqualTo("89");
		}

		@Test
		void readOfASuffixOfAnEmptyObjectIsEmpty() {
			assumeCapability(StorageCapability.RANGE_READ);
			seed("read/empty.txt", new byte[0]);
			StoredContent content = read("read/empty.txt", ByteRange.last(5));
			assertThat(content.object().size()).isZero();
			assertThat(content.length()).isZero();
			assertThat(readAll(content.content())).isEmpty();
		}

		@Test
		void readOfAnUnsatisfiableRangeIsInvalid() {
			assumeCapability(StorageCapability.RANGE_READ);
			seed("read/digits.txt", bytes("0123456789"));
			expectError(storage.read("read/digits.txt", ByteRange.from(10)), InvalidRangeException.class);
			expectError(storage.read("read/digits.txt", ByteRange.last(0)), InvalidRangeException.class);
		}

		@Test
		void readOfAMissingKeyIsNotFound() {
			expectError(storage.read("read/missing.txt", null), ObjectNotFoundException.class);
			expectError(storage.read("read/missing.txt", ByteRange.of(0, 1)), ObjectNotFoundException.class);
		}

		@Test
		void readOfAnInvalidKeyIsInvalid() {
			expectError(storage.read("../escape", null), InvalidKeyException.class);
		}

		@Test
		void discardedReadsReleaseWhatTheyHold() {
			seed("read/discarded.bin", new byte[256 * 1024]);
			// more than a connection pool holds (the S3 client's is 128)
			for (int i = 0; i < 150; i++) {
				awaitEmpty(read("read/discarded.bin", null).discard());
			}
			StoredContent content = read("read/discarded.bin", null);
			assertThat(readAll(content.content())).hasSize(256 * 1024);
			awaitEmpty(content.discard());
		}

		@Test
		void readUnderConcurrentOverwritesIsOneVersion() throws Exception {
			assumeCapability(StorageCapability.WRITE);
			assumeReadsOneVersion();
			// a server that shows an upload before it is committed lets a reader see a partial version
			assumeNoLimitation(KnownLimitation.UPLOAD_VISIBLE_BEFORE_COMMIT);
			byte[] first = new byte[200 * 1024];
			byte[] second = new byte[300 * 1024];
			java.util.Arrays.fill(first, (byte) 'a');
			java.util.Arrays.fill(second, (byte) 'b');
			seed("read/raced.bin", first);
			Mono<Void> writer = Flux.range(0, 20)
				.concatMap(i -> storage.put("read/raced.bin", (i % 2 == 0) ? second : first, PutOptions.defaults()))
				.then();
			Mono<List<String>> readers = Flux.range(0, 20)
				.concatMap(i -> storage.read("read/raced.bin", null)
					.flatMap(content -> DataBufferUtils.join(content.content())
						.map(joined -> {
							byte[] bytes = new byte[joined.readableByteCount()];
							joined.read(bytes);
							DataBufferUtils.release(joined);
							char version = (bytes.length == first.length) ? 'a' : 'b';
							boolean uniform = bytes.length > 0 && IntStream.range(0, bytes.length)
								.allMatch(index -> bytes[index] == (byte) version);
							return (bytes.length == content.object().size() && uniform) ? "ok"
									: "size " + content.object().size() + " with " + bytes.length + " bytes";
						})))
				.collectList();
			List<String> outcomes = await(Mono.zip(writer.then(Mono.just(true)), readers).map(both -> both.getT2()));
			assertThat(outcomes).containsOnly("ok");
		}

	}

}
