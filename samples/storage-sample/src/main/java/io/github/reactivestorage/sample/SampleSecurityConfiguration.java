package io.github.reactivestorage.sample;

import io.github.reactivestorage.autoconfigure.web.StorageAccessDecision;
import io.github.reactivestorage.autoconfigure.web.StorageAccessPolicy;
import io.github.reactivestorage.autoconfigure.web.StorageOperation;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * Who may do what. Without the {@code secure} profile everything is open, so that the quick start needs
 * no credentials. With it: every {@code GET}/{@code HEAD} is public, every other request needs the
 * {@code WRITER} role (HTTP Basic), and a {@link StorageAccessPolicy} lets a writer change the
 * {@code files} mount only under a directory named after them.
 */
@Configuration(proxyBeanMethods = false)
public class SampleSecurityConfiguration {

	/**
	 * The quick start: no authentication at all (Spring Security would otherwise lock every endpoint).
	 * @param http the security builder
	 * @return a chain that permits everything
	 */
	@Bean
	@Profile("!secure")
	SecurityWebFilterChain openForTheQuickStart(ServerHttpSecurity http) {
		return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.build();
	}

	/**
	 * Reads public, writes for writers.
	 * @param http the security builder
	 * @return the chain
	 */
	@Bean
	@Profile("secure")
	SecurityWebFilterChain readsPublicWritesNeedARole(ServerHttpSecurity http) {
		return http
			.authorizeExchange((exchanges) -> exchanges.pathMatchers("/actuator/health", "/actuator/health/**")
				.permitAll()
				.pathMatchers("/actuator/**")
				.hasRole("WRITER")
				.pathMatchers(HttpMethod.GET, "/**")
				.permitAll()
				.pathMatchers(HttpMethod.HEAD, "/**")
				.permitAll()
				.anyExchange()
				.hasRole("WRITER"))
			.httpBasic(Customizer.withDefaults())
			// Clients send their credentials with every request (no session cookie a browser would add
			// to a forged cross-site request); an application with cookie logins keeps CSRF protection.
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.build();
	}

	/**
	 * Two users: {@code writer} (role WRITER) and {@code reader} (no role), passwords from the
	 * environment.
	 * @param writerPassword the writer's password
	 * @param readerPassword the reader's password
	 * @return the users
	 */
	@Bean
	@Profile("secure")
	MapReactiveUserDetailsService users(@Value("${sample.security.writer-password}") String writerPassword,
			@Value("${sample.security.reader-password}") String readerPassword) {
		PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
		return new MapReactiveUserDetailsService(
				User.withUsername("writer").password(encoder.encode(writerPassword)).roles("WRITER").build(),
				User.withUsername("reader").password(encoder.encode(readerPassword)).roles().build());
	}

	/**
	 * The storage endpoints' own hook, consulted after Spring Security and before any I/O: on the
	 * {@code files} mount a writer changes only keys under {@code <their name>/}.
	 * @return the policy
	 */
	@Bean
	@Profile("secure")
	StorageAccessPolicy ownDirectoryWrites() {
		return (request) -> {
			if (!request.mount().equals("files")
					|| (request.operation() != StorageOperation.WRITE && request.operation() != StorageOperation.DELETE)) {
				return Mono.just(StorageAccessDecision.GRANTED);
			}
			return request.principal()
				.map((principal) -> request.key().startsWith(principal.getName() + "/") ? StorageAccessDecision.GRANTED
						: StorageAccessDecision.DENIED)
				.defaultIfEmpty(StorageAccessDecision.UNAUTHENTICATED);
		};
	}

}
