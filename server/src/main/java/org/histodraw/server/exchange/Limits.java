package org.histodraw.server.exchange;

import java.util.Locale;

/** Wording shared by the limit messages. */
final class Limits {
    private Limits() {
    }

    /** 64 MiB, 16 KiB, 300 bytes. */
    static String bytes(long n) {
        if (n >= 1L << 20 && n % (1L << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        if (n >= 1L << 10 && n % (1L << 10) == 0) {
            return (n >> 10) + " KiB";
        }
        return String.format(Locale.ROOT, "%,d bytes", n);
    }
}
