package io.github.reactivestorage.gcs;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.google.api.gax.paging.Page;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Storage;

/**
 * Wraps a GCS client, and the channels and pages it hands out, to record the thread of every call,
 * so that tests can prove no SDK call runs outside the storage's scheduler.
 */
final class ThreadRecordingStorage {

	private final List<String> calls = new CopyOnWriteArrayList<>();

	private final Set<String> threads = ConcurrentHashMap.newKeySet();

	/** The client, wrapped. */
	Storage wrap(Storage storage) {
		return proxy(Storage.class, storage);
	}

	/** Names of the threads that made SDK calls. */
	Set<String> threads() {
		return Set.copyOf(this.threads);
	}

	/** Calls made on a thread whose name does not start with {@code prefix}, as method@thread. */
	List<String> callsOutside(String prefix) {
		return this.calls.stream().filter(call -> !call.substring(call.indexOf('@') + 1).startsWith(prefix)).toList();
	}

	int callCount() {
		return this.calls.size();
	}

	@SuppressWarnings("unchecked")
	private <T> T proxy(Class<T> type, T target) {
		InvocationHandler handler = (proxy, method, args) -> {
			if (method.getDeclaringClass() == Object.class) {
				return method.invoke(target, args);
			}
			String thread = Thread.currentThread().getName();
			this.threads.add(thread);
			this.calls.add(type.getSimpleName() + "." + method.getName() + "@" + thread);
			Object result;
			try {
				result = method.invoke(target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
			if (result instanceof ReadChannel channel && method.getReturnType() == ReadChannel.class) {
				return proxy(ReadChannel.class, channel);
			}
			if (result instanceof WriteChannel channel && method.getReturnType() == WriteChannel.class) {
				return proxy(WriteChannel.class, channel);
			}
			if (result instanceof Page<?> page && method.getReturnType() == Page.class) {
				return proxy(Page.class, page);
			}
			return result;
		};
		return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { type }, handler);
	}

}
