package io.github.reactivestorage.sample;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.github.reactivestorage.ObjectNotFoundException;
import io.github.reactivestorage.PutOptions;
import io.github.reactivestorage.ReactiveStorage;
import io.github.reactivestorage.StorageCapability;
import io.github.reactivestorage.StoredObject;
import io.github.reactivestorage.UnsupportedStorageOperationException;
import io.github.reactivestorage.UrlOptions;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * Upload, download, list, URL and cross-mount copy in a few lines each. The two mounts are
 * injected by name: each mount of {@code storage.mounts} is a {@link ReactiveStorage} bean named
 * after it.
 */
@RestController
public class FilesController {

	private final ReactiveStorage files;

	private final ReactiveStorage scratch;

	public FilesController(@Qualifier("files") ReactiveStorage files,
			@Qualifier("scratch") ReactiveStorage scratch) {
		this.files = files;
		this.scratch = scratch;
	}

	/**
	 * Stream the request body into the {@code files} mount (nothing is buffered whole).
	 * @param key the object key (may contain slashes)
	 * @param exchange the exchange: the request body is handed to the mount as it arrives
	 * @return the stored object's description
	 */
	@PutMapping("/files/{*key}")
	public Mono<StoredObject> upload(@PathVariable String key, ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		MediaType contentType = request.getHeaders().getContentType();
		PutOptions options = PutOptions.builder()
			.contentType((contentType != null) ? contentType.toString() : null)
			.contentLength(request.getHeaders().getContentLength())
			.build();
		return this.files.put(trim(key), request.getBody(), options);
	}

	/**
	 * Stream an object of the {@code files} mount back; 404 when it does not exist.
	 * @param key the object key
	 * @return the object's content
	 */
	@GetMapping("/files/{*key}")
	public Mono<ResponseEntity<Flux<DataBuffer>>> download(@PathVariable String key) {
		return this.files.info(trim(key)).map((object) -> {
			MediaType type = (object.contentType() != null) ? MediaType.parseMediaType(object.contentType())
					: MediaType.APPLICATION_OCTET_STREAM;
			return ResponseEntity.ok().contentType(type).contentLength(object.size()).body(this.files.get(object.key()));
		});
	}

	/**
	 * Delete an object of the {@code files} mount (deleting a missing key is not an error).
	 * @param key the object key
	 * @return completion
	 */
	@DeleteMapping("/files/{*key}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	public Mono<Void> delete(@PathVariable String key) {
		return this.files.delete(trim(key));
	}

	/**
	 * List the {@code files} mount.
	 * @param prefix only keys starting with it
	 * @return the objects, in key order
	 */
	@GetMapping("/files")
	public Mono<List<StoredObject>> list(@RequestParam(required = false) @Nullable String prefix) {
		return this.files.list(prefix).collectList();
	}

	/**
	 * A URL for an object when the mount can give one (a signed URL on S3, GCS and Azure, a
	 * {@code file:} URI on the filesystem).
	 * @param key the object key
	 * @return the URL, or 501 when the mount cannot give one
	 */
	@GetMapping("/urls/{*key}")
	public Mono<ResponseEntity<String>> url(@PathVariable String key) {
		if (!this.files.supports(StorageCapability.URL_GET)) {
			return Mono.just(ResponseEntity.status(HttpStatus.NOT_IMPLEMENTED).body("mount cannot give URLs"));
		}
		return this.files.url(trim(key), UrlOptions.get(Duration.ofMinutes(15)))
			.map((URI uri) -> ResponseEntity.ok(uri.toString()));
	}

	/**
	 * Copy an object from {@code files} to {@code scratch}: a streamed read from one mount into a
	 * write on the other.
	 * @param key the object key
	 * @return the copy's description
	 */
	@PostMapping("/copies/{*key}")
	public Mono<StoredObject> copyToScratch(@PathVariable String key) {
		String trimmed = trim(key);
		return this.files.info(trimmed)
			.flatMap((source) -> this.scratch.put(trimmed, this.files.get(trimmed),
					PutOptions.builder().contentType(source.contentType()).contentLength(source.size()).build()));
	}

	/**
	 * Read an object from the {@code scratch} mount.
	 * @param key the object key
	 * @return the object's content
	 */
	@GetMapping("/scratch/{*key}")
	public Flux<DataBuffer> scratch(@PathVariable String key) {
		return this.scratch.get(trim(key));
	}

	@ExceptionHandler(ObjectNotFoundException.class)
	ResponseEntity<String> notFound(ObjectNotFoundException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND).body("no such object");
	}

	@ExceptionHandler(UnsupportedStorageOperationException.class)
	ResponseEntity<String> unsupported(UnsupportedStorageOperationException ex) {
		return ResponseEntity.status(HttpStatus.NOT_IMPLEMENTED).body(ex.getMessage());
	}

	private static String trim(String key) {
		return key.startsWith("/") ? key.substring(1) : key;
	}

}
