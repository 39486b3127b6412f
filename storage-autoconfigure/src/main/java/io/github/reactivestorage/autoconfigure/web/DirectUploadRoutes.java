package io.github.reactivestorage.autoconfigure.web;

import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The route of {@link DirectUploadHandler}: {@code POST {base}/{mount}/direct-uploads}. Kept apart from
 * {@link StorageRoutes} so that an application can mount it, or not, on its own.
 */
public final class DirectUploadRoutes {

	private DirectUploadRoutes() {
	}

	/**
	 * The route under {@code basePath}.
	 * @param basePath the path the storage endpoints are served under
	 * @param handler the handler
	 * @return the route
	 */
	public static RouterFunction<ServerResponse> routes(String basePath, DirectUploadHandler handler) {
		String base = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
		// nosniff and the exchange in the context (request ids of problems), as on the other storage routes
		return RouterFunctions.route()
			.POST(base + "/{mount}/direct-uploads", handler::create)
			.filter(StorageWebFilters.common())
			.build();
	}

}
