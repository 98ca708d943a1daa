package org.histodraw.service.workspace;

import java.util.concurrent.atomic.AtomicReference;
import org.histodraw.client.ServerClient;
import org.histodraw.service.access.Caller;
import org.histodraw.service.live.Workbench;
import org.histodraw.service.preview.PreviewTiles;
import org.histodraw.service.training.Trainer;

/**
 * One user's work in one project: their model, its live retraining, the slides and statistics
 * fetched for it, their preview tiles. It talks to the server with that user's latest token (the
 * viewer renews short-lived ones), so it can never read or write more than they may.
 */
public final class Workspace implements AutoCloseable {
    private final AtomicReference<String> token;
    private final ServerClient server;
    private final Trainer trainer;
    private final Workbench workbench;
    private final PreviewTiles preview;
    private volatile long lastUse = System.currentTimeMillis();

    Workspace(ServerClient anonymous, Caller caller, int threads, long debounceMillis) {
        this.token = new AtomicReference<>(caller.token());
        this.server = anonymous.withToken(token::get);
        this.trainer = new Trainer(server, threads);
        this.workbench = new Workbench(server, trainer, debounceMillis);
        this.preview = new PreviewTiles(workbench, trainer, threads);
    }

    /** Notes a request of the caller: their token is the one to use from now on. */
    void used(Caller caller) {
        token.set(caller.token());
        lastUse = System.currentTimeMillis();
    }

    long lastUse() {
        return lastUse;
    }

    public ServerClient server() {
        return server;
    }

    public Trainer trainer() {
        return trainer;
    }

    public Workbench workbench() {
        return workbench;
    }

    public PreviewTiles preview() {
        return preview;
    }

    @Override
    public void close() {
        workbench.close();
    }
}
