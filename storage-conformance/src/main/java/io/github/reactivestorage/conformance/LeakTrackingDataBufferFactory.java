package io.github.reactivestorage.conformance;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

/**
 * A reference-counted {@link DataBufferFactory} that remembers every buffer it hands out, so a test
 * can check that all of them were released ({@link #checkForLeaks(Duration)}). Buffers are Netty
 * buffers: releasing one twice, or using one after release, fails loudly.
 */
public final class LeakTrackingDataBufferFactory implements DataBufferFactory {

	private final NettyDataBufferFactory delegate;

	private final Queue<Allocation> allocations = new ConcurrentLinkedQueue<>();

	public LeakTrackingDataBufferFactory() {
		this.delegate = new NettyDataBufferFactory(new UnpooledByteBufAllocator(true));
	}

	/** A factory over a pooled allocator (closer to production servers). */
	public static LeakTrackingDataBufferFactory pooled() {
		return new LeakTrackingDataBufferFactory(new NettyDataBufferFactory(PooledByteBufAllocator.DEFAULT));
	}

	private LeakTrackingDataBufferFactory(NettyDataBufferFactory delegate) {
		this.delegate = delegate;
	}

	@Override
	@Deprecated
	public DataBuffer allocateBuffer() {
		return track(this.delegate.allocateBuffer());
	}

	@Override
	public DataBuffer allocateBuffer(int initialCapacity) {
		return track(this.delegate.allocateBuffer(initialCapacity));
	}

	@Override
	public DataBuffer wrap(ByteBuffer byteBuffer) {
		return track(this.delegate.wrap(byteBuffer));
	}

	@Override
	public DataBuffer wrap(byte[] bytes) {
		return track(this.delegate.wrap(bytes));
	}

	@Override
	public DataBuffer join(List<? extends DataBuffer> dataBuffers) {
		return track(this.delegate.join(dataBuffers));
	}

	@Override
	public boolean isDirect() {
		return this.delegate.isDirect();
	}

	private DataBuffer track(DataBuffer buffer) {
		// Netty shares one never-released empty buffer for zero-length wraps: nothing to track
		if (buffer instanceof NettyDataBuffer netty && netty.getNativeBuffer().capacity() > 0) {
			this.allocations.add(new Allocation(netty.getNativeBuffer(), new Throwable("allocated here")));
		}
		return buffer;
	}

	/** How many buffers were handed out since the last {@link #reset()}. */
	public int allocationCount() {
		return this.allocations.size();
	}

	/** Forget every buffer handed out so far. */
	public void reset() {
		this.allocations.clear();
	}

	/**
	 * Wait up to {@code timeout} for every buffer handed out to be released.
	 * @throws AssertionError naming how many leaked, with the allocation site of the first as cause
	 */
	public void checkForLeaks(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<Allocation> leaked = leaked();
		while (!leaked.isEmpty() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			leaked = leaked();
		}
		if (!leaked.isEmpty()) {
			AssertionError error = new AssertionError(leaked.size() + " of " + this.allocations.size()
					+ " data buffers were not released", leaked.get(0).site());
			leaked.forEach(allocation -> allocation.buffer().release(allocation.buffer().refCnt()));
			this.allocations.clear();
			throw error;
		}
		this.allocations.clear();
	}

	private List<Allocation> leaked() {
		List<Allocation> leaked = new ArrayList<>();
		for (Allocation allocation : this.allocations) {
			if (allocation.buffer().refCnt() > 0) {
				leaked.add(allocation);
			}
		}
		return leaked;
	}

	private record Allocation(ByteBuf buffer, Throwable site) {
	}

}
