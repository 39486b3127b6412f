package io.github.reactivestorage.autoconfigure.web.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A deliberately naive HTTP/1.1 client: it writes the request target byte for byte as given (no
 * encoding, no normalisation, no URI validation), so that malformed escapes, raw backslashes and
 * control characters reach the server as a hostile client would send them. One connection per
 * request ({@code Connection: close}); the body is read to the end and de-chunked.
 */
final class RawHttp {

	private final int port;

	RawHttp(int port) {
		this.port = port;
	}

	/** A response; {@code status} is -1 when the server closed the connection without answering. */
	record Response(int status, String body) {
	}

	Response send(String method, byte[] target, byte[] body) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			ByteArrayOutputStream request = new ByteArrayOutputStream();
			request.write(method.getBytes(StandardCharsets.US_ASCII));
			request.write(' ');
			request.write(target);
			request.write((" HTTP/1.1\r\nHost: 127.0.0.1:" + this.port + "\r\nConnection: close\r\nContent-Length: "
					+ body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			request.write(body);
			out.write(request.toByteArray());
			out.flush();
			byte[] raw = socket.getInputStream().readAllBytes();
			return parse(raw, method.equals("HEAD"));
		}
	}

	private static Response parse(byte[] raw, boolean head) throws IOException {
		String text = new String(raw, StandardCharsets.ISO_8859_1);
		int headerEnd = text.indexOf("\r\n\r\n");
		if (!text.startsWith("HTTP/1.1 ") || headerEnd < 0) {
			return new Response(-1, "");
		}
		int status = Integer.parseInt(text.substring(9, 12));
		String headers = text.substring(0, headerEnd).toLowerCase(Locale.ROOT);
		byte[] body = java.util.Arrays.copyOfRange(raw, headerEnd + 4, raw.length);
		if (!head && headers.contains("\r\ntransfer-encoding: chunked")) {
			body = dechunk(new java.io.ByteArrayInputStream(body));
		}
		return new Response(status, new String(body, StandardCharsets.UTF_8));
	}

	private static byte[] dechunk(InputStream in) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		while (true) {
			StringBuilder line = new StringBuilder();
			int c;
			while ((c = in.read()) >= 0 && c != '\n') {
				if (c != '\r') {
					line.append((char) c);
				}
			}
			int semicolon = line.indexOf(";");
			String size = ((semicolon >= 0) ? line.substring(0, semicolon) : line.toString()).trim();
			if (c < 0 || size.isEmpty()) {
				return out.toByteArray();
			}
			int length = Integer.parseInt(size, 16);
			if (length == 0) {
				return out.toByteArray();
			}
			out.write(in.readNBytes(length));
			in.skipNBytes(Math.min(2, in.available()));
		}
	}

}
