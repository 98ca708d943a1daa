package org.histodraw.server.exchange;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.histodraw.server.store.Commit;
import org.histodraw.server.store.Edit;
import org.histodraw.server.store.RegionOrigins;
import org.histodraw.server.store.Regions;

/**
 * Plans the storing of an imported file's regions on a slice (one commit, all or none), updating instead
 * of duplicating: a region whose file id names a region of the slice (one it exported, or one an
 * earlier import of the same object made) replaces that region as a new version of it; one that
 * has not changed is left alone; the others are created and their file ids recorded. Regions the
 * file does not mention are kept (an import adds and updates, it never deletes).
 */
public final class UpdatingImport {
    private final RegionOrigins origins;

    public UpdatingImport(RegionOrigins origins) {
        this.origins = origins;
    }

    /** The edits that store a file's regions on one slice, the work that commits with them, and the report's last entries. */
    public record Plan(long sliceId, List<Edit> edits, Regions.AlongWith alongWith, Consumer<Commit> report) {
    }

    /**
     * Plans the storing of a file's regions on a slice; the caller stores the edits (with other
     * slices' in one transaction), runs {@code alongWith} in that transaction and hands the commit
     * to {@code report}, which completes {@code report}'s counts and entries.
     *
     * @param layerProvenance what a layer other than the human one is listed with (e.g. which file it came from)
     */
    public Plan plan(long sliceId, List<IncomingRegion> incoming, ImportReport report, String layerProvenance) {
        // ids of ours name regions directly; any id may also have been recorded (ours from another server)
        Map<String, Long> named = origins.regionsNamed(sliceId, incoming.stream().map(IncomingRegion::externalId)
                .filter(Objects::nonNull).distinct().toList());
        Set<Long> candidates = new HashSet<>(named.values());
        for (IncomingRegion in : incoming) {
            Long own = RegionIds.regionOf(in.externalId());
            if (own != null) {
                candidates.add(own);
            }
        }
        Map<Long, Regions.Stored> live = origins.liveRegions(sliceId, candidates);
        List<Edit> edits = new ArrayList<>();
        List<Integer> editOf = new ArrayList<>(); // edit -> index in incoming
        IncomingRegion[] stored = new IncomingRegion[incoming.size()];
        long[] regionOf = new long[incoming.size()];
        Set<Long> targeted = new HashSet<>();
        Set<String> layers = new LinkedHashSet<>();
        for (int k = 0; k < incoming.size(); k++) {
            IncomingRegion in = incoming.get(k);
            Long target = RegionIds.regionOf(in.externalId());
            if (target == null || !live.containsKey(target)) {
                target = named.get(in.externalId());
            }
            IncomingRegion region = in;
            if (target != null && !targeted.add(target)) {
                List<String> notes = new ArrayList<>(in.notes());
                notes.add("the file gives id " + in.externalId() + " to an earlier feature too: this one came in as a new region");
                region = new IncomingRegion(in.at(), null, in.input(), in.classColour(), notes);
                target = null;
            }
            stored[k] = region;
            if (target == null) {
                edits.add(new Edit.Create(region.input()));
                editOf.add(k);
                layers.add(region.input().layer());
                continue;
            }
            Regions.Stored now = live.get(target);
            regionOf[k] = target;
            if (sameContent(now, region)) {
                report.unchanged();
            } else {
                edits.add(new Edit.Update(target, now.version(), region.input()));
                editOf.add(k);
                layers.add(region.input().layer());
                layers.add(now.layer());
            }
        }
        Regions.AlongWith alongWith = (c, done) -> {
            if (done.changes().isEmpty()) {
                return;
            }
            Map<Long, String> ids = new LinkedHashMap<>();
            for (int i = 0; i < edits.size(); i++) {
                IncomingRegion in = stored[editOf.get(i)];
                long regionId = done.changes().get(i).regionId();
                regionOf[editOf.get(i)] = regionId;
                if (edits.get(i) instanceof Edit.Create && in.externalId() != null) {
                    ids.put(regionId, in.externalId());
                }
            }
            RegionOrigins.record(c, sliceId, ids);
            for (String layer : layers) {
                if (!layer.equals("human")) {
                    RegionOrigins.listLayer(c, sliceId, layer, layerProvenance, done.seq());
                }
            }
        };
        Consumer<Commit> done = commit -> {
            for (Edit e : edits) {
                if (e instanceof Edit.Create) {
                    report.created();
                } else {
                    report.updated();
                }
            }
            for (int k = 0; k < incoming.size(); k++) {
                if (!stored[k].notes().isEmpty()) {
                    report.changed(stored[k].at(), incoming.get(k).externalId(), regionOf[k], stored[k].notes());
                }
            }
        };
        return new Plan(sliceId, edits, alongWith, done);
    }

    private static boolean sameContent(Regions.Stored now, IncomingRegion in) {
        return now.layer().equals(in.input().layer()) && Objects.equals(now.className(), in.input().className())
                && now.geometry().equals(in.input().geometry().json()) && now.properties().equals(in.input().properties());
    }
}
