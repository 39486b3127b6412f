package io.github.reactivestorage.sample.h2;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.conformance.StorageConformanceTests;
import io.github.reactivestorage.conformance.StorageTestContext;
import org.h2.jdbcx.JdbcConnectionPool;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The conformance kit, unchanged, against the H2 backend: what a backend author runs to prove a
 * backend of their own.
 */
class H2StorageConformanceTests extends StorageConformanceTests {

	@Override
	protected ReactiveStorage createStorage(StorageTestContext context) {
		JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:mem:" + context.uniqueId() + ";DB_CLOSE_DELAY=-1",
				"sa", "");
		Scheduler scheduler = Schedulers.newBoundedElastic(4, 10_000, "h2-test");
		return new H2Storage(context.mountName(), pool, context.bufferFactory(), scheduler, () -> {
			scheduler.dispose();
			pool.dispose();
		});
	}

	/** The sample keeps the base class's read (info, then get: two transactions). */
	@Override
	protected boolean readsOneVersion() {
		return false;
	}

}
