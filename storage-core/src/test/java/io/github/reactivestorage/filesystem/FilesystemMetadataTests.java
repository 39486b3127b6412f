package io.github.reactivestorage.filesystem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Map;
import java.util.stream.Stream;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.StoredObject;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the filesystem backend keeps metadata: in the object's own extended attribute (one file per
 * object), in collision-free sidecars where the file system has no user attributes, and objects of the
 * first format (properties sidecars) still read.
 */
class FilesystemMetadataTests {

	@TempDir
	Path directory;

	@Test
	void metadataLivesInTheObjectsOwnExtendedAttributeAndNoOtherFileIsWritten() throws IOException {
		FilesystemStorage storage = new FilesystemStorage("fs", this.directory.resolve("root"));
		if (!storage.usesExtendedAttributes()) {
			// the assertion below needs user xattrs on the temp directory's file system
			throw new org.opentest4j.TestAbortedException("no user extended attributes on " + this.directory);
		}
		storage.put("k", bytes("v"), PutOptions.builder().contentType("text/x-k").metadata("owner", "ünï").build())
			.block();
		Path file = this.directory.resolve("root/k");
		UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
		assertThat(view.list()).contains(MetadataStore.ATTRIBUTE);
		try (Stream<Path> files = Files.walk(this.directory.resolve("root"))) {
			assertThat(files.filter(Files::isRegularFile)).containsExactly(file);
		}
		StoredObject info = storage.info("k").block();
		assertThat(info.contentType()).isEqualTo("text/x-k");
		assertThat(info.metadata()).isEqualTo(Map.of("owner", "ünï"));
	}

	@Test
	void sidecarsCannotCollideWithKeysThatOnceNeededTheirNamesAsDirectories() throws IOException {
		try (FileSystem fileSystem = Jimfs.newFileSystem(Configuration.unix())) {
			FilesystemStorage storage = new FilesystemStorage("fs", fileSystem.getPath("/work/root"), null,
					DefaultDataBufferFactory.sharedInstance, Schedulers.boundedElastic());
			assertThat(storage.usesExtendedAttributes()).isFalse();
			storage.put("k", bytes("1"), PutOptions.builder().metadata("n", "one").build()).block();
			storage.put("k.properties/x", bytes("2"), PutOptions.builder().metadata("n", "two").build()).block();
			assertThat(storage.info("k").block().metadata()).containsEntry("n", "one");
			assertThat(storage.info("k.properties/x").block().metadata()).containsEntry("n", "two");
			storage.delete("k.properties/x").block();
			assertThat(storage.info("k").block().metadata()).containsEntry("n", "one");
		}
	}

	@Test
	void objectsOfTheFirstFormatStayReadableAndMigrateOnTheirNextPut() throws IOException {
		Path root = this.directory.resolve("root");
		Files.createDirectories(root.resolve("a"));
		Files.writeString(root.resolve("a/old.txt"), "old");
		Path legacy = root.resolve(".storage/meta/a/old.txt.properties");
		Files.createDirectories(legacy.getParent());
		Files.writeString(legacy, "content-type=text/x-old\netag=0123abcd\nmeta.owner=\\u00fc\n");
		FilesystemStorage storage = new FilesystemStorage("fs", root);
		StoredObject old = storage.info("a/old.txt").block();
		assertThat(old.contentType()).isEqualTo("text/x-old");
		assertThat(old.etag()).isEqualTo("0123abcd");
		assertThat(old.metadata()).isEqualTo(Map.of("owner", "ü"));
		assertThat(storage.read("a/old.txt", null).block().object()).isEqualTo(old);
		storage.put("a/old.txt", bytes("new"), PutOptions.builder().metadata("owner", "new").build()).block();
		assertThat(legacy).doesNotExist();
		assertThat(storage.info("a/old.txt").block().metadata()).isEqualTo(Map.of("owner", "new"));
	}

	@Test
	void aFileWithAForeignAttributeValueIsReadAsPlacedByHand() throws IOException {
		FilesystemStorage storage = new FilesystemStorage("fs", this.directory.resolve("root"));
		storage.put("k.txt", bytes("v")).block();
		if (storage.usesExtendedAttributes()) {
			Files.getFileAttributeView(this.directory.resolve("root/k.txt"), UserDefinedFileAttributeView.class)
				.write(MetadataStore.ATTRIBUTE, ByteBuffer.wrap(new byte[] { 99, 1, 2 }));
		}
		StoredObject info = storage.info("k.txt").block();
		assertThat(info.contentType()).isEqualTo("text/plain");
		assertThat(info.etag()).isNotBlank();
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
