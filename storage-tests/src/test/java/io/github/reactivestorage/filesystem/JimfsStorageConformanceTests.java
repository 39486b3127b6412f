package io.github.reactivestorage.filesystem;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.util.EnumSet;
import java.util.Set;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import reactor.core.scheduler.Schedulers;

import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.conformance.KnownLimitation;
import io.github.reactivestorage.conformance.StorageConformanceTests;
import io.github.reactivestorage.conformance.StorageTestContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole conformance kit against the filesystem backend on Jimfs, in its Unix, macOS
 * (case-insensitive, Unicode-normalising) and Windows (case-insensitive, Windows name rules)
 * configurations, each with user extended attributes, and once on Unix without them (sidecar files).
 * What those file systems cannot do (two keys differing in case or normalisation, Windows-invalid
 * names) is skipped by named {@link KnownLimitation}s; FilesystemStorageTests checks what they do.
 */
class JimfsStorageConformanceTests {

	abstract static class OnJimfs extends StorageConformanceTests {

		private FileSystem fileSystem;

		abstract Configuration configuration();

		abstract String rootPath();

		boolean attributes() {
			return true;
		}

		/** The attribute views of the configuration, with user extended attributes added. */
		String[] views() {
			return new String[] { "basic", "owner", "posix", "unix", "user" };
		}

		@Override
		protected ReactiveStorage createStorage(StorageTestContext context) {
			Configuration.Builder builder = configuration().toBuilder();
			if (attributes()) {
				builder.setAttributeViews(views()[0], java.util.Arrays.copyOfRange(views(), 1, views().length));
			}
			this.fileSystem = Jimfs.newFileSystem(builder.build());
			FilesystemStorage storage = new FilesystemStorage(context.mountName(),
					this.fileSystem.getPath(rootPath()), null, context.bufferFactory(), Schedulers.boundedElastic());
			assertThat(storage.usesExtendedAttributes()).isEqualTo(attributes());
			assertThat(storage.isCaseInsensitive())
				.isEqualTo(knownLimitations().contains(KnownLimitation.CASE_INSENSITIVE_KEYS));
			return storage;
		}

		@AfterEach
		void closeFileSystem() throws IOException {
			if (this.fileSystem != null) {
				this.fileSystem.close();
			}
		}

	}

	@Nested
	class Unix extends OnJimfs {

		@Override
		Configuration configuration() {
			return Configuration.unix();
		}

		@Override
		String rootPath() {
			return "/work/root";
		}

	}

	@Nested
	class UnixWithoutExtendedAttributes extends OnJimfs {

		@Override
		Configuration configuration() {
			return Configuration.unix();
		}

		@Override
		String rootPath() {
			return "/work/root";
		}

		@Override
		boolean attributes() {
			return false;
		}

	}

	@Nested
	class MacOs extends OnJimfs {

		@Override
		Configuration configuration() {
			return Configuration.osX();
		}

		@Override
		String rootPath() {
			return "/work/root";
		}

		@Override
		protected Set<KnownLimitation> knownLimitations() {
			return EnumSet.of(KnownLimitation.CASE_INSENSITIVE_KEYS, KnownLimitation.UNICODE_NORMALISED_KEYS);
		}

	}

	@Nested
	class Windows extends OnJimfs {

		@Override
		Configuration configuration() {
			return Configuration.windows();
		}

		@Override
		String rootPath() {
			return "C:\\work\\root";
		}

		@Override
		String[] views() {
			return new String[] { "basic", "owner", "dos", "acl", "user" };
		}

		@Override
		protected Set<KnownLimitation> knownLimitations() {
			return EnumSet.of(KnownLimitation.CASE_INSENSITIVE_KEYS, KnownLimitation.WINDOWS_FILE_NAMES);
		}

	}

}
