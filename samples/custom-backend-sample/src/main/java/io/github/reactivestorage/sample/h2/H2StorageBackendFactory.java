package io.github.reactivestorage.sample.h2;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.autoconfigure.MountProperties;
import io.github.reactivestorage.autoconfigure.StorageBackendFactory;
import org.h2.jdbcx.JdbcConnectionPool;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * Registers the mount type {@code h2}: {@code storage.mounts.<name>.path} is the database file
 * (without {@code .mv.db}); without a path the database lives in memory.
 */
public class H2StorageBackendFactory implements StorageBackendFactory {

	/** The JDBC calls of a mount run on at most this many threads. */
	static final int THREADS = 4;

	@Override
	public String type() {
		return "h2";
	}

	@Override
	public ReactiveStorage create(String name, MountProperties properties) {
		String url = (properties.getPath() != null && !properties.getPath().isBlank())
				? "jdbc:h2:file:" + properties.getPath() : "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
		JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
		pool.setMaxConnections(THREADS);
		Scheduler scheduler = Schedulers.newBoundedElastic(THREADS, 10_000, "h2-" + name);
		return new H2Storage(name, pool, DefaultDataBufferFactory.sharedInstance, scheduler, () -> {
			scheduler.dispose();
			pool.dispose();
		});
	}

}
