package io.github.reactivestorage.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StorageMounts;
import io.github.reactivestorage.filesystem.FilesystemStorage;
import io.github.reactivestorage.memory.MemoryStorage;
import io.github.reactivestorage.resilience.ResilientStorage;
import io.github.reactivestorage.support.ForwardingReactiveStorage;
import io.github.reactivestorage.support.PrefixedStorage;

import static org.assertj.core.api.Assertions.assertThat;

class StorageAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void noMountsNoStorageBeans() {
		this.runner.run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(ReactiveStorage.class);
			assertThat(context.getBean(StorageMounts.class).names()).isEmpty();
		});
	}

	@Test
	void oneMountIsABeanNamedAfterItAndPrimary() {
		this.runner.withPropertyValues("storage.mounts.uploads.type=memory").run(context -> {
			assertThat(context).hasSingleBean(ReactiveStorage.class);
			assertThat(context.getBean("uploads")).isInstanceOf(MemoryStorage.class);
			assertThat(context.getBeanFactory().getBeanDefinition("uploads").isPrimary()).isTrue();
			assertThat(context.getBean(StorageMounts.class).getDefault()).isSameAs(context.getBean("uploads"));
			assertThat(context.getBean(ReactiveStorage.class).name()).isEqualTo("uploads");
		});
	}

	@Test
	void severalMountsWithQualifiersAndADefault() {
		this.runner
			.withPropertyValues("storage.default-mount=media", "storage.mounts.uploads.type=memory",
					"storage.mounts.media.type=filesystem", "storage.mounts.media.path=" + this.directory)
			.withUserConfiguration(Injected.class)
			.run(context -> {
				Injected injected = context.getBean(Injected.class);
				assertThat(injected.uploads.name()).isEqualTo("uploads");
				assertThat(injected.media).isInstanceOf(FilesystemStorage.class);
				assertThat(injected.primary).isSameAs(injected.media);
				StorageMounts mounts = context.getBean(StorageMounts.class);
				assertThat(mounts.names()).containsExactly("uploads", "media");
				assertThat(mounts.defaultMountName()).contains("media");
			});
	}

	@Test
	void filesystemDurabilityDefaultsToFsyncAndCanBeTurnedOff() {
		this.runner
			.withPropertyValues("storage.mounts.safe.type=filesystem", "storage.mounts.safe.path=" + this.directory,
					"storage.mounts.fast.type=filesystem", "storage.mounts.fast.path=" + this.directory,
					"storage.mounts.fast.durability=none", "storage.default-mount=safe")
			.run(context -> {
				assertThat(context.getBean("safe", FilesystemStorage.class).getDurability())
					.isEqualTo(FilesystemStorage.Durability.FSYNC);
				assertThat(context.getBean("fast", FilesystemStorage.class).getDurability())
					.isEqualTo(FilesystemStorage.Durability.NONE);
			});
	}

	@Test
	void severalMountsWithoutADefaultHaveNoPrimary() {
		this.runner.withPropertyValues("storage.mounts.a.type=memory", "storage.mounts.b.type=memory")
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeanFactory().getBeanDefinition("a").isPrimary()).isFalse();
				assertThat(context.getBeanFactory().getBeanDefinition("b").isPrimary()).isFalse();
				assertThat(context.getBean(StorageMounts.class).defaultMountName()).isEmpty();
			});
	}

	@Test
	void unqualifiedInjectionWithSeveralMountsIsExplained() {
		this.runner.withPropertyValues("storage.mounts.a.type=memory", "storage.mounts.b.type=memory")
			.withUserConfiguration(Unqualified.class)
			.run(context -> {
				FailureAnalysis analysis = new AmbiguousMountFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("[a, b]");
				assertThat(analysis.getAction()).contains("storage.default-mount").contains("@Qualifier");
			});
	}

	@Test
	void prefixAndReadOnlyAreApplied() {
		this.runner.withPropertyValues("storage.mounts.ro.type=memory", "storage.mounts.ro.prefix=tenant/a",
				"storage.mounts.ro.read-only=true")
			.run(context -> {
				ReactiveStorage storage = context.getBean("ro", ReactiveStorage.class);
				assertThat(storage.supports(StorageCapability.WRITE)).isFalse();
				assertThat(storage.unwrap(PrefixedStorage.class).getPrefix()).isEqualTo("tenant/a/");
				assertThat(storage.unwrap(MemoryStorage.class)).isNotNull();
			});
	}

	@Test
	void timeoutAndRetryWrapTheMount() {
		this.runner.withPropertyValues("storage.mounts.r.type=memory", "storage.mounts.r.timeout=5s",
				"storage.mounts.r.retry.max-attempts=3")
			.run(context -> {
				ResilientStorage storage = context.getBean("r", ReactiveStorage.class).unwrap(ResilientStorage.class);
				assertThat(storage.getSettings().maxAttempts()).isEqualTo(3);
				assertThat(storage.getSettings().timeout()).hasSeconds(5);
			});
	}

	@Test
	void memoryMaxSizeIsBound() {
		this.runner.withPropertyValues("storage.mounts.m.type=memory", "storage.mounts.m.max-size=10KB")
			.run(context -> assertThat(context.getBean("m", ReactiveStorage.class).unwrap(MemoryStorage.class).maxSize())
				.isEqualTo(10 * 1024));
	}

	@Test
	void unknownTypeListsTheKnownOnes() {
		this.runner.withPropertyValues("storage.mounts.x.type=ftp").run(context -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("unknown type 'ftp'").contains("memory").contains("s3");
			assertThat(analysis.getAction()).contains("storage.mounts.x.type");
		});
	}

	@Test
	void missingTypeIsNamed() {
		this.runner.withPropertyValues("storage.mounts.x.path=/tmp").run(context -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'x' has no type");
			assertThat(analysis.getAction()).contains("storage.mounts.x.type");
		});
	}

	@Test
	void cloudTypeWithoutItsSdkNamesTheDependency() {
		this.runner.withClassLoader(new FilteredClassLoader("software.amazon.awssdk.services.s3"))
			.withPropertyValues("storage.mounts.media.type=s3", "storage.mounts.media.bucket=b")
			.run(context -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("S3AsyncClient is not on the classpath");
				assertThat(analysis.getAction()).contains("software.amazon.awssdk:s3");
			});
	}

	@Test
	void filesystemWithoutPathNamesTheProperty() {
		this.runner.withPropertyValues("storage.mounts.files.type=filesystem").run(context -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("storage.mounts.files.path");
		});
	}

	@Test
	void filesystemPathThatIsAFileIsRefused() throws Exception {
		Path file = Files.writeString(this.directory.resolve("a-file"), "x");
		this.runner.withPropertyValues("storage.mounts.files.type=filesystem", "storage.mounts.files.path=" + file)
			.run(context -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("is not a writable directory");
			});
	}

	@Test
	void defaultMountNamingNoMountIsRefused() {
		this.runner.withPropertyValues("storage.default-mount=nope", "storage.mounts.a.type=memory").run(context -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("storage.default-mount is 'nope'").contains("[a]");
		});
	}

	@Test
	void secretsAreNeverPrinted() {
		this.runner.withPropertyValues("storage.mounts.x.type=ftp", "storage.mounts.x.secret-access-key=TOPSECRET1",
				"storage.mounts.x.account-key=TOPSECRET2", "storage.mounts.x.connection-string=TOPSECRET3",
				"storage.mounts.x.session-token=TOPSECRET4", "storage.mounts.x.sas-token=TOPSECRET5")
			.run(context -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("TOPSECRET");
			});
		MountProperties properties = new MountProperties();
		properties.setSecretAccessKey("TOPSECRET1");
		properties.setAccountKey("TOPSECRET2");
		properties.setConnectionString("TOPSECRET3");
		properties.setSessionToken("TOPSECRET4");
		properties.setSasToken("TOPSECRET5");
		properties.getHeaders().put("Authorization", "Bearer TOPSECRET6");
		assertThat(properties.toString()).doesNotContain("TOPSECRET").contains("******").contains("Authorization");
	}

	@Test
	void aUserBeanNamedAfterAMountTakesItsPlace() {
		this.runner.withPropertyValues("storage.mounts.custom.type=memory")
			.withUserConfiguration(UserMount.class)
			.run(context -> {
				assertThat(context.getBean("custom", ReactiveStorage.class).unwrap(MemoryStorage.class).maxSize())
					.isEqualTo(42);
				assertThat(context.getBean(StorageMounts.class).get("custom")).isSameAs(context.getBean("custom"));
			});
	}

	@Test
	void aUserStorageMountsBeanBacksOff() {
		this.runner.withUserConfiguration(UserMounts.class).run(context -> assertThat(
				context.getBean(StorageMounts.class).names()).containsExactly("mine"));
	}

	@Test
	void customBackendFactoryServesItsType() {
		AtomicBoolean closed = new AtomicBoolean();
		this.runner.withPropertyValues("storage.mounts.c.type=custom")
			.withBean(StorageBackendFactory.class, () -> new StorageBackendFactory() {
				@Override
				public String type() {
					return "custom";
				}

				@Override
				public ReactiveStorage create(String name, MountProperties properties) {
					return new ForwardingReactiveStorage(new MemoryStorage(name)) {
						@Override
						public void close() {
							closed.set(true);
						}
					};
				}
			})
			.run(context -> assertThat(context.getBean("c", ReactiveStorage.class).name()).isEqualTo("c"));
		assertThat(closed).as("mount closed with the context").isTrue();
	}

	private static FailureAnalysis analyze(Throwable failure) {
		assertThat(failure).isNotNull();
		FailureAnalysis analysis = new MountConfigurationFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class Injected {

		@Autowired
		@Qualifier("uploads")
		ReactiveStorage uploads;

		@Autowired
		@Qualifier("media")
		ReactiveStorage media;

		@Autowired
		ReactiveStorage primary;

	}

	@Configuration(proxyBeanMethods = false)
	static class Unqualified {

		@Autowired
		ReactiveStorage storage;

	}

	@Configuration(proxyBeanMethods = false)
	static class UserMount {

		@Bean
		ReactiveStorage custom() {
			return new MemoryStorage("custom", org.springframework.core.io.buffer.DefaultDataBufferFactory.sharedInstance,
					42);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserMounts {

		@Bean
		StorageMounts storageMounts() {
			return new StorageMounts(java.util.Map.of("mine", new MemoryStorage("mine")), null);
		}

	}

}
