package org.histodraw.server.exchange;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.histodraw.server.store.LimitExceeded;

/**
 * Counts the bytes read through it against a limit and fails with {@link LimitExceeded} the
 * moment one more would cross it: a decompressing stream beneath is never read further than the
 * limit, however much its few compressed bytes would unpack to.
 */
public final class CountedInput extends FilterInputStream {
    /** A running total shared by several streams (all entries of one zip). */
    public static final class Budget {
        private final String limit;
        private final long max;
        private final String what;
        private long used;

        /**
         * @param limit the limit's name (as docs/security.md lists it)
         * @param max   the bytes allowed
         * @param what  how the message names the stream ("the request body", "slice-3.geojson")
         */
        public Budget(String limit, long max, String what) {
            this.limit = limit;
            this.max = max;
            this.what = what;
        }

        void spend(long n) {
            used += n;
            if (used > max) {
                throw new LimitExceeded(limit, max, what + " unpacks to more than " + Limits.bytes(max));
            }
        }
    }

    private final Budget[] budgets;

    public CountedInput(InputStream in, Budget... budgets) {
        super(in);
        this.budgets = budgets;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            spend(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            spend(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        spend(skipped);
        return skipped;
    }

    private void spend(long n) {
        for (Budget b : budgets) {
            b.spend(n);
        }
    }

    @Override
    public void close() {
        // the caller closes the underlying stream (a zip entry must not close the zip)
    }
}
