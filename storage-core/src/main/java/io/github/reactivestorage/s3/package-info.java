/**
 * The S3 backend ({@code type: s3}) on the AWS SDK v2 async client: AWS S3 and S3-compatible stores.
 */
@NullMarked
package io.github.reactivestorage.s3;

import org.jspecify.annotations.NullMarked;
