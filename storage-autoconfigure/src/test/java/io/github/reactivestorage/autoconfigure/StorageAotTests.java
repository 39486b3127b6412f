package io.github.reactivestorage.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.javapoet.ClassName;

import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.autoconfigure.actuate.StorageEndpoint;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ahead-of-time processing of an application with mounts, as a native image build does it.
 */
class StorageAotTests {

	@Test
	void mountsAreProcessedAheadOfTime() {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		TestPropertyValues.of("storage.mounts.uploads.type=memory", "storage.mounts.files.type=filesystem",
				"storage.mounts.files.path=target/aot-files", "storage.mounts.cached.type=cache",
				"storage.mounts.cached.origin=files", "storage.mounts.cached.cache=uploads",
				"storage.default-mount=uploads").applyTo(context);
		context.register(StorageAutoConfiguration.class);
		InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get(StorageAotTests.class)), files);
		new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
		generation.writeGeneratedContent();
		String generated = String.join("\n", files.getGeneratedFiles(GeneratedFiles.Kind.SOURCE).keySet());
		assertThat(generated).isNotEmpty();
		StringBuilder code = new StringBuilder();
		for (String path : files.getGeneratedFiles(GeneratedFiles.Kind.SOURCE).keySet()) {
			try {
				code.append(files.getGeneratedFileContent(GeneratedFiles.Kind.SOURCE, path));
			}
			catch (java.io.IOException ex) {
				throw new IllegalStateException(ex);
			}
		}
		assertThat(code.toString()).contains("\"uploads\"")
			.contains("\"files\"")
			.contains("\"cached\"")
			.contains("storageMountFactory")
			.contains("storageTransfer");
	}

	@Test
	void runtimeHintsCoverTheJsonTypes() {
		RuntimeHints hints = new RuntimeHints();
		new StorageRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection().onType(StoredObject.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(StorageEndpoint.StorageDescriptor.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(StorageEndpoint.MountDescriptor.class)).accepts(hints);
	}

}
