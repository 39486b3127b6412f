package io.github.reactivestorage.s3;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.github.reactivestorage.ByteRange;
import io.github.reactivestorage.InvalidRangeException;
import io.github.reactivestorage.StorageConnectionException;
import io.github.reactivestorage.StoredContent;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.support.ContentRanges;
import io.github.reactivestorage.support.ETags;
import io.github.reactivestorage.support.HeaderMetadataCodec;

/**
 * {@link S3Storage#read}: one {@code GetObject} whose response headers describe the version whose
 * bytes its body carries. The range goes to S3 as it is ({@code bytes=-500} included), so nothing is
 * looked up first.
 */
final class S3Reads {

	private final S3AsyncClient client;

	private final String bucket;

	private final DataBufferFactory bufferFactory;

	private final S3ServerSideEncryption encryption;

	S3Reads(S3AsyncClient client, String bucket, DataBufferFactory bufferFactory, S3ServerSideEncryption encryption) {
		this.client = client;
		this.bucket = bucket;
		this.bufferFactory = bufferFactory;
		this.encryption = encryption;
	}

	Mono<StoredContent> read(String key, @Nullable ByteRange range) {
		GetObjectRequest.Builder request = GetObjectRequest.builder()
			.bucket(this.bucket)
			.key(key)
			.applyMutation(this.encryption::get);
		if (range != null) {
			request.range(range.toHttpHeaderValue());
		}
		else {
			// S3 returns the object's full-object checksums only with the whole object
			request.checksumMode(ChecksumMode.ENABLED);
		}
		Mono<StoredContent> read = Mono
			.fromFuture(() -> this.client.getObject(request.build(), AsyncResponseTransformer.toPublisher()))
			.onErrorMap(ex -> S3Storage.translate(ex, key, S3Storage.Operation.GET))
			.map(publisher -> content(key, range, publisher));
		if (range == null || !range.isSuffix() || range.suffixLength() == 0) {
			return read;
		}
		// S3 answers 416 to any range of an empty object; RFC 9110 makes a suffix of it the empty representation
		return read.onErrorResume(InvalidRangeException.class, ex -> read(key, null).flatMap(whole -> {
			if (whole.object().size() == 0) {
				return Mono.just(StoredContent.range(whole.object(), 0, -1, whole.content(), whole.discard()));
			}
			return whole.discard()
				.then(Mono.error(new StorageConnectionException("The object changed while it was read", key, ex)));
		}));
	}

	private StoredContent content(String key, @Nullable ByteRange range, ResponsePublisher<GetObjectResponse> publisher) {
		GetObjectResponse response = publisher.response();
		long[] contentRange = ContentRanges.parse(response.contentRange());
		long length = (response.contentLength() != null) ? response.contentLength() : 0;
		long size = (contentRange != null) ? contentRange[2] : length;
		StoredObject object = StoredObject.builder(key)
			.size(size)
			.contentType(response.contentType())
			.etag(ETags.opaque(response.eTag()))
			.lastModified(response.lastModified())
			.metadata(HeaderMetadataCodec.decode(response.metadata()))
			.checksums(S3Storage.checksumsOf(response.checksumSHA256(), response.checksumCRC32C()))
			.build();
		AtomicBoolean taken = new AtomicBoolean();
		Flux<DataBuffer> body = Flux.defer(() -> {
			if (!taken.compareAndSet(false, true)) {
				return Flux.error(new IllegalStateException("The content of a read is subscribed once"));
			}
			return Flux.from(publisher)
				.map(this::toDataBuffer)
				.onErrorMap(ex -> S3Storage.translate(ex, key, S3Storage.Operation.GET));
		});
		// cancelling the SDK's publisher closes the response's connection instead of leaving it checked out
		Mono<Void> discard = Mono.fromRunnable(() -> {
			if (taken.compareAndSet(false, true)) {
				publisher.subscribe(new CancellingSubscriber());
			}
		});
		if (range == null) {
			return StoredContent.whole(object, body, discard);
		}
		if (contentRange != null) {
			return StoredContent.range(object, contentRange[0], contentRange[1], body, discard);
		}
		// a server that ignored the range sent the whole object: keep the range's bytes
		long[] span;
		try {
			span = range.resolve(size);
		}
		catch (InvalidRangeException ex) {
			discard.subscribe();
			throw ex;
		}
		Flux<DataBuffer> slice = DataBufferUtils
			.takeUntilByteCount(DataBufferUtils.skipUntilByteCount(body, span[0]), span[1] - span[0] + 1);
		return StoredContent.range(object, span[0], span[1], slice, discard);
	}

	private DataBuffer toDataBuffer(ByteBuffer byteBuffer) {
		DataBuffer buffer = this.bufferFactory.allocateBuffer(byteBuffer.remaining());
		buffer.write(byteBuffer);
		return buffer;
	}

	private static final class CancellingSubscriber implements Subscriber<ByteBuffer> {

		@Override
		public void onSubscribe(Subscription subscription) {
			subscription.cancel();
		}

		@Override
		public void onNext(ByteBuffer buffer) {
		}

		@Override
		public void onError(Throwable error) {
		}

		@Override
		public void onComplete() {
		}

	}

}
