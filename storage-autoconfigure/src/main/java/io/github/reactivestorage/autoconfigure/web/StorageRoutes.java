package io.github.reactivestorage.autoconfigure.web;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The storage endpoints as a {@link RouterFunction}, for the auto-configuration or for an application
 * that mounts them itself.
 *
 * <pre>
 * GET|HEAD {base}/{mount}/{key}   download (Range, If-None-Match, If-Modified-Since, ?download)
 * PUT      {base}/{mount}/{key}   raw upload (If-None-Match: * for create-only)
 * DELETE   {base}/{mount}/{key}   delete
 * POST     {base}/{mount}         multipart upload (?prefix=)
 * GET      {base}/{mount}         listing page (?prefix=&amp;limit=&amp;after=&amp;delimiter=)
 * </pre>
 *
 * Every route is filtered: {@code X-Content-Type-Options: nosniff} on every answer, the handler's
 * {@link StorageAccessPolicy} before any I/O, and {@code storage.web.idle-timeout} on response bodies.
 */
public final class StorageRoutes {

	private StorageRoutes() {
	}

	/**
	 * The routes under {@code basePath}.
	 * @param basePath the path the routes are served under
	 * @param handler the handler
	 * @return the routes, filtered
	 */
	public static RouterFunction<ServerResponse> routes(String basePath, StorageHandler handler) {
		String base = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
		return RouterFunctions.route()
			.HEAD(base + "/{mount}/**", handler::download)
			.GET(base + "/{mount}/**", request -> hasKey(request.path(), base) ? handler.download(request)
					: handler.list(request))
			.GET(base + "/{mount}", handler::list)
			.PUT(base + "/{mount}/**", handler::upload)
			.DELETE(base + "/{mount}/**", handler::delete)
			.POST(base + "/{mount}", RequestPredicates.contentType(MediaType.MULTIPART_FORM_DATA),
					handler::uploadMultipart)
			.POST(base + "/{mount}/", RequestPredicates.contentType(MediaType.MULTIPART_FORM_DATA),
					handler::uploadMultipart)
			// the first filter registered is the outermost
			.filter(StorageWebFilters.common())
			.filter(StorageWebFilters.responseIdleTimeout(handler.idleTimeout()))
			.filter(handler::authorize)
			.build();
	}

	private static boolean hasKey(String path, String base) {
		String rest = path.substring(base.length() + 1);
		int slash = rest.indexOf('/');
		return slash >= 0 && slash < rest.length() - 1;
	}

}
