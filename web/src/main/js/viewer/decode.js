// OpenSeadragon hands a tile to its drawer when the image has loaded, and the drawer copies it into
// a canvas: chromium then decodes the PNG or JPEG right there, on the main thread, inside a frame.
// Waiting for `image.decode()` first lets the browser decode on its image threads, so a tile that
// arrives while the user pans costs the frame a copy, not a decode.
export function decodeTilesBeforeDrawing(OSD) {
  const proto = OSD.TileSource.prototype;
  if (proto.decodesBeforeDrawing || typeof Image.prototype.decode !== 'function') return;
  const original = proto.downloadTileStart;
  proto.downloadTileStart = function downloadTileStart(context) {
    if (context.loadWithAjax) return original.call(this, context);
    const image = new Image();
    context.userData.imageRequest = image; // downloadTileAbort clears its handlers and source
    image.onload = () => {
      image.onload = image.onerror = image.onabort = null;
      image.decode().catch(() => {}).then(() => {
        // An aborted job (downloadTileAbort empties the source) is not finished.
        if (image.getAttribute('src')) context.finish(image, null, 'image');
      });
    };
    image.onabort = image.onerror = () => {
      image.onload = image.onerror = image.onabort = null;
      context.fail('[downloadTileStart] Image load aborted or errored out.', null);
    };
    if (typeof context.crossOriginPolicy === 'string') image.crossOrigin = context.crossOriginPolicy;
    image.src = context.src;
  };
  proto.decodesBeforeDrawing = true;
}
