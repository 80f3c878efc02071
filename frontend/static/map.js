// The MapLibre side of citygrid's web app. MapLibre GL JS is an ES module served from
// /maplibre/ (its dist folder, so it finds its worker); this module draws the base layers
// straight from the API and exposes a few functions to the Rust/wasm app, then starts it.
import * as maplibregl from './maplibre/maplibre-gl.mjs';

const API = '/api/v1/layers/';
const LAYERS = {
  communities: [
    { type: 'fill', paint: { 'fill-color': '#8fb8a8', 'fill-opacity': 0.18 } },
    { type: 'line', paint: { 'line-color': '#2f6f5e', 'line-width': 2.5 } },
  ],
  zones: [
    {
      type: 'fill',
      paint: {
        'fill-color': ['match', ['get', 'level'],
          'demonstration', '#3b82f6', 'prohibited', '#dc2626', 'strict', '#f97316',
          'controlled', '#eab308', 'permitted', '#16a34a', '#888'],
        'fill-opacity': 0.3,
      },
    },
  ],
  grids: [
    { type: 'fill', paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.01 } },
    { type: 'line', paint: { 'line-color': '#7a8c99', 'line-width': 0.8, 'line-dasharray': [2, 1] } },
  ],
  streets: [
    {
      type: 'line',
      paint: {
        'line-color': ['match', ['get', 'class'], 'primary', '#c2410c', 'secondary', '#d97706', '#64748b'],
        'line-width': ['match', ['get', 'class'], 'primary', 5, 'secondary', 4, 2],
      },
    },
  ],
  components: [
    { type: 'circle', minzoom: 15, paint: { 'circle-radius': 2.5, 'circle-color': '#475569' } },
  ],
  shops: [
    { type: 'fill', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#7c3aed', 'fill-opacity': 0.45 } },
    { type: 'circle', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 3.5, 'circle-color': '#7c3aed', 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } },
  ],
};

let map = null;
let marker = null;

function extent(geojson) {
  let [x0, y0, x1, y1] = [180, 90, -180, -90];
  const visit = (c) => {
    if (typeof c[0] === 'number') {
      x0 = Math.min(x0, c[0]); y0 = Math.min(y0, c[1]); x1 = Math.max(x1, c[0]); y1 = Math.max(y1, c[1]);
    } else c.forEach(visit);
  };
  geojson.features.forEach((f) => f.geometry && visit(f.geometry.coordinates));
  return x0 <= x1 ? [[x0, y0], [x1, y1]] : null;
}

window.citygridMap = {
  create(containerId, onClick) {
    const container = document.getElementById(containerId);
    map = new maplibregl.Map({
      container,
      style: { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef1ec' } }] },
      center: [116.8, 33.95],
      zoom: 13,
      attributionControl: false,
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    map.addControl(new maplibregl.NavigationControl(), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    map.on('load', async () => {
      const loaded = await Promise.all(Object.keys(LAYERS).map(async (name) => {
        const response = await fetch(API + name);
        const data = response.ok ? await response.json() : { type: 'FeatureCollection', features: [] };
        map.addSource(name, { type: 'geojson', data });
        LAYERS[name].forEach((spec, i) => map.addLayer({ id: `${name}-${i}`, source: name, ...spec }));
        return [name, data];
      }));
      const grids = loaded.find(([name]) => name === 'grids')[1];
      const bounds = extent(grids.features.length ? grids : loaded.find(([name]) => name === 'streets')[1]);
      if (bounds) map.fitBounds(bounds, { padding: 20, duration: 0 });
      container.dataset.features = String(loaded.reduce((n, [, d]) => n + d.features.length, 0));
      map.once('idle', () => { container.dataset.ready = '1'; });
    });
    map.on('click', (e) => onClick(e.lngLat.lng, e.lngLat.lat));
    map.getCanvas().style.cursor = 'crosshair';
  },
  setVisible(layer, visible) {
    if (!map) return;
    (LAYERS[layer] || []).forEach((_, i) => {
      const id = `${layer}-${i}`;
      if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    });
  },
  showPoint(lon, lat) {
    if (!map) return;
    if (!marker) marker = new maplibregl.Marker({ color: '#dc2626' });
    marker.setLngLat([lon, lat]).addTo(map);
    map.easeTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), 16) });
  },
};

const wasm = await import('./pkg/citygrid_web.js');
await wasm.default();
