package io.github.reactivestorage;

import java.nio.channels.FileChannel;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * What {@link ReactiveStorage#read} gives: one version of an object, its information and (a range of)
 * its content, found by one lookup, so that the information always describes the bytes.
 *
 * <p>The receiver either subscribes to {@link #content()} once (and releases each buffer, as for
 * {@code get}) or calls {@link #discard()}: a backend may hold an open response or file until one of
 * them happens.
 *
 * <p>A local file backend may also offer the open {@link #file()} the bytes come from, so that a server
 * can send {@link #length()} bytes from {@link #start()} of it without copying them through buffers
 * ({@code sendfile}). A receiver that sends from the file instead of subscribing to the content calls
 * {@link #sent()} when done (which closes it like {@link #discard()} and lets decorators count the
 * bytes), or {@link #discard()} if it sent nothing.
 */
public final class StoredContent {

	private final StoredObject object;

	private final long start;

	private final long length;

	private final boolean partial;

	private final Flux<DataBuffer> content;

	private final Mono<Void> discard;

	private final @Nullable FileChannel file;

	private final Mono<Void> sent;

	private StoredContent(StoredObject object, long start, long length, boolean partial, Flux<DataBuffer> content,
			Mono<Void> discard, @Nullable FileChannel file) {
		this(object, start, length, partial, content, discard, file, discard);
	}

	private StoredContent(StoredObject object, long start, long length, boolean partial, Flux<DataBuffer> content,
			Mono<Void> discard, @Nullable FileChannel file, Mono<Void> sent) {
		this.object = object;
		this.start = start;
		this.length = length;
		this.partial = partial;
		this.content = content;
		this.discard = discard;
		this.file = file;
		this.sent = sent;
	}

	/**
	 * The whole content of the object.
	 * @param content emits the object's {@code object.size()} bytes when subscribed
	 * @param discard frees what the read holds when the content is not subscribed
	 */
	public static StoredContent whole(StoredObject object, Flux<DataBuffer> content, Mono<Void> discard) {
		return new StoredContent(object, 0, object.size(), false, content, discard, null);
	}

	/**
	 * The bytes {@code [start, end]} (inclusive, resolved against the object's size) of the object.
	 */
	public static StoredContent range(StoredObject object, long start, long end, Flux<DataBuffer> content,
			Mono<Void> discard) {
		if (start < 0 || end < start - 1 || end >= object.size()) {
			throw new IllegalArgumentException(
					"Range [" + start + ", " + end + "] does not fit an object of " + object.size() + " bytes");
		}
		return new StoredContent(object, start, end - start + 1, true, content, discard, null);
	}

	/** The information of the version whose bytes {@link #content()} emits. */
	public StoredObject object() {
		return this.object;
	}

	/** Whether a range was asked for (HTTP {@code 206}), even if it covers the whole object. */
	public boolean isPartial() {
		return this.partial;
	}

	/** The position of the first byte {@link #content()} emits. */
	public long start() {
		return this.start;
	}

	/** The position of the last byte {@link #content()} emits ({@code start() - 1} when empty). */
	public long end() {
		return this.start + this.length - 1;
	}

	/** How many bytes {@link #content()} emits. */
	public long length() {
		return this.length;
	}

	/** The bytes; subscribe once. The subscriber releases each buffer. */
	public Flux<DataBuffer> content() {
		return this.content;
	}

	/** Free what the read holds without reading the content. Idempotent; a no-op once content was subscribed. */
	public Mono<Void> discard() {
		return this.discard;
	}

	/** The same content with the object's information replaced (decorators that rename keys). */
	public StoredContent withObject(StoredObject object) {
		return new StoredContent(Objects.requireNonNull(object), this.start, this.length, this.partial, this.content,
				this.discard, this.file, this.sent);
	}

	/**
	 * The same information with the content transformed (decorators that count or wrap bytes). The
	 * {@link #file()} is dropped, since bytes sent from it would bypass the transformation.
	 */
	public StoredContent withContent(Flux<DataBuffer> content) {
		return new StoredContent(this.object, this.start, this.length, this.partial, content, this.discard, null);
	}

	/**
	 * The same content, also offered as the open file it is read from (for zero-copy sending); the
	 * discard must close the file. {@link #sent()} becomes that discard.
	 */
	public StoredContent withFile(FileChannel file, Mono<Void> discard) {
		return new StoredContent(this.object, this.start, this.length, this.partial, this.content, discard,
				Objects.requireNonNull(file));
	}

	/**
	 * The open file of this version, positioned nowhere in particular (send from {@link #start()}), or
	 * {@code null} when the backend offers none.
	 */
	public @Nullable FileChannel file() {
		return this.file;
	}

	/**
	 * The same content with another {@link #discard()} action, for decorators that must know when a
	 * read ends; it must do what the old one did: {@code content.withDiscard(content.discard().then(x))}.
	 */
	public StoredContent withDiscard(Mono<Void> discard) {
		return new StoredContent(this.object, this.start, this.length, this.partial, this.content,
				Objects.requireNonNull(discard), this.file, this.sent);
	}

	/**
	 * What a receiver that sent the {@link #length()} bytes from {@link #file()} calls instead of
	 * {@link #discard()}: frees the same (closes the file) and lets decorators record the bytes sent
	 * ({@link #withSent}). Defaults to the discard.
	 */
	public Mono<Void> sent() {
		return this.sent;
	}

	/**
	 * The same content with another {@link #sent()} action, for decorators that count bytes sent from
	 * the file: {@code content.withSent(content.sent().then(count))}.
	 */
	public StoredContent withSent(Mono<Void> sent) {
		return new StoredContent(this.object, this.start, this.length, this.partial, this.content, this.discard,
				this.file, Objects.requireNonNull(sent));
	}

	@Override
	public String toString() {
		return "StoredContent[" + this.object.key() + ", start=" + this.start + ", length=" + this.length
				+ (this.partial ? ", partial" : "") + "]";
	}

}
