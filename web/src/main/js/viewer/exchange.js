// Region exchange formats the server converts to and from (one file per slice, a zip per series).
export const exchangeFormats = [
  { id: 'geojson', label: 'GeoJSON (QuPath)', extension: 'geojson' },
  { id: 'microdraw', label: 'MicroDraw JSON', extension: 'json' },
];
