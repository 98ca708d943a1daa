// Lengths and areas as a pathologist reads them: µm and µm² when the slide knows its pixel size,
// pixels otherwise (and then the unit says so).

export function lengthText(px, micronsPerPixel) {
  if (!micronsPerPixel) return `${number(px)} px`;
  const um = px * micronsPerPixel;
  return um >= 10000 ? `${number(um / 1000, 2)} mm` : `${number(um, um < 10 ? 2 : 1)} µm`;
}

export function areaText(px2, micronsPerPixel) {
  if (!micronsPerPixel) return `${number(px2)} px²`;
  const um2 = px2 * micronsPerPixel * micronsPerPixel;
  return um2 >= 1e6 ? `${number(um2 / 1e6, 3)} mm²` : `${number(um2, um2 < 100 ? 1 : 0)} µm²`;
}

function number(v, digits = 0) {
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}
