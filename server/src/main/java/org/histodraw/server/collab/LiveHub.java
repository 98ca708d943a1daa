package org.histodraw.server.collab;

/** Placeholder, filled in with the websocket step. */
public final class LiveHub {
}
