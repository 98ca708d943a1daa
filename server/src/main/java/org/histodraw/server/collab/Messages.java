package org.histodraw.server.collab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import org.histodraw.server.store.Change;
import org.histodraw.server.store.Jackson;

/**
 * The live protocol's messages, built with Jackson (never by pasting strings, so a user name or a
 * number cannot break the JSON). A region is the stored Feature text the server wrote itself.
 */
public final class Messages {
    private Messages() {
    }

    public static String snapshot(long seq) {
        return Jackson.write(type("snapshot").put("version", seq).put("seq", seq));
    }

    public static String change(Change c) {
        ObjectNode m = type("change").put("op", c.op()).put("seq", c.seq()).put("user", c.user());
        m.putRawValue("region", new RawValue(c.featureJson()));
        return Jackson.write(m);
    }

    public static String layer(String layer, long seq) {
        return Jackson.write(type("layer").put("layer", layer).put("seq", seq));
    }

    /** A pointer; the caller has checked that x and y are finite (the write refuses anything else). */
    public static String cursor(String user, double x, double y) {
        return Jackson.write(type("cursor").put("user", user).put("x", x).put("y", y));
    }

    public static String resynced(long seq) {
        return Jackson.write(type("resynced").put("seq", seq));
    }

    public static String reload(long seq) {
        return Jackson.write(type("reload").put("seq", seq));
    }

    /** Something the client sent was refused; {@code status} as HTTP would say it (400, 429). */
    public static String error(int status, String message) {
        return Jackson.write(type("error").put("status", status).put("error", message));
    }

    /** The connection ends: access was lost. */
    public static String closed(String reason) {
        return Jackson.write(type("closed").put("error", reason));
    }

    private static ObjectNode type(String type) {
        return Jackson.MAPPER.createObjectNode().put("type", type);
    }
}
