package io.github.reactivestorage.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import reactor.core.scheduler.Schedulers;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.conformance.KnownLimitation;
import io.github.reactivestorage.conformance.StorageConformanceTests;
import io.github.reactivestorage.conformance.StorageTestContext;

/**
 * The conformance kit against Google's in-process fake ({@link LocalStorageHelper} from
 * google-cloud-nio), a fresh fake per test, its client holding a locally generated service-account
 * key so that URLs are signed.
 */
class GcsStorageConformanceTests extends StorageConformanceTests {

	private final ThreadRecordingStorage recorder = new ThreadRecordingStorage();

	@Override
	protected ReactiveStorage createStorage(StorageTestContext context) {
		// the fake keeps its objects in plain HashMaps, so its calls are made one at a time (a single
		// thread); concurrency against a real server is the fake-gcs-server test's business
		return new GcsStorage(context.mountName(), this.recorder.wrap(GcsTestSupport.fakeWithSigningKey()), "bucket",
				context.bufferFactory(), Schedulers.newSingle("gcs-" + context.mountName()), true,
				GcsStorageOptions.defaults().withListStartOffset(false));
	}

	/** Every SDK call of every case ran on the mount's own scheduler, whatever thread subscribed. */
	@AfterEach
	void everySdkCallRanOnTheGcsScheduler() {
		assertThat(this.recorder.callsOutside("gcs-")).isEmpty();
	}

	@Override
	protected Set<KnownLimitation> knownLimitations() {
		// each one skips cases; see KnownLimitation. The fake also answers every listing in one page,
		// so page tokens are not exercised here (the fake-gcs-server test does). Its generation
		// preconditions are checked when an upload opens, not when it is finalised, and deletes ignore
		// them, so racing conditional writers can all win there.
		return Set.of(KnownLimitation.UNORDERED_LISTING, KnownLimitation.UPLOAD_VISIBLE_BEFORE_COMMIT,
				KnownLimitation.UPLOAD_NAME_NOT_ENCODED, KnownLimitation.NON_ATOMIC_CONDITIONAL_WRITE,
				KnownLimitation.CONDITION_CHECKED_WHEN_UPLOAD_STARTS);
	}

}
