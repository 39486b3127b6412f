package io.github.reactivestorage.s3;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.InvalidRangeException;
import io.github.reactivestorage.ObjectAlreadyExistsException;
import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StoragePermissionException;

import static org.assertj.core.api.Assertions.assertThat;
import io.github.reactivestorage.support.HeaderMetadataCodec;
import io.github.reactivestorage.support.ETags;

class S3StorageUnitTests {

	@ParameterizedTest
	@ValueSource(strings = { "plain", "é", "🎉", " lead", "trail ", "", "=?UTF-8?B?Zm9v?=", "tab\there", "a\nb" })
	void metadataCodecRoundTrips(String value) {
		String encoded = HeaderMetadataCodec.encodeValue(value);
		assertThat(encoded.chars()).allMatch(c -> c >= 0x20 && c <= 0x7E);
		assertThat(HeaderMetadataCodec.decodeValue(encoded)).isEqualTo(value);
	}

	@Test
	void plainValuesAreStoredAsTheyAre() {
		assertThat(HeaderMetadataCodec.encode(Map.of("k", "v 1"))).containsEntry("k", "v 1");
	}

	@Test
	void copyRangesCoverTheObjectExactly() {
		List<long[]> ranges = S3Storage.copyRanges(10, 4);
		assertThat(ranges).hasSize(3);
		assertThat(ranges.get(0)).containsExactly(0, 3);
		assertThat(ranges.get(2)).containsExactly(8, 9);
		long size = 12L * 1024 * 1024 * 1024 + 1;
		List<long[]> large = S3Storage.copyRanges(size, S3Storage.COPY_PART_SIZE);
		assertThat(large).hasSize(25);
		assertThat(large.get(large.size() - 1)[1]).isEqualTo(size - 1);
	}

	@Test
	void partsAreCutToSizeAndTheLastIsMarked() {
		AtomicLong total = new AtomicLong();
		Flux<org.springframework.core.io.buffer.DataBuffer> body = Flux.range(0, 10)
			.map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[3]));
		List<S3Storage.Part> parts = S3Storage.Parts.cut(body, 7, total).collectList().block();
		assertThat(parts).extracting(part -> part.bytes().length).containsExactly(7, 7, 7, 7, 2);
		assertThat(parts).extracting(S3Storage.Part::last).containsExactly(false, false, false, false, true);
		assertThat(parts).extracting(S3Storage.Part::index).containsExactly(0, 1, 2, 3, 4);
		assertThat(total.get()).isEqualTo(30);
	}

	@Test
	void aBufferLargerThanAPartIsCutIntoSeveralAndBlocksStaySmall() {
		AtomicLong total = new AtomicLong();
		byte[] content = new byte[5 * 1024 * 1024 + 123];
		new java.util.Random(5).nextBytes(content);
		int partSize = 2 * 1024 * 1024;
		// one large buffer, then a small one
		Flux<org.springframework.core.io.buffer.DataBuffer> body = Flux.just(
				DefaultDataBufferFactory.sharedInstance.wrap(java.util.Arrays.copyOf(content, content.length - 100)),
				DefaultDataBufferFactory.sharedInstance
					.wrap(java.util.Arrays.copyOfRange(content, content.length - 100, content.length)));
		List<S3Storage.Part> parts = S3Storage.Parts.cut(body, partSize, total).collectList().block();
		assertThat(parts).extracting(S3Storage.Part::length)
			.containsExactly(partSize, partSize, content.length - 2 * partSize);
		assertThat(parts).extracting(S3Storage.Part::last).containsExactly(false, false, true);
		assertThat(parts).flatExtracting(S3Storage.Part::blocks)
			.allSatisfy(block -> assertThat(block.remaining()).isBetween(1, S3Storage.Parts.BLOCK));
		java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
		parts.forEach(part -> joined.writeBytes(part.bytes()));
		assertThat(joined.toByteArray()).isEqualTo(content);
		assertThat(total.get()).isEqualTo(content.length);
	}

	@Test
	void anEmptyBodyHasNoParts() {
		assertThat(S3Storage.Parts.cut(Flux.empty(), 7, new AtomicLong()).collectList().block()).isEmpty();
	}

	@Test
	void sdkErrorsAreMapped() {
		assertThat(S3Storage.translate(NoSuchKeyException.builder().statusCode(404).build(), "k", S3Storage.Operation.GET))
			.isInstanceOf(ObjectNotFoundException.class)
			.hasCauseInstanceOf(NoSuchKeyException.class);
		assertThat(S3Storage.translate(s3(403), "k", S3Storage.Operation.GET)).isInstanceOf(StoragePermissionException.class);
		assertThat(S3Storage.translate(s3(412), "k", S3Storage.Operation.PUT)).isInstanceOf(ObjectAlreadyExistsException.class);
		assertThat(S3Storage.translate(s3(416), "k", S3Storage.Operation.GET)).isInstanceOf(InvalidRangeException.class);
		assertThat(S3Storage.translate(s3(503), "k", S3Storage.Operation.GET)).isInstanceOf(StorageConnectionException.class);
		assertThat(S3Storage.translate(new CompletionException(SdkClientException.create("refused",
				new java.net.ConnectException())), "k", S3Storage.Operation.GET)).isInstanceOf(StorageConnectionException.class);
	}

	@Test
	void etagsLoseTheirQuotes() {
		assertThat(ETags.opaque("\"abc\"")).isEqualTo("abc");
		assertThat(ETags.opaque("abc")).isEqualTo("abc");
	}

	private static S3Exception s3(int status) {
		return (S3Exception) S3Exception.builder().statusCode(status).message("status " + status).build();
	}

}
