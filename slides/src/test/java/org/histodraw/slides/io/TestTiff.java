package org.histodraw.slides.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the TIFF layouts microscopes and Bio-Formats write, for tests: any number of pages, each
 * of any samples per pixel, 8/16/32-bit unsigned, signed or float samples (also complex and 64-bit,
 * to be refused), chunky or planar, in tiles or strips, either byte order, with an ImageDescription
 * (OME-XML). Uncompressed: the layout is what the tests are about.
 */
final class TestTiff {
    /** The value of sample {@code s} of pixel (x, y). */
    interface Samples {
        double at(int sample, int x, int y);
    }

    /** One page. {@code format}: TIFF SampleFormat (1 unsigned, 2 signed, 3 float, 5/6 complex). */
    record Page(int width, int height, int samples, int bits, int format, boolean planar, int tile, String description,
                int photometric, Samples values) {
        static Page grey(int width, int height, int bits, int format, Samples values) {
            return new Page(width, height, 1, bits, format, false, 64, null, 1, values);
        }
    }

    private TestTiff() {
    }

    static String ome(int sizeC, String type, String... channels) {
        StringBuilder s = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><OME xmlns=\"http://www.openmicroscopy.org/Schemas/OME/2016-06\">"
                + "<Image ID=\"Image:0\" Name=\"panel\"><Pixels ID=\"Pixels:0\" DimensionOrder=\"XYCZT\" Type=\"" + type + "\" SizeX=\"0\" SizeY=\"0\" SizeC=\""
                + sizeC + "\" SizeZ=\"1\" SizeT=\"1\" PhysicalSizeX=\"0.325\" PhysicalSizeY=\"0.325\">");
        for (String c : channels) {
            s.append(c);
        }
        for (int i = 0; i < sizeC; i++) {
            s.append("<TiffData FirstC=\"").append(i).append("\" IFD=\"").append(i).append("\" PlaneCount=\"1\"/>");
        }
        return s.append("</Pixels></Image></OME>").toString();
    }

    /** An OME {@code <Channel>} with its name and colour (RGBA as a signed 32-bit number, as OME writes it). */
    static String channel(int index, String name, int rgb) {
        return "<Channel ID=\"Channel:0:" + index + "\" Name=\"" + name + "\" Color=\"" + ((rgb << 8) | 0xff) + "\" SamplesPerPixel=\"1\"/>";
    }

    static void write(Path file, ByteOrder order, List<Page> pages) throws IOException {
        List<byte[]> blobs = new ArrayList<>();
        ByteBuffer out = ByteBuffer.allocate(estimate(pages)).order(order);
        out.put(order == ByteOrder.LITTLE_ENDIAN ? new byte[] {'I', 'I'} : new byte[] {'M', 'M'}).putShort((short) 42).putInt(0);
        int previousNext = 4;
        for (Page p : pages) {
            // pixel data first, then the directory that points at it
            int tw = p.tile(), th = p.tile();
            int across = (p.width() + tw - 1) / tw, down = (p.height() + th - 1) / th;
            int perBlockSamples = p.planar() ? 1 : p.samples();
            int blocks = across * down * (p.planar() ? p.samples() : 1);
            int bytes = p.bits() / 8;
            int[] offsets = new int[blocks];
            int[] counts = new int[blocks];
            int block = 0;
            for (int plane = 0; plane < (p.planar() ? p.samples() : 1); plane++) {
                for (int ty = 0; ty < down; ty++) {
                    for (int tx = 0; tx < across; tx++) {
                        offsets[block] = out.position();
                        for (int y = ty * th; y < (ty + 1) * th; y++) {
                            for (int x = tx * tw; x < (tx + 1) * tw; x++) {
                                for (int s = 0; s < perBlockSamples; s++) {
                                    int sample = p.planar() ? plane : s;
                                    double v = x < p.width() && y < p.height() ? p.values().at(sample, x, y) : 0;
                                    put(out, p, v, bytes);
                                }
                            }
                        }
                        counts[block] = out.position() - offsets[block];
                        block++;
                    }
                }
            }
            byte[] description = p.description() == null ? null : (p.description() + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int descriptionAt = 0;
            if (description != null) {
                descriptionAt = out.position();
                out.put(description);
            }
            int bitsAt = out.position();
            for (int s = 0; s < p.samples(); s++) {
                out.putShort((short) p.bits());
            }
            int formatAt = out.position();
            for (int s = 0; s < p.samples(); s++) {
                out.putShort((short) p.format());
            }
            int offsetsAt = out.position();
            for (int o : offsets) {
                out.putInt(o);
            }
            int countsAt = out.position();
            for (int c : counts) {
                out.putInt(c);
            }
            if (out.position() % 2 == 1) {
                out.put((byte) 0);
            }
            int ifd = out.position();
            out.putInt(previousNext, ifd);
            List<int[]> entries = new ArrayList<>();
            entries.add(new int[] {256, 4, 1, p.width()});
            entries.add(new int[] {257, 4, 1, p.height()});
            entries.add(new int[] {258, 3, p.samples(), p.samples() == 1 ? p.bits() : bitsAt});
            entries.add(new int[] {259, 3, 1, 1});
            entries.add(new int[] {262, 3, 1, p.photometric()});
            if (description != null) {
                entries.add(new int[] {270, 2, description.length, descriptionAt});
            }
            entries.add(new int[] {277, 3, 1, p.samples()});
            entries.add(new int[] {284, 3, 1, p.planar() ? 2 : 1});
            entries.add(new int[] {322, 4, 1, tw});
            entries.add(new int[] {323, 4, 1, th});
            entries.add(new int[] {324, 4, blocks, blocks == 1 ? offsets[0] : offsetsAt});
            entries.add(new int[] {325, 4, blocks, blocks == 1 ? counts[0] : countsAt});
            entries.add(new int[] {339, 3, p.samples(), p.samples() == 1 ? p.format() : formatAt});
            out.putShort((short) entries.size());
            for (int[] e : entries) {
                out.putShort((short) e[0]).putShort((short) e[1]).putInt(e[2]);
                if (e[1] == 3 && e[2] == 1) {
                    out.putShort((short) e[3]).putShort((short) 0);
                } else {
                    out.putInt(e[3]);
                }
            }
            previousNext = out.position();
            out.putInt(0);
        }
        Files.write(file, java.util.Arrays.copyOf(out.array(), out.position()));
        blobs.clear();
    }

    private static void put(ByteBuffer out, Page p, double v, int bytes) {
        switch (p.format()) {
            case 3 -> {
                if (bytes == 4) {
                    out.putFloat((float) v);
                } else if (bytes == 8) {
                    out.putDouble(v);
                } else {
                    out.putShort((short) v);
                }
            }
            case 5, 6 -> {
                for (int i = 0; i < bytes; i++) {
                    out.put((byte) v);
                }
            }
            default -> {
                long q = Math.round(v);
                switch (bytes) {
                    case 1 -> out.put((byte) q);
                    case 2 -> out.putShort((short) q);
                    case 4 -> out.putInt((int) q);
                    default -> out.putLong(q);
                }
            }
        }
    }

    private static int estimate(List<Page> pages) {
        long total = 4096;
        for (Page p : pages) {
            int tw = p.tile();
            long padded = (long) ((p.width() + tw - 1) / tw) * tw * ((p.height() + tw - 1) / tw) * tw;
            total += padded * p.samples() * (p.bits() / 8) + 2048 + (p.description() == null ? 0 : p.description().length() * 4L);
        }
        return (int) total;
    }
}
