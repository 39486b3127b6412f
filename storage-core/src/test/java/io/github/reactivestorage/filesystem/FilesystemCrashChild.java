package io.github.reactivestorage.filesystem;

import java.nio.file.Path;
import java.util.Arrays;

import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.github.reactivestorage.PutOptions;

/**
 * The process {@link FilesystemCrashTests} kills: {@code overwrites <root>} puts 100 versions of one
 * key, printing each completed one; {@code large <root>} starts a put of 1 GiB and prints when it is
 * writing.
 */
public final class FilesystemCrashChild {

	private FilesystemCrashChild() {
	}

	public static void main(String[] args) {
		FilesystemStorage storage = new FilesystemStorage("crash", Path.of(args[1]));
		if (args[0].equals("overwrites")) {
			for (int i = 1; i <= 100; i++) {
				storage.put("k", FilesystemCrashTests.version(i),
						PutOptions.builder().metadata("v", Integer.toString(i)).build()).block();
				System.out.println("put " + i);
				System.out.flush();
			}
		}
		else {
			byte[] chunk = new byte[1024 * 1024];
			Arrays.fill(chunk, (byte) 'n');
			storage.put("big", Flux.range(0, 1024).map(i -> {
				if (i == 8) {
					System.out.println("writing");
					System.out.flush();
				}
				return DefaultDataBufferFactory.sharedInstance.wrap(chunk.clone());
			}), PutOptions.builder().metadata("v", "new").build()).block();
			System.out.println("done");
		}
	}

}
