package org.histodraw.slides.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class CharChunksTest {

    @Test
    void textLongerThanManyChunksReachesTheWriterWholeAndInOrderOnceFlushed() throws Exception {
        StringWriter out = new StringWriter();
        CharChunks chunks = new CharChunks(out);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            String number = Integer.toString(i * 7919);
            chunks.append('[').append(number).append("ab,cd", 2, 3);
            expected.append('[').append(number).append(',');
        }
        assertThat(out.toString().length()).as("whole chunks handed on as they fill").isPositive()
                .isLessThan(expected.length());
        chunks.flush();
        assertThat(out.toString()).isEqualTo(expected.toString());
        chunks.flush();
        assertThat(out.toString()).as("nothing twice").isEqualTo(expected.toString());
    }
}
