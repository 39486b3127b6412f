package io.github.reactivestorage.azure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azurite's blob service (npm, installed in {@code storage-tests/node_modules} by the build's
 * {@code npm ci}) run as a child process on a random loopback port, in memory.
 */
final class AzuriteServer implements AutoCloseable {

	static final String ACCOUNT = "devstoreaccount1";

	static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

	private static final Pattern LISTENING = Pattern.compile("listens on http://127\\.0\\.0\\.1:(\\d+)");

	private final Process process;

	private final int port;

	private AzuriteServer(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/** Where the Azurite launcher should be, relative to the module. */
	static Path launcher() {
		return Path.of("node_modules", ".bin", "azurite-blob");
	}

	/** Why Azurite cannot start here, or {@code null} when it can. */
	static String unavailableReason() {
		if (!Files.isRegularFile(launcher())) {
			return "Azurite is not installed (" + launcher().toAbsolutePath()
					+ " is missing): install Node.js 20+ and run the build (it runs npm ci in storage-tests)";
		}
		try {
			Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
			node.getInputStream().readAllBytes();
			if (!node.waitFor(30, TimeUnit.SECONDS) || node.exitValue() != 0) {
				return "'node --version' failed";
			}
		}
		catch (IOException ex) {
			return "Node.js is not on the PATH (" + ex.getMessage() + ")";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
		return null;
	}

	static AzuriteServer start() throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("node", launcher().toString(), "--blobHost", "127.0.0.1",
				"--blobPort", "0", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry",
				"--silent"));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		CompletableFuture<Integer> port = new CompletableFuture<>();
		StringBuilder output = new StringBuilder();
		Thread reader = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					synchronized (output) {
						output.append(line).append('\n');
					}
					Matcher matcher = LISTENING.matcher(line);
					if (matcher.find()) {
						port.complete(Integer.parseInt(matcher.group(1)));
					}
				}
			}
			catch (IOException ex) {
				// the process ended
			}
			port.completeExceptionally(new IllegalStateException("Azurite ended: " + output));
		}, "azurite-output");
		reader.setDaemon(true);
		reader.start();
		try {
			return new AzuriteServer(process, port.get(60, TimeUnit.SECONDS));
		}
		catch (Exception ex) {
			process.destroyForcibly();
			throw new IllegalStateException("Azurite did not start: " + output, ex);
		}
	}

	int port() {
		return this.port;
	}

	String endpoint() {
		return "http://127.0.0.1:" + this.port + "/" + ACCOUNT;
	}

	String connectionString() {
		return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY + ";BlobEndpoint="
				+ endpoint() + ";";
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

}
