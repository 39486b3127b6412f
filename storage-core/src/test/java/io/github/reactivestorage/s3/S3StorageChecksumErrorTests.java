package io.github.reactivestorage.s3;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

import io.github.reactivestorage.ChecksumMismatchException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S3's answers to a checksum it found wrong become {@link ChecksumMismatchException}; other 400s do not.
 */
class S3StorageChecksumErrorTests {

	private static S3Exception error(String code) {
		return (S3Exception) S3Exception.builder()
			.statusCode(400)
			.awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build())
			.build();
	}

	@ParameterizedTest
	@ValueSource(strings = { "BadDigest", "InvalidDigest", "XAmzContentChecksumMismatch", "InvalidChecksum" })
	void checksumErrorsAreMismatches(String code) {
		assertThat(S3Storage.translate(error(code), "k", S3Storage.Operation.PUT)).isInstanceOf(ChecksumMismatchException.class)
			.hasMessageContaining("nothing was stored");
	}

	@ParameterizedTest
	@ValueSource(strings = { "InvalidArgument", "MalformedXML" })
	void otherBadRequestsAreNot(String code) {
		assertThat(S3Storage.translate(error(code), "k", S3Storage.Operation.PUT)).isNotInstanceOf(ChecksumMismatchException.class);
	}

}
