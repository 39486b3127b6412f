package io.github.reactivestorage.autoconfigure.web.hostile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import io.github.reactivestorage.StorageKeys;
import io.github.reactivestorage.autoconfigure.S3ClientCustomizer;
import io.github.reactivestorage.s3.S3ClientSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile keys, prefixes and {@code after} values over real HTTP (the Spring Boot app on Reactor Netty,
 * a raw socket client that sends the request target byte for byte) against memory, filesystem and S3
 * (S3Proxy) mounts, two of them {@code prefix:} mounts beside a neighbouring tenant: no 5xx, 400 for
 * everything invalid after one decoding, 2xx/404 (409 for a filesystem key clash) for the rest, no
 * listing naming anything outside its mount, nothing created outside the filesystem roots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageEndpointsHostileInputTests {

	private static final long SEED = Long.getLong("hostile.seed", 0x5EED_17L);

	private static final int CASES = 10_200;

	private static final List<String> TARGETS = List.of("mem", "fs", "tenant", "s3", "s3tenant");

	private static final Set<String> FILESYSTEM = Set.of("fs", "tenant");

	private static final Set<String> PREFIXED = Set.of("tenant", "s3tenant");

	private final S3ProxyJunitCore s3 = new S3ProxyJunitCore.Builder().withBlobStoreProvider("transient")
		.withCredentials("access", "secret-for-hostile-tests")
		.ignoreUnknownHeaders()
		.build();

	@TempDir
	static Path base;

	private ConfigurableApplicationContext app;

	private RawHttp http;

	private Map<String, String> treeOutsideRoots;

	@BeforeAll
	void start() throws Exception {
		this.s3.beforeEach();
		try (S3AsyncClient admin = new S3ClientSettings("us-east-1", this.s3.getUri(), true, this.s3.getAccessKey(),
				this.s3.getSecretKey(), null, null, false, Duration.ofSeconds(5), Duration.ofSeconds(5))
			.clientBuilder()
			.build()) {
			for (String bucket : List.of("plain", "shared", "other")) {
				admin.createBucket(request -> request.bucket(bucket)).join();
			}
		}
		// the roots two levels down, sentinels one and two levels above them
		Files.createDirectories(base.resolve("up/fs"));
		Files.writeString(base.resolve("up/SENTINEL-above.txt"), "above");
		Files.writeString(base.resolve("SENTINEL-two-up.txt"), "two up");
		List<String> properties = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
				"storage.web.enabled=true", "storage.web.mounts=mem,fs,tenant,s3,s3tenant,tenantb,s3tenantb,s3other",
				"storage.default-mount=mem", "storage.mounts.mem.type=memory", "storage.mounts.fs.type=filesystem",
				"storage.mounts.fs.path=" + base.resolve("up/fs")));
		for (String[] mount : new String[][] { { "tenant", "tenant-a" }, { "tenantb", "tenant-b" } }) {
			properties.addAll(List.of("storage.mounts." + mount[0] + ".type=filesystem",
					"storage.mounts." + mount[0] + ".path=" + base.resolve("up/shared"),
					"storage.mounts." + mount[0] + ".prefix=" + mount[1]));
		}
		for (String[] mount : new String[][] { { "s3", "plain", "" }, { "s3tenant", "shared", "tenant-a" },
				{ "s3tenantb", "shared", "tenant-b" }, { "s3other", "other", "" } }) {
			properties.addAll(List.of("storage.mounts." + mount[0] + ".type=s3",
					"storage.mounts." + mount[0] + ".bucket=" + mount[1],
					"storage.mounts." + mount[0] + ".endpoint=" + this.s3.getUri(),
					"storage.mounts." + mount[0] + ".region=us-east-1", "storage.mounts." + mount[0] + ".path-style=true",
					"storage.mounts." + mount[0] + ".access-key-id=" + this.s3.getAccessKey(),
					"storage.mounts." + mount[0] + ".secret-access-key=" + this.s3.getSecretKey()));
			if (!mount[2].isEmpty()) {
				properties.add("storage.mounts." + mount[0] + ".prefix=" + mount[2]);
			}
		}
		this.app = new SpringApplicationBuilder(App.class).web(WebApplicationType.REACTIVE)
			.properties(properties.toArray(String[]::new))
			.run();
		this.http = new RawHttp(Integer.parseInt(this.app.getEnvironment().getProperty("local.server.port")));
		// sentinels: a neighbouring tenant's objects, another bucket's, and sidecars in the reserved directory
		for (String mount : List.of("tenantb", "s3tenantb", "s3other", "fs", "tenant")) {
			assertThat(put(mount, "SENTINEL-" + mount + ".txt").status()).isEqualTo(201);
		}
		this.treeOutsideRoots = tree(base, Set.of(base.resolve("up/fs"), base.resolve("up/shared")));
	}

	@AfterAll
	void stop() {
		if (this.app != null) {
			this.app.close();
		}
		this.s3.afterEach();
	}

	@Test
	void hostileInputNeverFailsTheServerOrEscapesAMount() throws Exception {
		System.out.println("StorageEndpointsHostileInputTests seed: " + SEED + " (rerun with -Dhostile.seed=" + SEED + ")");
		knownClashes();
		HostileInputs inputs = new HostileInputs(SEED);
		List<String> known = new CopyOnWriteArrayList<>(List.of("a", "~", "docs/x.txt"));
		List<HostileCase> cases = new ArrayList<>();
		for (int i = 0; i < CASES; i++) {
			cases.add(HostileCase.generate(inputs, inputs.pick(TARGETS), known));
		}
		cases.addAll(HostileCase.fixed());
		Map<String, AtomicInteger> outcomes = new TreeMap<>();
		Map<String, Set<String>> stored = new ConcurrentHashMap<>();
		List<HostileCase> clashes = new CopyOnWriteArrayList<>();
		List<String> failures = Collections.synchronizedList(new ArrayList<>());
		// six lanes, each request of one key in the same lane: the suite is about inputs, and a GET racing
		// a DELETE of its own key is a race of another kind
		List<ExecutorService> lanes = Stream.generate(Executors::newSingleThreadExecutor).limit(6).toList();
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (HostileCase hostile : cases) {
				futures.add(lanes.get(hostile.lane(lanes.size())).submit(() -> {
					RawHttp.Response response = this.http.send(hostile.method(), hostile.target(),
							hostile.method().equals("PUT") ? "x".getBytes(StandardCharsets.US_ASCII) : new byte[0]);
					String problem = hostile.check(response, FILESYSTEM.contains(hostile.mount()));
					synchronized (outcomes) {
						outcomes.computeIfAbsent(hostile.expectation() + " " + hostile.label() + " -> " + response.status(),
								k -> new AtomicInteger()).incrementAndGet();
					}
					if (problem != null && serverClash(hostile, response)) {
						clashes.add(hostile);
					}
					else if (problem != null) {
						failures.add(problem + ": " + hostile);
					}
					if (hostile.method().equals("PUT") && response.status() == 201) {
						stored.computeIfAbsent(hostile.mount(), k -> ConcurrentHashMap.newKeySet())
							.add(normal(hostile.logical()));
						if (known.size() < 200) {
							known.add(hostile.logical());
						}
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get();
			}
		}
		finally {
			lanes.forEach(ExecutorService::shutdownNow);
		}
		outcomes.forEach((outcome, count) -> System.out.println("  " + outcome + ": " + count));
		System.out.println("  S3Proxy clashes (a key beside another key's directory, 503): " + clashes.size());
		for (HostileCase clash : clashes) {
			if (!clashesWith(normal(clash.logical()), stored.getOrDefault(clash.mount(), Set.of()))) {
				failures.add("503 without a clash: " + clash);
			}
		}
		assertThat(cases.size()).isGreaterThanOrEqualTo(10_000);
		assertThat(failures).as("failed cases (of %d)", cases.size()).isEmpty();
		assertThat(tree(base, Set.of(base.resolve("up/fs"), base.resolve("up/shared"))))
			.as("files outside the filesystem roots")
			.isEqualTo(this.treeOutsideRoots);
		for (String mount : TARGETS) {
			RawHttp.Response all = this.http.send("GET", ("/storage/" + mount + "?limit=10000").getBytes(StandardCharsets.US_ASCII), new byte[0]);
			assertThat(all.status()).isEqualTo(200);
			assertThat(HostileInputs.keysOf(all.body())).as("keys of %s", mount)
				.allMatch(key -> StorageKeys.isValid(key) && key.indexOf('\uFFFD') < 0
						&& !(mount.equals("fs") && key.startsWith(".storage/")) && !key.contains("SENTINEL-tenantb")
						&& !key.contains("SENTINEL-s3"));
		}
		for (String mount : List.of("tenantb", "s3tenantb", "s3other")) {
			RawHttp.Response all = this.http.send("GET", ("/storage/" + mount).getBytes(StandardCharsets.US_ASCII), new byte[0]);
			assertThat(HostileInputs.keysOf(all.body())).as("the neighbour %s is untouched", mount)
				.containsExactly("SENTINEL-" + mount + ".txt");
		}
	}

	/**
	 * S3Proxy stores objects as files, so it cannot hold {@code a} beside {@code a/b} (real S3 can):
	 * it answers such a put with a 500, which the S3 backend reports as 503. Accepted only for a put on
	 * an S3 mount whose key does clash with a stored one (checked once every put is done).
	 */
	private static boolean serverClash(HostileCase hostile, RawHttp.Response response) {
		return hostile.mount().startsWith("s3") && hostile.method().equals("PUT") && response.status() == 503
				&& hostile.expectation().equals("VALID");
	}

	private static boolean clashesWith(String key, Set<String> stored) {
		return stored.stream().anyMatch(other -> other.startsWith(key + "/") || key.startsWith(other + "/"));
	}

	private static String normal(String key) {
		return key.startsWith("/") ? key.substring(1) : key;
	}

	/** The known failure: a key under another key's name is a clear 409 on the filesystem, never a 500. */
	private void knownClashes() throws IOException {
		for (String mount : TARGETS) {
			assertThat(put(mount, "~").status()).isEqualTo(201);
			RawHttp.Response clash = put(mount, "~/%C3%A9");
			if (mount.startsWith("s3")) {
				assertThat(clash.status()).as("PUT ~/é after ~ on %s (S3Proxy cannot hold both)", mount).isIn(201, 503);
			}
			else {
				assertThat(clash.status()).as("PUT ~/é after ~ on %s", mount).isEqualTo(FILESYSTEM.contains(mount) ? 409 : 201);
			}
			assertThat(this.http.send("GET", ("/storage/" + mount + "/~/%C3%A9/x").getBytes(StandardCharsets.US_ASCII), new byte[0]).status())
				.as("GET under an object on %s", mount).isEqualTo(404);
		}
	}

	private RawHttp.Response put(String mount, String rawKey) throws IOException {
		return this.http.send("PUT", ("/storage/" + mount + "/" + rawKey).getBytes(StandardCharsets.US_ASCII),
				"sentinel".getBytes(StandardCharsets.US_ASCII));
	}

	/** Every file and directory under the base, except inside the roots, with its size. */
	private static Map<String, String> tree(Path base, Set<Path> roots) throws IOException {
		Map<String, String> tree = new TreeMap<>();
		try (Stream<Path> paths = Files.walk(base)) {
			paths.filter(path -> roots.stream().noneMatch(root -> path.startsWith(root) && !path.equals(root)))
				.forEach(path -> tree.put(path.toString(), Files.isDirectory(path) ? "dir" : String.valueOf(path.toFile().length())));
		}
		return tree;
	}

	static boolean isPrefixed(String mount) {
		return PREFIXED.contains(mount);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		/** S3Proxy's clash errors are final: retrying them only slows the suite down. */
		@Bean
		S3ClientCustomizer noRetries() {
			return (name, builder) -> builder
				.overrideConfiguration(configuration -> configuration.retryStrategy(AwsRetryStrategy.doNotRetry()));
		}

	}

}
