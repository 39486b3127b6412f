package io.github.reactivestorage.autoconfigure.service;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class StorageConnectionDetailsTests {

	@Test
	void detailsNamingTheMountWin() {
		Details any = new Details(null, "any");
		Details media = new Details("media", "media");
		assertThat(StorageConnectionDetails.select(List.of(any, media), "media")).contains(media);
		assertThat(StorageConnectionDetails.select(List.of(any, media), "uploads")).contains(any);
	}

	@Test
	void noDetailsMeansProperties() {
		assertThat(StorageConnectionDetails.select(List.of(new Details("media", "m")), "uploads")).isEmpty();
		assertThat(StorageConnectionDetails.<Details>select(List.of(), "uploads")).isEmpty();
	}

	@Test
	void twoUnnamedDetailsAreAmbiguous() {
		assertThatIllegalStateException()
			.isThrownBy(() -> StorageConnectionDetails.select(List.of(new Details(null, "a"), new Details(null, "b")),
					"uploads"))
			.withMessageContaining("mount 'uploads'")
			.withMessageContaining(StorageConnectionDetails.MOUNT_LABEL);
	}

	record Details(@Nullable String mount, String id) implements StorageConnectionDetails {
	}

}
