// While the view moves, OpenSeadragon draws tiles without image smoothing (nearest pixel): in a
// software rasteriser (chromium without a GPU) that makes a frame of two tiled images markedly
// cheaper, and at 60 frames a second nobody sees the difference. Once the view has been still for
// `settleMs`, smoothing comes back and the still picture is drawn smooth.
export function smoothWhenStill(viewer, settleMs = 150) {
  let moving = false;
  let timer = null;
  const settle = () => {
    moving = false;
    viewer.drawer.setImageSmoothingEnabled(true);
  };
  viewer.addHandler('viewport-change', () => {
    if (!moving) {
      moving = true;
      viewer.drawer.setImageSmoothingEnabled(false);
    }
    clearTimeout(timer);
    timer = setTimeout(settle, settleMs);
  });
  return () => clearTimeout(timer);
}
