package io.github.reactivestorage.azure;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;

import com.azure.storage.blob.BlobAsyncClient;
import com.azure.storage.blob.models.BlobDownloadAsyncResponse;
import com.azure.storage.blob.models.BlobDownloadHeaders;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.InvalidRangeException;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.support.ContentRanges;
import io.github.reactivestorage.support.ETags;
import io.github.reactivestorage.support.HeaderMetadataCodec;

/**
 * {@link AzureBlobStorage#read}: one download whose response headers (size from {@code Content-Range},
 * etag, type, metadata) describe the bytes of its body. A suffix range has no Azure form
 * ({@code x-ms-range} is {@code start-[end]}), so it costs a properties call first and a download
 * pinned to that version with {@code If-Match}.
 */
final class AzureBlobReads {

	private final DataBufferFactory bufferFactory;

	AzureBlobReads(DataBufferFactory bufferFactory) {
		this.bufferFactory = bufferFactory;
	}

	Mono<StoredContent> read(BlobAsyncClient blob, String key, @Nullable ByteRange range) {
		if (range == null) {
			return download(blob, key, null, null, null);
		}
		if (range.isSuffix()) {
			return blob.getProperties().onErrorMap(ex -> AzureBlobStorage.translate(ex, key)).flatMap(properties -> {
				long[] span = range.resolve(properties.getBlobSize());
				BlobRequestConditions sameVersion = new BlobRequestConditions().setIfMatch(properties.getETag());
				BlobRange blobRange = (span[1] >= span[0]) ? new BlobRange(span[0], span[1] - span[0] + 1) : null;
				return download(blob, key, blobRange, sameVersion, range);
			});
		}
		Long count = (range.end() >= 0) ? range.end() - range.start() + 1 : null;
		return download(blob, key, new BlobRange(range.start(), count), null, range);
	}

	private Mono<StoredContent> download(BlobAsyncClient blob, String key, @Nullable BlobRange blobRange,
			@Nullable BlobRequestConditions conditions, @Nullable ByteRange range) {
		return blob.downloadStreamWithResponse(blobRange, null, conditions, false)
			.onErrorMap(ex -> AzureBlobStorage.translate(ex, key))
			.flatMap(response -> content(response, key, blobRange, range));
	}

	private Mono<StoredContent> content(BlobDownloadAsyncResponse response, String key, @Nullable BlobRange blobRange,
			@Nullable ByteRange range) {
		BlobDownloadHeaders headers = response.getDeserializedHeaders();
		long[] contentRange = ContentRanges.parse(headers.getContentRange());
		long size = (contentRange != null) ? contentRange[2]
				: (headers.getContentLength() != null) ? headers.getContentLength() : 0;
		StoredObject object = StoredObject.builder(key)
			.size(size)
			.contentType(headers.getContentType())
			.etag(ETags.opaque(headers.getETag()))
			.lastModified(instant(headers.getLastModified()))
			.metadata(HeaderMetadataCodec.decode(headers.getMetadata()))
			.build();
		Flux<DataBuffer> body = response.getValue()
			.onErrorMap(ex -> AzureBlobStorage.translate(ex, key))
			.map(this::toDataBuffer);
		// closing the response releases its connection when the body is not read
		Mono<Void> discard = Mono.fromRunnable(() -> close(response));
		if (range == null) {
			return Mono.just(StoredContent.whole(object, body, discard));
		}
		if (blobRange != null && blobRange.getOffset() >= size) {
			// Azurite answers an empty 206 where Azure answers 416
			return discard.then(Mono.error(new InvalidRangeException(
					"Range start " + blobRange.getOffset() + " is not before the object's size", key, null)));
		}
		if (contentRange != null) {
			return Mono.just(StoredContent.range(object, contentRange[0], contentRange[1], body, discard));
		}
		// the whole object answered a range (an empty object's suffix): keep the range's bytes
		long[] span = range.resolve(size);
		Flux<DataBuffer> slice = DataBufferUtils
			.takeUntilByteCount(DataBufferUtils.skipUntilByteCount(body, span[0]), span[1] - span[0] + 1);
		return Mono.just(StoredContent.range(object, span[0], span[1], slice, discard));
	}

	private static void close(BlobDownloadAsyncResponse response) {
		try {
			response.close();
		}
		catch (IOException ex) {
			// releasing is best effort
		}
	}

	private static java.time.@Nullable Instant instant(@Nullable OffsetDateTime time) {
		return (time != null) ? time.toInstant() : null;
	}

	private DataBuffer toDataBuffer(ByteBuffer bytes) {
		DataBuffer buffer = this.bufferFactory.allocateBuffer(bytes.remaining());
		buffer.write(bytes);
		return buffer;
	}

}
