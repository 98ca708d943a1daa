package org.histodraw.server.overlay;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rendered overlay tiles, least recently used first out, bounded by their total size. Keys carry
 * the layer's change number, so a change to the layer simply stops its old tiles being asked for;
 * they age out.
 */
final class TileCache {
    private final long maxBytes;
    private final LinkedHashMap<String, byte[]> tiles = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;

    TileCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    synchronized byte[] get(String key) {
        return tiles.get(key);
    }

    synchronized void put(String key, byte[] png) {
        byte[] old = tiles.put(key, png);
        bytes += png.length - (old == null ? 0 : old.length);
        Iterator<Map.Entry<String, byte[]>> it = tiles.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<String, byte[]> eldest = it.next();
            bytes -= eldest.getValue().length;
            it.remove();
        }
    }

    synchronized int size() {
        return tiles.size();
    }
}
