package org.histodraw.service;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the service from the command line without the {@code histodraw} launcher (used by tests
 * that run it in its own process): {@code --server URL [--port P] [--bind A] [--data DIR]
 * [--threads N] [--allow-host NAME]...}. Prints the service's URL on one line ("listening on
 * URL") once it accepts requests.
 */
public final class ServiceMain {
    private ServiceMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String server = null, bind = "127.0.0.1", data = "histodraw-service-data";
        List<String> hosts = new ArrayList<>();
        int port = 8090, threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                fail("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--server" -> server = v;
                case "--allow-host" -> hosts.add(v);
                case "--bind" -> bind = v;
                case "--data" -> data = v;
                case "--port" -> port = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                default -> fail("unknown option " + a);
            }
        }
        if (server == null) {
            fail("--server URL is required");
        }
        ServiceConfig config = ServiceConfig.of(URI.create(server), Path.of(data)).toBuilder().port(port).bindAddress(bind)
                .threads(threads).allowedHosts(hosts).build();
        SegmentationService service = SegmentationService.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }));
        System.out.println("listening on " + service.url());
        System.out.flush();
        stopped.await();
    }

    private static void fail(String message) {
        System.err.println("histodraw service: error: " + message);
        System.exit(2);
    }
}
