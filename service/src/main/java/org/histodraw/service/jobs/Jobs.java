package org.histodraw.service.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.histodraw.client.ServerClient;
import org.histodraw.client.ServerException;
import org.histodraw.client.SliceInfo;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.service.access.Caller;
import org.histodraw.service.access.ServiceLimits;
import org.histodraw.service.errors.ClientError;
import org.histodraw.service.models.ModelRef;
import org.histodraw.slides.pipeline.ClassAreas;

/**
 * The service's jobs: run one after another on a job thread (each job spreads its tiles over its
 * own threads), remembered in {@code jobs/ID.json} of the data folder.
 *
 * <p>A job acts for the caller who started it, with a job token minted from the caller's token
 * when the job is queued ({@code POST /api/v1/auth/service-token}: same project, at most the
 * caller's rights, alive up to {@value #TOKEN_SECONDS} s, revoked with the caller's token). So a
 * job outlives the caller's hour-long service token, yet cannot outlive their access: removed from
 * the project, disabled, or their token revoked, the job's next request to the server fails and
 * the job stops with nothing published. The job token is kept in {@code jobs/ID.token} (readable
 * by the service's user only) and revoked when the job ends.
 *
 * <p>A job the service was running when it stopped (a crash, a kill) is found on the next start:
 * its staging on the server is dropped with its token, which is then revoked, and it is listed as
 * interrupted, ready to be run again. Callers see the jobs of their own project only.
 */
public final class Jobs implements AutoCloseable {
    /** How long a job token lives at most: no job over a series takes a day. */
    static final long TOKEN_SECONDS = 24 * 3600;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What is kept of a job on disk: its view and its area table. */
    record Saved(JobView view, List<ClassAreas.Row> areas) {
    }

    private final ServerClient anonymous;
    private final ServiceLimits limits;
    private final Path dir;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "histodraw-jobs");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ApplyJob> live = new ConcurrentHashMap<>();
    private final Map<String, Saved> past = new ConcurrentHashMap<>();

    /** @param anonymous a client of the server without a token: each job adds its own */
    public Jobs(ServerClient anonymous, ServiceLimits limits, Path dataDir) {
        this.anonymous = anonymous;
        this.limits = limits;
        this.dir = dataDir.resolve("jobs");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
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
                    Optional<String> token = readToken(s.view().id());
                    if (token.isPresent()) {
                        try {
                            ServerClient job = anonymous.withToken(token.get());
                            job.discardStaged(s.view().id());
                            job.revokeOwnToken();
                        } catch (ServerException e) {
                            if (e.status() == 0) {
                                // the server is down: the staging stays invisible; dropped on a later start
                                System.err.println("histodraw service: could not drop the staging of interrupted job "
                                        + s.view().id() + ": " + e.getMessage());
                                past.put(s.view().id(), s);
                                continue;
                            }
                            // the token no longer works (expired, revoked): the server drops the staging in a week
                        }
                    }
                    deleteToken(s.view().id());
                    s = new Saved(ApplyJob.interrupted(s.view()), s.areas());
                    write(s);
                }
                past.put(s.view().id(), s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    static boolean isFinished(String state) {
        return switch (state) {
            case "done", "failed", "cancelled", "interrupted" -> true;
            default -> false;
        };
    }

    /**
     * Queues a job for the caller (who must be allowed to write: it replaces a layer); it starts when
     * the jobs before it have ended. 429 when the caller or the service has as many jobs waiting as
     * allowed.
     */
    public synchronized ApplyJob submit(Caller caller, SegmentationModel model, ModelRef ref, List<SliceInfo> slices,
                                        JobSettings settings) {
        if (!caller.canWrite()) {
            throw ClientError.forbidden("a job writes the layer " + settings.layer() + ": it needs a token with the write scope "
                    + "of an editor of project " + caller.projectId());
        }
        long mine = live.values().stream().filter(j -> !j.finished() && j.caller().userId() == caller.userId()).count();
        if (mine >= limits.jobsPerUser()) {
            throw ClientError.tooMany("you have " + mine + " jobs queued or running (at most " + limits.jobsPerUser() + ")", 10);
        }
        long all = live.values().stream().filter(j -> !j.finished()).count();
        if (all >= limits.jobs()) {
            throw ClientError.tooMany("the service has " + all + " jobs queued or running (at most " + limits.jobs() + ")", 10);
        }
        String id = "job-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
        ApplyJob job = new ApplyJob(id, caller, model, ref, slices, settings);
        JsonNode minted = anonymous.withToken(caller.token()).mintJobToken(caller.projectId(), TOKEN_SECONDS);
        String token = minted.path("token").asText();
        writeToken(id, token);
        ServerClient server = anonymous.withToken(token);
        live.put(id, job);
        write(new Saved(job.view(), List.of()));
        runner.submit(() -> {
            try {
                job.run(server, dir.resolve("work"));
            } catch (RuntimeException e) {
                System.err.println("histodraw service: job " + id + " failed: " + e);
            } finally {
                write(new Saved(job.view(), job.areas().rows()));
                try {
                    server.revokeOwnToken();
                } catch (ServerException e) {
                    // expired or revoked already, or the server is down: it expires within a day anyway
                }
                deleteToken(id);
            }
        });
        return job;
    }

    /** A job of the caller's project, as it stands. */
    public Optional<JobView> view(Caller caller, String id) {
        ApplyJob j = live.get(id);
        JobView v = j != null ? j.view() : Optional.ofNullable(past.get(id)).map(Saved::view).orElse(null);
        return Optional.ofNullable(v).filter(x -> x.project() == caller.projectId());
    }

    /** The area table of a job of the caller's project (empty until slices are done). */
    public Optional<List<ClassAreas.Row>> areas(Caller caller, String id) {
        if (view(caller, id).isEmpty()) {
            return Optional.empty();
        }
        ApplyJob j = live.get(id);
        return j != null ? Optional.of(j.areas().rows()) : Optional.ofNullable(past.get(id)).map(Saved::areas);
    }

    /** The jobs of the caller's project, newest first. */
    public List<JobView> list(Caller caller) {
        List<JobView> out = new ArrayList<>();
        live.values().forEach(j -> out.add(j.view()));
        past.values().stream().filter(s -> !live.containsKey(s.view().id())).forEach(s -> out.add(s.view()));
        out.removeIf(v -> v.project() != caller.projectId());
        out.sort(Comparator.comparing(JobView::id).reversed());
        return out;
    }

    /** Cancels a job of the caller's project (theirs, or anyone's with the write scope); false when it has ended. */
    public boolean cancel(Caller caller, String id) {
        ApplyJob j = live.get(id);
        if (j == null || j.caller().projectId() != caller.projectId()) {
            return false;
        }
        if (j.caller().userId() != caller.userId() && !caller.canWrite()) {
            throw ClientError.forbidden("job " + id + " is " + j.caller().username() + "'s; cancelling it needs the write scope");
        }
        if (j.finished()) {
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

    private void writeToken(String id, String token) {
        Path file = dir.resolve(id + ".token");
        try {
            Files.writeString(file, token);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the data folder's own permissions protect it
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the token of job " + id + ": " + e.getMessage(), e);
        }
    }

    private Optional<String> readToken(String id) {
        try {
            Path file = dir.resolve(id + ".token");
            return Files.exists(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void deleteToken(String id) {
        try {
            Files.deleteIfExists(dir.resolve(id + ".token"));
        } catch (IOException e) {
            System.err.println("histodraw service: cannot delete the token file of job " + id + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        live.values().forEach(ApplyJob::cancel);
        runner.shutdown();
        try {
            runner.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runner.shutdownNow();
    }
}
