// A scale bar in microns (or pixels when the slide's pixel size is unknown), 1-2-5 steps.
export class ScaleBar {
  constructor(container, micronsPerPixel) {
    this.mpp = micronsPerPixel;
    this.bar = document.createElement('div');
    this.bar.className = 'scalebar';
    this.label = document.createElement('span');
    this.bar.append(this.label);
    container.append(this.bar);
  }

  /** A new pixel size (µm per pixel, or null), shown at the next update. */
  setPixelSize(micronsPerPixel) {
    this.mpp = micronsPerPixel;
    this.text = null;
    this.width = null;
  }

  /** screenPerImage: screen pixels per image pixel at the current zoom. */
  update(screenPerImage) {
    if (!(screenPerImage > 0)) return;
    const unitPerScreen = (this.mpp || 1) / screenPerImage;
    const target = 120 * unitPerScreen; // about 120 screen pixels long
    const power = 10 ** Math.floor(Math.log10(target));
    const step = [5, 2, 1].map((m) => m * power).find((v) => v <= target) || power;
    // Called every frame while zooming: touch the page only when the bar changes (a style or text
    // write makes the browser lay the page out again).
    const width = `${Math.round(step / unitPerScreen)}px`;
    const text = this.mpp ? formatMicrons(step) : `${step} px`;
    if (width !== this.width) this.bar.style.width = this.width = width;
    if (text !== this.text) this.label.textContent = this.text = text;
  }
}

function formatMicrons(um) {
  if (um >= 1000) return `${um / 1000} mm`;
  if (um < 1) return `${Math.round(um * 1000)} nm`;
  return `${um} µm`;
}
