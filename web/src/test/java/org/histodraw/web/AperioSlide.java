package org.histodraw.web;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
import javax.imageio.stream.FileImageOutputStream;
import javax.imageio.stream.ImageOutputStream;
import org.histodraw.slides.io.Vips;

/**
 * An Aperio SVS as a scanner lays it out, for the browser tests of what a slide file knows: the
 * pyramid made the one way the tests make Aperio files ({@link Vips#aperio}: Debian's vips, AppMag 40,
 * MPP 0.25), then the associated images put where Aperio puts them with the JDK's TIFF writer: the
 * thumbnail as the second directory, the label (LZW) and the macro picture (JPEG) at the end, each
 * stripped and named on the second line of its description ("label 300x200"). OpenSlide 3.4.1 takes
 * the name from the line after the first line break and splits at '\r' and '\n' alike, so the line
 * break is a plain '\n'. Skips the test with a message where vips or OpenSlide is absent.
 */
final class AperioSlide {
    private AperioSlide() {
    }

    /** Writes slide.svs in {@code dir} from {@code picture}; returns its path. */
    static Path withLabelAndMacro(BufferedImage picture, Path dir) throws IOException {
        Vips.assumeOpenSlide();
        Vips.assumeAvailable();
        int w = picture.getWidth(), h = picture.getHeight();
        Path svs = Vips.aperio(picture, dir, "slide", false);
        ImageWriter writer = tiffWriter();

        BufferedImage label = label();
        BufferedImage macro = new BufferedImage(800, 300, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = macro.createGraphics();
        g.setColor(new Color(226, 228, 224));
        g.fillRect(0, 0, 800, 300);
        g.drawImage(label, 12, 60, 240, 160, null);
        g.drawImage(picture, 300, 30, 460, 460 * h / w, null);
        g.dispose();
        BufferedImage thumbnail = new BufferedImage(400, 400 * h / w, BufferedImage.TYPE_3BYTE_BGR);
        g = thumbnail.createGraphics();
        g.drawImage(picture, 0, 0, thumbnail.getWidth(), thumbnail.getHeight(), null);
        g.dispose();
        try (ImageOutputStream out = new FileImageOutputStream(new RandomAccessFile(svs.toFile(), "rw"))) {
            writer.setOutput(out);
            ImageWriteParam jpeg = compressed(writer, "JPEG");
            ImageWriteParam lzw = compressed(writer, "LZW");
            writer.writeInsert(1, described(writer, thumbnail, "Aperio Image Library v12.0.15\n" + w + "x" + h + " -> "
                    + thumbnail.getWidth() + "x" + thumbnail.getHeight() + " - |AppMag = 40|MPP = 0.2500", jpeg), jpeg);
            writer.writeInsert(-1, described(writer, label, "Aperio Image Library v12.0.15\nlabel 300x200", lzw), lzw);
            writer.writeInsert(-1, described(writer, macro, "Aperio Image Library v12.0.15\nmacro 800x300", jpeg), jpeg);
        } finally {
            writer.dispose();
        }
        return svs;
    }

    /** A slide label: a case number and a barcode. */
    private static BufferedImage label() {
        BufferedImage label = new BufferedImage(300, 200, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = label.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 300, 200);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 30));
        g.drawString("HD-0042", 24, 60);
        for (int i = 0; i < 40; i++) {
            if (i * 7 % 3 != 0) {
                g.fillRect(24 + i * 6, 100, 3, 70);
            }
        }
        g.dispose();
        return label;
    }

    private static ImageWriter tiffWriter() {
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio.")) {
                return w;
            }
        }
        throw new IllegalStateException("the JDK's TIFF writer is missing");
    }

    private static ImageWriteParam compressed(ImageWriter writer, String type) {
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionType(type);
        return param;
    }

    private static IIOImage described(ImageWriter writer, BufferedImage image, String description, ImageWriteParam param) throws IOException {
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
        TIFFDirectory d = TIFFDirectory.createFromMetadata(metadata);
        d.addTIFFField(new TIFFField(BaselineTIFFTagSet.getInstance().getTag(BaselineTIFFTagSet.TAG_IMAGE_DESCRIPTION),
                TIFFTag.TIFF_ASCII, 1, new String[] {description}));
        return new IIOImage(image, null, d.getAsMetadata());
    }
}
