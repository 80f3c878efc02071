// The MapLibre side of citygrid's web app. MapLibre GL JS is an ES module served from
// /maplibre/ (its dist folder, so it finds its worker); this module draws the base layers
// straight from the API, the cases, candidates, officers and analyses the Rust/wasm app hands
// it, and calls the app back on clicks. When the background tiles are GCJ-02, every coordinate
// drawn is shifted onto them (with the app's own transform) and every click shifted back.
import * as maplibregl from './maplibre/maplibre-gl.mjs';

const API = '/api/v1/layers/';

// Start MapLibre's workers now, while the app logs in, not when the map is made.
maplibregl.prewarm();
// Labels are drawn by MapLibre itself (no glyph server: without a `glyphs` URL every character
// is drawn locally with the browser's fonts), so the map reads with no tile server at all.
const TEXT = { 'text-font': ['sans-serif'] };
const HALO = { 'text-halo-color': '#ffffff', 'text-halo-width': 1.6 };
// The district's own layers are the offline background: street casings with names, community
// outlines with names; zones in their own hues (never the reds of the hot-spot legend).
const SECTION_HUE = ['match', ['get', 'area'], 'rural', '#65a30d', '#0284c7'];
const HIDDEN = { visibility: 'none' };
const LAYERS = {
  // Cleaning contract sections, shown when asked for: areas and the streets swept, town in blue,
  // villages in green.
  sections: [
    { type: 'fill', layout: HIDDEN, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': SECTION_HUE, 'fill-opacity': 0.14 } },
    { type: 'line', layout: HIDDEN, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'line-color': SECTION_HUE, 'line-width': 2, 'line-dasharray': [4, 2] } },
    { type: 'line', layout: { ...HIDDEN, 'line-cap': 'round' }, filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': SECTION_HUE, 'line-width': 9, 'line-opacity': 0.45 } },
    {
      type: 'symbol', minzoom: 14,
      layout: { ...HIDDEN, ...TEXT, 'text-field': ['concat', ['get', 'name'], '\n', ['get', 'contractor']], 'text-size': 12 },
      paint: { 'text-color': '#075985', ...HALO },
    },
  ],
  communities: [
    { type: 'fill', paint: { 'fill-color': '#8fb8a8', 'fill-opacity': 0.18 } },
    { type: 'line', paint: { 'line-color': '#2f6f5e', 'line-width': 2.5 } },
    {
      type: 'symbol', maxzoom: 16,
      layout: { ...TEXT, 'text-field': ['get', 'name'], 'text-size': 15, 'text-padding': 20 },
      paint: { 'text-color': '#1f4f42', ...HALO },
    },
  ],
  zones: [
    {
      type: 'fill',
      paint: {
        'fill-color': ['match', ['get', 'level'],
          'demonstration', '#0369a1', 'prohibited', '#6d28d9', 'strict', '#a21caf',
          'controlled', '#0f766e', 'permitted', '#65a30d', '#64748b'],
        'fill-opacity': 0.12,
      },
    },
    {
      type: 'line',
      paint: {
        'line-color': ['match', ['get', 'level'],
          'demonstration', '#0369a1', 'prohibited', '#6d28d9', 'strict', '#a21caf',
          'controlled', '#0f766e', 'permitted', '#65a30d', '#64748b'],
        'line-width': 1.5, 'line-dasharray': [3, 2],
      },
    },
  ],
  grids: [
    { type: 'fill', paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.01 } },
    { type: 'line', paint: { 'line-color': '#7a8c99', 'line-width': 0.8, 'line-dasharray': [2, 1] } },
    {
      type: 'symbol', minzoom: 15,
      layout: { ...TEXT, 'text-field': ['get', 'code'], 'text-size': 11 },
      paint: { 'text-color': '#475569', ...HALO },
    },
  ],
  streets: [
    {
      type: 'line',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': '#ffffff',
        'line-width': ['match', ['get', 'class'], 'primary', 8, 'secondary', 7, 4.5],
      },
    },
    {
      type: 'line',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': ['match', ['get', 'class'], 'primary', '#c2410c', 'secondary', '#d97706', '#64748b'],
        'line-width': ['match', ['get', 'class'], 'primary', 5, 'secondary', 4, 2],
      },
    },
    {
      type: 'symbol', minzoom: 13,
      layout: {
        ...TEXT, 'text-field': ['get', 'name'], 'text-size': 13,
        'symbol-placement': 'line', 'symbol-spacing': 300, 'text-max-angle': 35,
      },
      paint: { 'text-color': '#1e293b', ...HALO },
    },
  ],
  components: [
    { type: 'circle', minzoom: 15, paint: { 'circle-radius': 2.5, 'circle-color': '#475569' } },
  ],
  // Shops only where they can be told apart: at district zoom they would cover everything.
  shops: [
    // Coloured by the shop's door-front rating once surveyed (its band's colour), violet before.
    { type: 'fill', minzoom: 15, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': ['coalesce', ['feature-state', 'rating'], '#7c3aed'], 'fill-opacity': 0.45 } },
    { type: 'circle', minzoom: 15, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 15, 2, 18, 5], 'circle-color': ['coalesce', ['feature-state', 'rating'], '#7c3aed'], 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } },
    {
      type: 'symbol', minzoom: 17.5,
      layout: { ...TEXT, 'text-field': ['get', 'name'], 'text-size': 11, 'text-offset': [0, 1], 'text-optional': true },
      paint: { 'text-color': '#5b21b6', ...HALO },
    },
  ],
};

