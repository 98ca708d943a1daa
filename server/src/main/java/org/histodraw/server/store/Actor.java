package org.histodraw.server.store;

/** Who made a change, as history records it. */
public record Actor(Long userId, Long tokenId, String name) {
}
