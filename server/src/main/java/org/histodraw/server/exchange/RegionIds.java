package org.histodraw.server.exchange;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id a region travels under in QuPath and MicroDraw files. A region that came from such a file
 * keeps the id it had there (QuPath's object UUID, MicroDraw's uid). Any other region gets a UUID
 * that names it: an RFC 9562 version 8 (custom) UUID whose first 64 bits read "HISTDR" plus the
 * version and variant marks and whose last 48 bits are the region's id, e.g.
 * {@code 48495354-4452-8000-8000-00000000007b} for region 123. QuPath keeps a UUID it reads as the
 * object's id and writes it back, so a file that went through QuPath comes home to the same regions.
 * The older form {@code histodraw-123} (exports before issue 20) is understood too.
 */
public final class RegionIds {
    private static final Pattern OURS = Pattern.compile("48495354-4452-8000-8000-([0-9a-f]{12})");
    private static final Pattern OLD = Pattern.compile("histodraw-(\\d{1,15})");

    private RegionIds() {
    }

    /** The id to write for a region: the external id it came with, or its own UUID. */
    public static String exportId(long regionId, String externalId) {
        return externalId != null ? externalId : String.format(Locale.ROOT, "48495354-4452-8000-8000-%012x", regionId);
    }

    /** The region an id written by {@link #exportId} names when it is one of ours, else null. */
    public static Long regionOf(String id) {
        if (id == null) {
            return null;
        }
        Matcher m = OURS.matcher(id.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            return Long.parseLong(m.group(1), 16);
        }
        m = OLD.matcher(id);
        return m.matches() ? Long.parseLong(m.group(1)) : null;
    }
}