// The symbol layers a person reads, by what they name (the browser test counts what is drawn).
const LABEL_LAYERS = {
  streets: 'streets-2', communities: 'communities-2', grids: 'grids-2', clusters: 'cases-count',
};

// Case states, coloured the same way everywhere in the app (style.css has the legend).
export const STATUS_COLOURS = {
  reported: '#f59e0b', registered: '#eab308', dispatched: '#2563eb', handled: '#0891b2',
  verified: '#0d9488', closed: '#9ca3af', rejected: '#d1d5db', void: '#d1d5db',
};

const EMPTY = { type: 'FeatureCollection', features: [] };
let map = null;
let marker = null;
let selfMark = null;
// The base layers as downloaded, for the names offered while typing a place.
let downloaded = {};
let wasm = null;
let shifted = false;
let grids = EMPTY;
let ready = null;
let lastOfficers = [];
let labels = [];
const pending = [];

// WGS 84 → the tiles' system and back (identity without GCJ-02 tiles).
const toMap = (c) => (shifted ? Array.from(wasm.wgs84_to_gcj02(c[0], c[1])) : c);
const fromMap = (lon, lat) => (shifted ? Array.from(wasm.gcj02_to_wgs84(lon, lat)) : [lon, lat]);

function shiftCoords(c) {
  return typeof c[0] === 'number' ? toMap(c) : c.map(shiftCoords);
}

function shift(geojson) {
  if (!shifted || !geojson) return geojson;
  return {
    ...geojson,
    features: geojson.features.map((f) => (f.geometry
      ? { ...f, geometry: { ...f.geometry, coordinates: shiftCoords(f.geometry.coordinates) } }
      : f)),
  };
}

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

// Runs `work` once the style and base layers are in place.
function whenReady(work) {
  if (ready) work(); else pending.push(work);
}

function setData(source, data) {
  whenReady(() => map.getSource(source).setData(shift(data)));
}

