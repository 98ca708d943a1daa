package org.histodraw.service.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.client.ServerClient;
import org.histodraw.client.SliceInfo;
import org.histodraw.service.models.ModelRef;
import org.histodraw.slides.pipeline.ClassAreas;

/**
 * The service's jobs: run one after another on a job thread (each job spreads its tiles over its
 * own threads), remembered in {@code jobs/ID.json} of the data folder. A job the service was
 * running when it stopped (a crash, a kill) is found on the next start: its staging on the server
 * is dropped and it is listed as interrupted, ready to be run again.
 */
public final class Jobs implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What is kept of a job on disk: its view and its area table. */
    record Saved(JobView view, List<ClassAreas.Row> areas) {
    }

    private final ServerClient server;
    private final Path dir;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "histodraw-jobs");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ApplyJob> live = new ConcurrentHashMap<>();
    private final Map<String, Saved> past = new ConcurrentHashMap<>();

    public Jobs(ServerClient server, Path dataDir) {
        this.server = server;
        this.dir = dataDir.resolve("jobs");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        recover();
    }

    private void recover() {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                Saved s;
                try {
                    s = JSON.readValue(f.toFile(), Saved.class);
                } catch (IOException e) {
                    System.err.println("histodraw service: skipping unreadable job file " + f + ": " + e.getMessage());
                    continue;
                }
                if (!isFinished(s.view().state())) {
                    try {
                        server.discardStaged(s.view().id());
                    } catch (RuntimeException e) {
                        // the server is down: the staging stays invisible; dropped on a later start
                        System.err.println("histodraw service: could not drop the staging of interrupted job "
                                + s.view().id() + ": " + e.getMessage());
                        past.put(s.view().id(), s);
                        continue;
                    }
                    s = new Saved(ApplyJob.interrupted(s.view()), s.areas());
                    write(s);
                }
                past.put(s.view().id(), s);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    static boolean isFinished(String state) {
        return switch (state) {
            case "done", "failed", "cancelled", "interrupted" -> true;
            default -> false;
        };
    }

    /** Queues a job; it starts when the jobs before it have ended. */
    public ApplyJob submit(SegmentationModel model, ModelRef ref, List<SliceInfo> slices, JobSettings settings) {
        String id = "job-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
        ApplyJob job = new ApplyJob(id, model, ref, slices, settings);
        live.put(id, job);
        write(new Saved(job.view(), List.of()));
        runner.submit(() -> {
            try {
                job.run(server, dir.resolve("work"));
            } catch (RuntimeException e) {
                System.err.println("histodraw service: job " + id + " failed: " + e);
            } finally {
                write(new Saved(job.view(), job.areas().rows()));
            }
        });
        return job;
    }

    public Optional<ApplyJob> job(String id) {
        return Optional.ofNullable(live.get(id));
    }

    public Optional<JobView> view(String id) {
        ApplyJob j = live.get(id);
        if (j != null) {
            return Optional.of(j.view());
        }
        return Optional.ofNullable(past.get(id)).map(Saved::view);
    }

    /** The area table of a job (empty until slices are done). */
    public Optional<List<ClassAreas.Row>> areas(String id) {
        ApplyJob j = live.get(id);
        if (j != null) {
            return Optional.of(j.areas().rows());
        }
        return Optional.ofNullable(past.get(id)).map(Saved::areas);
    }

    /** Every job, newest first. */
    public List<JobView> list() {
        List<JobView> out = new ArrayList<>();
        live.values().forEach(j -> out.add(j.view()));
        past.values().stream().filter(s -> !live.containsKey(s.view().id())).forEach(s -> out.add(s.view()));
        out.sort(Comparator.comparing(JobView::id).reversed());
        return out;
    }

    /** Cancels a job; false when there is no such running or queued job. */
    public boolean cancel(String id) {
        ApplyJob j = live.get(id);
        if (j == null || j.finished()) {
            return false;
        }
        j.cancel();
        return true;
    }

    private synchronized void write(Saved s) {
        Path file = dir.resolve(s.view().id() + ".json");
        try {
            Path part = file.resolveSibling(file.getFileName() + ".part");
            JSON.writeValue(part.toFile(), s);
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("histodraw service: cannot record job " + s.view().id() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        live.values().forEach(ApplyJob::cancel);
        runner.shutdown();
        try {
            runner.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runner.shutdownNow();
    }
}
