package org.histodraw.slides.io;

/**
 * A tile as the file stores it, ready to send as it is: a standalone JPEG (a TIFF's shared
 * JPEGTables merged in, an Adobe marker telling decoders whether it holds RGB or YCbCr) or a
 * Deep Zoom tile file.
 *
 * @param width  the width of the picture the bytes decode to (a TIFF's edge tiles are padded)
 */
public record EncodedTile(byte[] bytes, String mediaType, int width, int height) {
}