function addOverlays() {
  map.addSource('analysis', { type: 'geojson', data: EMPTY });
  map.addLayer({ id: 'analysis-fill', type: 'fill', source: 'analysis', paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.62 } }, 'streets-0');
  map.addSource('cases', {
    type: 'geojson', data: EMPTY, cluster: true, clusterRadius: 36, clusterMaxZoom: 16,
    clusterProperties: { overdue: ['+', ['case', ['get', 'overdue'], 1, 0]] },
  });
  map.addLayer({
    id: 'cases-clusters', type: 'circle', source: 'cases', filter: ['has', 'point_count'],
    paint: {
      'circle-color': ['step', ['get', 'point_count'], '#60a5fa', 50, '#3b82f6', 300, '#1d4ed8'],
      'circle-radius': ['step', ['get', 'point_count'], 11, 50, 16, 300, 22],
      'circle-opacity': 0.85,
      'circle-stroke-color': ['case', ['>', ['get', 'overdue'], 0], '#dc2626', '#ffffff'],
      'circle-stroke-width': ['case', ['>', ['get', 'overdue'], 0], 3, 1.5],
    },
  });
  map.addLayer({
    id: 'cases-count', type: 'symbol', source: 'cases', filter: ['has', 'point_count'],
    // Counts never hide a place's name: they are drawn whatever overlaps and block nothing.
    layout: { ...TEXT, 'text-field': ['get', 'point_count_abbreviated'], 'text-size': 12, 'text-allow-overlap': true, 'text-ignore-placement': true },
    paint: { 'text-color': '#ffffff' },
  });
  map.addLayer({
    id: 'cases-points', type: 'circle', source: 'cases', filter: ['!', ['has', 'point_count']],
    paint: {
      'circle-color': ['match', ['get', 'status'], ...Object.entries(STATUS_COLOURS).flat(), '#6b7280'],
      'circle-radius': ['case', ['get', 'overdue'], 8, 5.5],
      'circle-stroke-color': ['case', ['get', 'overdue'], '#b91c1c', '#ffffff'],
      'circle-stroke-width': ['case', ['get', 'overdue'], 3.5, 1.2],
    },
  });
  map.addSource('officers', { type: 'geojson', data: EMPTY });
  map.addLayer({
    id: 'officers', type: 'circle', source: 'officers',
    paint: {
      'circle-radius': 6,
      'circle-color': ['match', ['get', 'status'], 'on_duty', '#16a34a', 'busy', '#ea580c', '#9ca3af'],
      'circle-stroke-color': '#14532d', 'circle-stroke-width': 2,
    },
  });
  map.addSource('actions', { type: 'geojson', data: EMPTY });
  map.addLayer({
    id: 'actions', type: 'circle', source: 'actions',
    paint: { 'circle-radius': 7, 'circle-color': '#7c3aed', 'circle-opacity': 0.8, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
  });
  map.addSource('candidates', { type: 'geojson', data: EMPTY });
  map.addLayer({
    id: 'candidates-lines', type: 'line', source: 'candidates', filter: ['==', ['geometry-type'], 'LineString'],
    paint: { 'line-color': '#16a34a', 'line-width': ['case', ['==', ['get', 'rank'], 1], 4, 2], 'line-dasharray': [2, 1] },
  });
  map.addLayer({
    id: 'candidates-points', type: 'circle', source: 'candidates', filter: ['==', ['geometry-type'], 'Point'],
    paint: { 'circle-radius': ['case', ['==', ['get', 'rank'], 1], 10, 7], 'circle-color': '#22c55e', 'circle-stroke-color': '#14532d', 'circle-stroke-width': 2 },
  });
}

