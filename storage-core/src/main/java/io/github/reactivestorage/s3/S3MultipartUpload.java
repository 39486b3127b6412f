package io.github.reactivestorage.s3;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;

/**
 * The requests of one multipart upload, so that a cancelled or failed upload leaves nothing
 * billable. Cancelling a Reactor subscription does not cancel a request the SDK has sent: a
 * {@code CreateMultipartUpload} still creates its upload, an {@code UploadPart} still stores its part,
 * possibly after an abort (which then leaves the part, or the whole upload, behind). So
 * {@link #abort()} first stops new requests, then waits for every request already started to
 * settle, then aborts the upload the create made (if it made one and it was not completed), retrying
 * a few times with backoff, and logs the upload id if it still fails: a lifecycle rule
 * ({@code AbortIncompleteMultipartUpload}) is the backstop.
 */
final class S3MultipartUpload {

	private static final Log logger = LogFactory.getLog(S3Storage.class);

	private static final int ABORT_RETRIES = 3;

	private static final Duration ABORT_BACKOFF = Duration.ofMillis(200);

	private final S3AsyncClient client;

	private final String bucket;

	private final String key;

	/** Guarded by this. */
	private final List<CompletableFuture<?>> started = new ArrayList<>();

	/** Guarded by this. */
	private @Nullable CompletableFuture<CreateMultipartUploadResponse> create;

	/** Guarded by this: once set, no request starts. */
	private @Nullable CompletableFuture<Void> aborted;

	private volatile boolean completed;

	S3MultipartUpload(S3AsyncClient client, String bucket, String key) {
		this.client = client;
		this.bucket = bucket;
		this.key = key;
	}

	/** Send the create request, remembered so that an abort finds the upload it makes. */
	synchronized CompletableFuture<CreateMultipartUploadResponse> create(
			Supplier<CompletableFuture<CreateMultipartUploadResponse>> call) {
		CompletableFuture<CreateMultipartUploadResponse> future = start(call);
		this.create = future;
		return future;
	}

	/** Send a request of this upload (a part), unless the upload is being aborted. */
	synchronized <T> CompletableFuture<T> start(Supplier<CompletableFuture<T>> call) {
		if (this.aborted != null) {
			return CompletableFuture.failedFuture(new CancellationException("The upload is being aborted"));
		}
		CompletableFuture<T> future = call.get();
		this.started.add(future);
		return future;
	}

	/** Send the complete request; once it succeeded the upload is never aborted. */
	<T> CompletableFuture<T> complete(Supplier<CompletableFuture<T>> call) {
		// the flag is set by the future the abort waits for, so an abort that follows sees it
		return start(() -> call.get().thenApply((response) -> {
			this.completed = true;
			return response;
		}));
	}

	/**
	 * Abort the upload once every request started has settled (see the class comment). Runs once,
	 * whether or not the returned {@code Mono} is subscribed; it never fails.
	 */
	Mono<Void> abort() {
		CompletableFuture<Void> abort;
		synchronized (this) {
			if (this.aborted == null) {
				this.aborted = settled(this.started.toArray(new CompletableFuture<?>[0]))
					.thenCompose((ignored) -> abortCreated(this.create));
			}
			abort = this.aborted;
		}
		return Mono.fromFuture(abort, true);
	}

	private CompletableFuture<Void> abortCreated(@Nullable CompletableFuture<CreateMultipartUploadResponse> create) {
		if (create == null || this.completed || create.isCompletedExceptionally()) {
			return CompletableFuture.completedFuture(null);
		}
		String uploadId = create.join().uploadId();
		return Mono.defer(() -> Mono.fromFuture(this.client.abortMultipartUpload((request) -> request
				.bucket(this.bucket)
				.key(this.key)
				.uploadId(uploadId))))
			.then()
			.retryWhen(Retry.backoff(ABORT_RETRIES, ABORT_BACKOFF)
				.filter((ex) -> !isGone(ex))
				.onRetryExhaustedThrow((spec, signal) -> signal.failure()))
			.onErrorResume((cause) -> {
				if (!isGone(cause)) {
					logger.warn("Could not abort multipart upload " + uploadId + " of '" + this.key + "' in bucket '"
							+ this.bucket + "' after " + (ABORT_RETRIES + 1) + " attempts: its parts stay stored "
							+ "(and billed) until an AbortIncompleteMultipartUpload lifecycle rule removes them", cause);
				}
				return Mono.empty();
			})
			.toFuture();
	}

	/** Completes (normally) once every future has, however each ended. */
	private static CompletableFuture<Void> settled(CompletableFuture<?>[] futures) {
		return CompletableFuture.allOf(futures).handle((result, ex) -> null);
	}

	/** The upload no longer exists (aborted already, or completed): nothing left to abort. */
	private static boolean isGone(@Nullable Throwable ex) {
		Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
		return cause instanceof SdkServiceException service && service.statusCode() == 404;
	}

}
