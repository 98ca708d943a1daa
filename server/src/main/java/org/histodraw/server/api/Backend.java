package org.histodraw.server.api;

import org.histodraw.server.auth.AccessControl;
import org.histodraw.server.auth.Authenticator;
import org.histodraw.server.auth.LoginThrottle;
import org.histodraw.server.auth.PasswordHasher;
import org.histodraw.server.collab.LiveHub;
import org.histodraw.server.overlay.OverlayPrerender;
import org.histodraw.server.overlay.OverlayTiles;
import org.histodraw.server.store.Accounts;
import org.histodraw.server.store.Database;
import org.histodraw.server.store.Projects;
import org.histodraw.server.store.Regions;
import org.histodraw.server.store.Slides;
import org.histodraw.server.tiles.IngestJobs;

/** The server's parts, wired once at start and shared by the routes (and by the CLI in the same JVM). */
public record Backend(ApiSettings settings, Database db, Accounts accounts, Projects projects, Slides slides,
                      Regions regions, PasswordHasher passwords, Authenticator auth, AccessControl access,
                      LoginThrottle logins, IngestJobs ingest, LiveHub live, OverlayPrerender overlays,
                      OverlayTiles overlayTiles) {
}
