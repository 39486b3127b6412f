package io.github.reactivestorage.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.cache.CachingStorage;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.support.ReadOnlyStorage;
import io.github.reactivestorage.transfer.StorageTransfer;
import io.github.reactivestorage.transfer.TransferResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code type: cache} mounts and the {@link StorageTransfer} bean.
 */
class CacheMountAutoConfigurationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class));

	@Test
	void cacheMountIsACachingStorageOverTheNamedMounts() {
		// declared before the mounts it uses: they are built first all the same
		this.runner
			.withPropertyValues("storage.default-mount=slow", "storage.mounts.fast.type=cache",
					"storage.mounts.fast.origin=slow", "storage.mounts.fast.cache=scratch",
					"storage.mounts.fast.max-size=1MB", "storage.mounts.fast.ttl=10m",
					"storage.mounts.slow.type=memory", "storage.mounts.scratch.type=memory")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				CachingStorage fast = context.getBean("fast", ReactiveStorage.class).unwrap(CachingStorage.class);
				assertThat(fast.name()).isEqualTo("fast");
				assertThat(fast.origin()).isSameAs(context.getBean("slow"));
				assertThat(fast.cache()).isSameAs(context.getBean("scratch"));
				assertThat(context.getBean(StorageMounts.class).names()).containsExactly("fast", "slow", "scratch");
				assertThat(context.getBeanFactory().getDependentBeans("slow")).contains("fast");
				assertThat(context.getBeanFactory().getDependentBeans("scratch")).contains("fast");
				ReactiveStorage slow = context.getBean("slow", ReactiveStorage.class);
				StepVerifier.create(slow.put("a.txt", "hello".getBytes(StandardCharsets.UTF_8)))
					.expectNextCount(1)
					.expectComplete()
					.verify(TIMEOUT);
				StepVerifier.create(fast.getBytes("a.txt"))
					.expectNextMatches((bytes) -> new String(bytes, StandardCharsets.UTF_8).equals("hello"))
					.expectComplete()
					.verify(TIMEOUT);
				StepVerifier.create(context.getBean("scratch", ReactiveStorage.class).exists("a.txt"))
					.expectNext(true)
					.expectComplete()
					.verify(TIMEOUT);
			});
	}

	@Test
	void maxSizeIsBoundToTheCache() {
		this.runner
			.withPropertyValues("storage.mounts.fast.type=cache", "storage.mounts.fast.origin=slow",
					"storage.mounts.fast.cache=scratch", "storage.mounts.fast.max-size=4B",
					"storage.mounts.slow.type=memory", "storage.mounts.scratch.type=memory")
			.run((context) -> {
				ReactiveStorage slow = context.getBean("slow", ReactiveStorage.class);
				CachingStorage fast = context.getBean("fast", ReactiveStorage.class).unwrap(CachingStorage.class);
				StepVerifier.create(slow.put("big.txt", "hello".getBytes(StandardCharsets.UTF_8)))
					.expectNextCount(1)
					.expectComplete()
					.verify(TIMEOUT);
				StepVerifier.create(fast.getBytes("big.txt")).expectNextCount(1).expectComplete().verify(TIMEOUT);
				assertThat(fast.cachedCount()).isZero();
			});
	}

	@Test
	void prefixAndReadOnlyApplyToACacheMountToo() {
		this.runner
			.withPropertyValues("storage.mounts.fast.type=cache", "storage.mounts.fast.origin=slow",
					"storage.mounts.fast.cache=scratch", "storage.mounts.fast.read-only=true",
					"storage.mounts.slow.type=memory", "storage.mounts.scratch.type=memory")
			.run((context) -> {
				assertThat(context.getBean("fast")).isInstanceOf(ReadOnlyStorage.class);
				assertThat(context.getBean("fast", ReactiveStorage.class).unwrap(CachingStorage.class)).isNotNull();
			});
	}

	@Test
	void missingOriginIsNamed() {
		this.runner.withPropertyValues("storage.mounts.fast.type=cache", "storage.mounts.fast.cache=scratch",
				"storage.mounts.scratch.type=memory")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("storage.mounts.fast.origin");
				assertThat(analysis.getAction()).contains("Set storage.mounts.fast.origin");
			});
	}

	@Test
	void unknownOriginListsTheMounts() {
		this.runner
			.withPropertyValues("storage.mounts.fast.type=cache", "storage.mounts.fast.origin=s3",
					"storage.mounts.fast.cache=scratch", "storage.mounts.scratch.type=memory")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription())
					.contains("storage.mounts.fast.origin is 's3' but no mount has that name")
					.contains("[fast, scratch]");
				assertThat(analysis.getAction()).contains("one of [scratch]");
			});
	}

	@Test
	void unknownCacheIsNamed() {
		this.runner
			.withPropertyValues("storage.mounts.fast.type=cache", "storage.mounts.fast.origin=slow",
					"storage.mounts.fast.cache=ram", "storage.mounts.slow.type=memory")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("storage.mounts.fast.cache is 'ram'");
			});
	}

	@Test
	void aCacheMountNamingItselfIsRefused() {
		this.runner
			.withPropertyValues("storage.mounts.fast.type=cache", "storage.mounts.fast.origin=slow",
					"storage.mounts.fast.cache=fast", "storage.mounts.slow.type=memory")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("storage.mounts.fast.cache names the mount itself");
			});
	}

	@Test
	void theSameMountAsOriginAndCacheIsRefused() {
		this.runner
			.withPropertyValues("storage.mounts.fast.type=cache", "storage.mounts.fast.origin=slow",
					"storage.mounts.fast.cache=slow", "storage.mounts.slow.type=memory")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'slow' as both its origin and its cache");
			});
	}

	@Test
	void cacheMountsInACycleAreRefused() {
		this.runner
			.withPropertyValues("storage.mounts.a.type=cache", "storage.mounts.a.origin=b", "storage.mounts.a.cache=m",
					"storage.mounts.b.type=cache", "storage.mounts.b.origin=a", "storage.mounts.b.cache=m",
					"storage.mounts.m.type=memory")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("cycle").contains("a -> b -> a");
			});
	}

	@Test
	void aNonPositiveTtlIsRefused() {
		this.runner
			.withPropertyValues("storage.mounts.fast.type=cache", "storage.mounts.fast.origin=slow",
					"storage.mounts.fast.cache=scratch", "storage.mounts.fast.ttl=0s",
					"storage.mounts.slow.type=memory", "storage.mounts.scratch.type=memory")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("storage.mounts.fast.ttl");
			});
	}

	@Test
	void storageTransferIsABeanOverTheMounts() {
		this.runner.withPropertyValues("storage.mounts.a.type=memory", "storage.mounts.b.type=memory")
			.run((context) -> {
				assertThat(context).hasSingleBean(StorageTransfer.class);
				ReactiveStorage a = context.getBean("a", ReactiveStorage.class);
				StepVerifier.create(a.put("doc.txt", "hello".getBytes(StandardCharsets.UTF_8)))
					.expectNextCount(1)
					.expectComplete()
					.verify(TIMEOUT);
				StepVerifier.create(context.getBean(StorageTransfer.class).copy("a:doc.txt", "b:copy.txt"))
					.assertNext((result) -> assertThat(result.status()).isEqualTo(TransferResult.Status.COPIED))
					.expectComplete()
					.verify(TIMEOUT);
				StepVerifier.create(context.getBean("b", ReactiveStorage.class).exists("copy.txt"))
					.expectNext(true)
					.expectComplete()
					.verify(TIMEOUT);
			});
	}

	@Test
	void aUserStorageTransferBacksOff() {
		this.runner.withPropertyValues("storage.mounts.a.type=memory")
			.withUserConfiguration(OwnTransfer.class)
			.run((context) -> assertThat(context.getBean(StorageTransfer.class))
				.isSameAs(context.getBean(OwnTransfer.class).transfer));
	}

	private static FailureAnalysis analyze(Throwable failure) {
		assertThat(failure).isNotNull();
		FailureAnalysis analysis = new MountConfigurationFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTransfer {

		final StorageTransfer transfer = new StorageTransfer(
				new StorageMounts(Map.of("x", new MemoryStorage("x")), null));

		@Bean
		StorageTransfer myTransfer() {
			return this.transfer;
		}

	}

}
