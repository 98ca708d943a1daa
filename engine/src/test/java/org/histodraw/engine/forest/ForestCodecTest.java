package org.histodraw.engine.forest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ForestCodecTest {
    private static RandomForest forest;
    private static byte[] bytes;

    @BeforeAll
    static void train() {
        TrainingSet set = RandomForestTest.sample(2000, 6, 3, x -> x[0] + 0.2f * x[4] < 0.4f ? 1 : x[1] < 0.5f ? 2 : 3, 21);
        forest = RandomForest.train(set, ForestSettings.builder().trees(12).seed(5).build());
        bytes = ForestCodec.toBytes(forest);
    }

    @Test
    void aLoadedForestPredictsExactlyAsTheSavedOne() {
        RandomForest loaded = ForestCodec.fromBytes(bytes);
        Raster features = SyntheticStack.features(0, 0, 300, 20, 6, 22);
        LabelRaster classes = LabelRaster.allocate(300, 20);
        Raster probs = Raster.allocate(300, 20, 3);
        forest.predict(features, classes, probs);
        LabelRaster loadedClasses = LabelRaster.allocate(300, 20);
        Raster loadedProbs = Raster.allocate(300, 20, 3);
        loaded.predict(features, loadedClasses, loadedProbs);

        assertThat(loadedClasses.data()).isEqualTo(classes.data());
        for (int k = 0; k < 3; k++) {
            assertThat(loadedProbs.plane(k)).isEqualTo(probs.plane(k));
        }
        assertThat(loaded.settings()).isEqualTo(forest.settings());
        assertThat(loaded.outOfBagAccuracy()).isEqualTo(forest.outOfBagAccuracy());
        assertThat(loaded.outOfBagAccuracyPerClass()).isEqualTo(forest.outOfBagAccuracyPerClass());
        assertThat(loaded.featureImportances()).isEqualTo(forest.featureImportances());
        for (int t = 0; t < forest.treeCount(); t++) {
            assertThat(loaded.treeDepth(t)).isEqualTo(forest.treeDepth(t));
        }
        assertThat(ForestCodec.toBytes(loaded)).isEqualTo(bytes);
    }

    @Test
    void forestsFollowEachOtherInOneStream() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        ForestCodec.write(forest, data);
        data.writeUTF("after");
        ForestCodec.write(forest, data);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(out.toByteArray()));
        assertThat(ForestCodec.toBytes(ForestCodec.read(in))).isEqualTo(bytes);
        assertThat(in.readUTF()).isEqualTo("after");
        assertThat(ForestCodec.read(in).treeCount()).isEqualTo(12);
    }

    @Test
    void foreignBytesAreNotAForest() {
        byte[] png = "\u0089PNG\r\n\u001a\n and more".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> ForestCodec.fromBytes(png)).isInstanceOf(ForestFormatException.class)
                .hasMessageContaining("not a HistoDraw forest");
    }

    @Test
    void aNewerFormatVersionIsNamed() {
        byte[] v9 = bytes.clone();
        v9[7] = 9;
        assertThatThrownBy(() -> ForestCodec.fromBytes(v9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported forest format version 9");
    }

    @Test
    void aTruncatedFileIsReportedAsTruncatedWhereverItEnds() {
        for (int length : new int[] {0, 2, 4, 6, 10, 12, 100, bytes.length / 2, bytes.length - 1}) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> ForestCodec.fromBytes(cut)).as("cut at %d", length)
                    .isInstanceOf(ForestFormatException.class).hasMessageContaining("truncated");
        }
    }

    @Test
    void aDamagedByteFailsTheChecksum() {
        for (int at : new int[] {12, 40, bytes.length / 2, bytes.length - 5}) {
            byte[] damaged = bytes.clone();
            damaged[at] ^= 0x10;
            assertThatThrownBy(() -> ForestCodec.fromBytes(damaged)).as("damage at %d", at)
                    .isInstanceOf(ForestFormatException.class).hasMessageContaining("checksum mismatch");
        }
    }

    @Test
    void bytesAfterTheForestAreRejected() {
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertThatThrownBy(() -> ForestCodec.fromBytes(longer)).hasMessageContaining("3 bytes after the forest");
    }

    @Test
    void aPayloadThatPassesTheChecksumButIsNoForestIsCorrupt() {
        // tree count 0 inside a well-formed envelope
        byte[] damaged = bytes.clone();
        int treeCount = 12 + 8;
        damaged[treeCount + 3] = 0;
        int payloadLength = damaged.length - 16;
        int crc = Crc32.of(damaged, 12, payloadLength);
        damaged[damaged.length - 4] = (byte) (crc >>> 24);
        damaged[damaged.length - 3] = (byte) (crc >>> 16);
        damaged[damaged.length - 2] = (byte) (crc >>> 8);
        damaged[damaged.length - 1] = (byte) crc;
        assertThatThrownBy(() -> ForestCodec.fromBytes(damaged)).isInstanceOf(ForestFormatException.class)
                .hasMessageContaining("corrupt forest: tree count 0");
    }

    @Test
    void theChecksumIsTheStandardCrc32() {
        // the check value of CRC-32/ISO-HDLC
        assertThat(Crc32.of("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9)).isEqualTo(0xCBF43926);
    }
}