window.citygridMap = {
  // Creates the map in the element with this id. `onClick(lon, lat)` answers a click on the
  // map, `onCase(id)` a click on a case; `config` is the district (JSON): its tiles, if any.
  create(containerId, onClick, onCase, config) {
    const { tiles, bbox } = JSON.parse(config || '{}');
    shifted = Boolean(tiles && tiles.crs === 'gcj02');
    // A new session's map replaces the last one's.
    if (map) map.remove();
    ready = false;
    marker = null;
    selfMark = null;
    labels = [];
    const container = document.getElementById(containerId);
    const sources = {};
    const layers = [{ id: 'background', type: 'background', paint: { 'background-color': '#eef1ec' } }];
    if (tiles) {
      sources.tiles = { type: 'raster', tiles: [tiles.url], tileSize: 256, attribution: tiles.attribution || '' };
      layers.push({ id: 'tiles', type: 'raster', source: 'tiles' });
    }
    map = new maplibregl.Map({
      container,
      style: { version: 8, sources, layers },
      // The district's extent from the start: the first tiles drawn are the ones shown.
      ...(bbox ? { bounds: [toMap([bbox[0], bbox[1]]), toMap([bbox[2], bbox[3]])], fitBoundsOptions: { padding: 20 } } : { center: [116.8, 33.95], zoom: 13 }),
      attributionControl: tiles ? {} : false,
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    map.addControl(new maplibregl.NavigationControl(), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    // The layers download while the map starts.
    const downloads = Object.fromEntries(Object.keys(LAYERS).map((name) => [name,
      fetch(API + name).then((r) => (r.ok ? r.json() : EMPTY)).catch(() => EMPTY)]));
    map.on('load', async () => {
      const loaded = await Promise.all(Object.keys(LAYERS).map(async (name) => {
        const data = await downloads[name];
        // Shops are known by their code, so that a rating can colour one (feature state).
        map.addSource(name, { type: 'geojson', data: shift(data), ...(name === 'shops' ? { promoteId: 'code' } : {}) });
        LAYERS[name].forEach((spec, i) => {
          if (spec.type !== 'symbol') map.addLayer({ id: `${name}-${i}`, source: name, ...spec });
        });
        return [name, data];
      }));
      // Labels above every shape, the first layer's last: MapLibre places the topmost labels
      // first, so community names win over street names, and street names over grid codes.
      Object.keys(LAYERS).reverse().forEach((name) => LAYERS[name].forEach((spec, i) => {
        if (spec.type === 'symbol') map.addLayer({ id: `${name}-${i}`, source: name, ...spec });
      }));
      grids = loaded.find(([name]) => name === 'grids')[1];
      loaded.forEach(([name, data]) => { downloaded[name] = data; });
      addOverlays();
      const bounds = extent(shift(grids.features.length ? grids : loaded.find(([name]) => name === 'streets')[1]));
      if (bounds) map.fitBounds(bounds, { padding: 20, duration: 0 });
      container.dataset.features = String(loaded.reduce((n, [, d]) => n + d.features.length, 0));
      ready = true;
      pending.splice(0).forEach((work) => work());
      map.once('idle', () => { container.dataset.ready = '1'; });
    });
    map.on('click', (e) => {
      const hit = map.queryRenderedFeatures(e.point, { layers: ['cases-points', 'cases-clusters'] })[0];
      if (hit && hit.properties.cluster_id !== undefined) {
        map.getSource('cases').getClusterExpansionZoom(hit.properties.cluster_id)
          .then((zoom) => map.easeTo({ center: hit.geometry.coordinates, zoom }));
        return;
      }
      if (hit) { onCase(Number(hit.properties.id)); return; }
      const [lon, lat] = fromMap(e.lngLat.lng, e.lngLat.lat);
      onClick(lon, lat);
    });
    for (const layer of ['cases-points', 'cases-clusters']) {
      map.on('mouseenter', layer, () => { map.getCanvas().style.cursor = 'pointer'; });
      map.on('mouseleave', layer, () => { map.getCanvas().style.cursor = 'crosshair'; });
    }
    map.getCanvas().style.cursor = 'crosshair';
  },
  // Shops' door-front ratings (`GET /shops/ratings`'s list): each shop drawn in its band's colour.
  setShopRatings(json) {
    const ratings = JSON.parse(json);
    whenReady(() => {
      map.removeFeatureState({ source: 'shops' });
      ratings.forEach((r) => map.setFeatureState({ source: 'shops', id: r.shop }, { rating: r.colour }));
      map.getContainer().dataset.rated = String(ratings.length);
    });
  },
  setVisible(layer, visible) {
    whenReady(() => (LAYERS[layer] || []).forEach((_, i) => {
      const id = `${layer}-${i}`;
      if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    }));
  },
  // The cases to draw (a FeatureCollection of points as `format=points` gives), clustered.
  setCases(json) {
    const data = JSON.parse(json);
    whenReady(() => {
      const container = map.getContainer();
      delete container.dataset.casesReady;
      map.getSource('cases').setData(shift(data));
      map.once('idle', () => {
        container.dataset.cases = String(data.features.length);
        container.dataset.casesReady = '1';
      });
    });
  },
  // Officers with a known position: [{code, lon, lat, status}].
  setOfficers(json) {
    const officers = JSON.parse(json);
    lastOfficers = officers;
    setData('officers', {
      type: 'FeatureCollection',
      features: officers.map((o) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [o.lon, o.lat] }, properties: o })),
    });
  },
  // A campaign's actions: [{id, lon, lat}]; an empty list clears them.
  setActions(json) {
    const actions = JSON.parse(json);
    setData('actions', {
      type: 'FeatureCollection',
      features: actions.map((a) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [a.lon, a.lat] }, properties: { id: a.id } })),
    });
    whenReady(() => map.once('idle', () => { map.getContainer().dataset.actions = String(actions.length); }));
  },
  // Candidates for a case: [{officer, rank, lon, lat, label}] and the case's point. Each
  // officer carries its label (rank, code, ETA) on the map.
  setCandidates(json, lon, lat) {
    const list = JSON.parse(json);
    whenReady(() => {
      labels.forEach((m) => m.remove());
      labels = list.map((c) => {
        const el = document.createElement('div');
        el.className = c.rank === 1 ? 'eta-label first' : 'eta-label';
        el.textContent = c.label || String(c.rank);
        return new maplibregl.Marker({ element: el, anchor: 'bottom', offset: [0, -10] })
          .setLngLat(toMap([c.lon, c.lat])).addTo(map);
      });
    });
    const features = list.flatMap((c) => [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [c.lon, c.lat] }, properties: { rank: c.rank, officer: c.officer } },
      { type: 'Feature', geometry: { type: 'LineString', coordinates: [[c.lon, c.lat], [lon, lat]] }, properties: { rank: c.rank } },
    ]);
    setData('candidates', { type: 'FeatureCollection', features });
    whenReady(() => map.once('idle', () => { map.getContainer().dataset.candidates = String(list.length); }));
  },
  // Colours grid cells: {code: '#rrggbb'}; cells not named are left clear.
  setGridColours(json) {
    const colours = JSON.parse(json);
    whenReady(() => {
      const features = grids.features
        .filter((f) => colours[f.properties.code])
        .map((f) => ({ ...f, properties: { code: f.properties.code, colour: colours[f.properties.code] } }));
      map.getSource('analysis').setData(shift({ type: 'FeatureCollection', features }));
      map.once('idle', () => { map.getContainer().dataset.analysis = String(features.length); });
    });
  },
  // A heat surface as `/analytics/heat` gives it (`heat` member), drawn as an image; null clears.
  setHeat(json) {
    whenReady(() => {
      if (map.getLayer('heat')) map.removeLayer('heat');
      if (map.getSource('heat')) map.removeSource('heat');
      const heat = JSON.parse(json);
      if (!heat || !heat.values || !heat.max) return;
      const canvas = document.createElement('canvas');
      [canvas.width, canvas.height] = [heat.cols, heat.rows];
      const ctx = canvas.getContext('2d');
      const image = ctx.createImageData(heat.cols, heat.rows);
      for (let r = 0; r < heat.rows; r += 1) {
        for (let c = 0; c < heat.cols; c += 1) {
          const v = heat.values[r * heat.cols + c] / heat.max;
          // Row 0 is the southernmost; the image's first row is its top.
          const i = ((heat.rows - 1 - r) * heat.cols + c) * 4;
          image.data[i] = 255;
          image.data[i + 1] = Math.round(230 * (1 - v));
          image.data[i + 2] = Math.round(60 * (1 - v));
          image.data[i + 3] = v < 0.03 ? 0 : Math.round(40 + 200 * v);
        }
      }
      ctx.putImageData(image, 0, 0);
      const sw = toMap([heat.south_west.lon, heat.south_west.lat]);
      const ne = toMap([heat.north_east.lon, heat.north_east.lat]);
      // A canvas source: nothing is fetched, so the page's CSP needs no data: connections.
      map.addSource('heat', { type: 'canvas', canvas, animate: false, coordinates: [[sw[0], ne[1]], [ne[0], ne[1]], [ne[0], sw[1]], [sw[0], sw[1]]] });
      map.addLayer({ id: 'heat', type: 'raster', source: 'heat', paint: { 'raster-opacity': 0.75 } }, 'cases-clusters');
    });
  },
  // The extent of a layer file about to be imported (west, south, east, north in WGS 84), drawn
  // as a dashed outline and brought into view; `NaN`s clear it.
  showExtent(w, s, e, n) {
    whenReady(() => {
      const ring = [[w, s], [e, s], [e, n], [w, n], [w, s]].map(toMap);
      const data = Number.isNaN(w) ? EMPTY : { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: ring } }] };
      if (!map.getSource('extent')) {
        map.addSource('extent', { type: 'geojson', data });
        map.addLayer({ id: 'extent', type: 'line', source: 'extent', paint: { 'line-color': '#b45309', 'line-width': 3, 'line-dasharray': [3, 2] } });
      } else map.getSource('extent').setData(data);
      if (!Number.isNaN(w)) map.fitBounds([ring[0], ring[2]], { padding: 30, maxZoom: 17 });
    });
  },
  showPoint(lon, lat) {
    whenReady(() => {
      if (!marker) marker = new maplibregl.Marker({ color: '#dc2626' });
      const at = toMap([lon, lat]);
      marker.setLngLat(at).addTo(map);
      map.easeTo({ center: at, zoom: Math.max(map.getZoom(), 16) });
    });
  },
  // The phone's own position: a blue dot with its accuracy as a ring, brought into view at
  // street zoom (the whole district would leave a phone's narrow map mostly empty).
  showSelf(lon, lat, accuracy) {
    whenReady(() => {
      const at = toMap([lon, lat]);
      if (!selfMark) {
        const el = document.createElement('div');
        el.className = 'self-mark';
        el.setAttribute('aria-label', 'self');
        selfMark = new maplibregl.Marker({ element: el });
      }
      selfMark.setLngLat(at).addTo(map);
      const ring = Math.max(accuracy || 0, 5);
      selfMark.getElement().dataset.accuracy = String(Math.round(ring));
      map.getContainer().dataset.self = `${lon.toFixed(6)},${lat.toFixed(6)}`;
      map.jumpTo({ center: at, zoom: Math.max(map.getZoom(), 16) });
    });
  },
  // The names of a base layer's features (their codes where they have none), sorted, as JSON.
  names(layer) {
    const features = (downloaded[layer] || EMPTY).features;
    const names = features.map((f) => f.properties.name || f.properties.code).filter(Boolean);
    return JSON.stringify([...new Set(names)].sort());
  },
  // Where a WGS 84 point is drawn on the screen, `[x, y]` in CSS pixels of the map's box.
  screenPoint(lon, lat) {
    const p = map.project(toMap([lon, lat]));
    return [p.x, p.y];
  },
  // Frames drawn per second while the map zooms in two levels and back out (smoothness).
  async measureZoom() {
    let frames = 0;
    const count = () => { frames += 1; };
    map.on('render', count);
    const start = performance.now();
    for (const step of [2, -2]) {
      // eslint-disable-next-line no-await-in-loop
      await new Promise((done) => { map.once('moveend', done); map.zoomTo(map.getZoom() + step, { duration: 1500 }); });
    }
    map.off('render', count);
    return frames / ((performance.now() - start) / 1000);
  },
  // The case colours by status, for the legends (JSON: {status: '#rrggbb'}).
  statusColours() {
    return JSON.stringify(STATUS_COLOURS);
  },
  // How many labels of each kind are drawn on the canvas now: {streets, communities, grids, clusters}.
  labelsDrawn() {
    return Object.fromEntries(Object.entries(LABEL_LAYERS).map(([kind, id]) => [kind,
      map.getLayer(id) ? map.queryRenderedFeatures({ layers: [id] }).length : 0]));
  },
  // Moves the view (the browser test zooms in to read grid codes).
  jumpTo(lon, lat, zoom) {
    whenReady(() => map.jumpTo({ center: toMap([lon, lat]), zoom }));
  },
  // The officers drawn now, as last given.
  officers() {
    return lastOfficers;
  },
  // Whether the data is shifted onto GCJ-02 tiles, and where a WGS 84 point is drawn.
  shifted() {
    return shifted;
  },
  toMap(lon, lat) {
    return toMap([lon, lat]);
  },
  // After the map's box changed size (a view was shown or hidden).
  resize() {
    if (map) map.resize();
  },
};

// The phone's position for the officer's view: onFix(lon, lat, accuracy) or onFix(NaN, …).
window.citygridDevice = {
  locate(onFix) {
    if (!navigator.geolocation) { onFix(NaN, NaN, NaN); return; }
    navigator.geolocation.getCurrentPosition(
      (p) => onFix(p.coords.longitude, p.coords.latitude, p.coords.accuracy),
      () => onFix(NaN, NaN, NaN),
      { enableHighAccuracy: true, timeout: 10000 },
    );
  },
};

wasm = await import('./pkg/citygrid_web.js');
await wasm.default();
