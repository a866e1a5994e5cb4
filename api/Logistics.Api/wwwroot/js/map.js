import { t } from './i18n.js';
import { esc } from './common.js';

// The pages' maps, drawn by the vendored Leaflet (/vendor/leaflet, loaded with the first map): the streets of the tile
// server the host names (GET /api/map), or a plain background when it names none, so no request leaves the network.
// Each map keeps its view across live refreshes; the lists beside it say the same in text.

// A home whose address was erased has no position any more: its stop stays in lists, not on maps.
export const located = place => place.latitude != null && place.longitude != null;

let loading = null;

// Each kind's mark in pixels (one with a number or sign in it is larger); css/app.css draws them.
const sizes = { locker: 22, shop: 12, relay: 16, stop: 14, pin: 22 };

function load() {
  const file = (tag, attributes) => new Promise((resolve, reject) => {
    const element = Object.assign(document.createElement(tag), attributes);
    element.onload = resolve;
    element.onerror = () => reject(new Error(`${attributes.src ?? attributes.href} did not load`));
    document.head.append(element);
  });
  loading ??= Promise.all([
    window.L ? null : file('script', { src: '/vendor/leaflet/leaflet.js' }),
    file('link', { rel: 'stylesheet', href: '/vendor/leaflet/leaflet.css' }),
    fetch('/api/map').then(r => (r.ok ? r.json() : {})).catch(() => ({})),
  ]).then(([, , settings]) => settings);
  return loading;
}

/**
 * The map drawn in `element` (created on the first call, the same one after): `draw` puts marks and paths on it.
 * A mark is { latitude, longitude, kind, label, text?, colour?, id?, onSelect?, ring? }: with onSelect it is a button
 * (Tab, Enter), else an image named by its label; a 'pin' (what the person places) does not move the view.
 * A path is { points: [[lat, lon], …], colour }, in stop order.
 */
export function placeMap(element) {
  element.placeMap ??= create(element);
  return element.placeMap;
}

async function create(element) {
  const settings = await load();
  const L = window.L;
  const map = L.map(element, { zoomControl: false });
  const zoom = L.control.zoom().addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  if (settings.tiles) {
    // The tile server learns this site's origin only, never the page (a tracking number is in its path).
    L.tileLayer(settings.tiles, { attribution: esc(settings.attribution), maxZoom: 19, referrerPolicy: 'strict-origin' }).addTo(map);
  }
  element.classList.add('map-view', settings.tiles ? 'with-tiles' : 'plain');
  element.setAttribute('role', 'region');
  const layer = L.layerGroup().addTo(map);
  let fitted = null;

  const draw = ({ label, marks = [], paths = [] }) => {
    element.setAttribute('aria-label', label);
    // Leaflet names its zoom buttons once; the page's language may have changed since.
    for (const [button, key] of [[zoom.getContainer().querySelector('.leaflet-control-zoom-in'), 'map.zoomIn'], [zoom.getContainer().querySelector('.leaflet-control-zoom-out'), 'map.zoomOut']]) {
      button.title = t(key);
      button.setAttribute('aria-label', t(key));
    }
    map.invalidateSize();
    // First the view (Leaflet draws layers only on a map that has one); it follows the places when they change (a new
    // locker, another round), not on every refresh.
    const points = [...marks.filter(m => m.kind !== 'pin').map(m => [m.latitude, m.longitude]), ...paths.flatMap(p => p.points)];
    const key = JSON.stringify(points.map(([a, b]) => [a.toFixed(4), b.toFixed(4)]).sort());
    if (points.length && key !== fitted) {
      fitted = key;
      if (new Set(points.map(String)).size === 1) map.setView(points[0], 17);
      else map.fitBounds(points, { padding: [30, 30], maxZoom: 17 });
    }
    layer.clearLayers();
    // Straight lines from stop to stop, every stop a vertex (no smoothing away of stops a few pixels apart).
    for (const path of paths) {
      L.polyline(path.points, { color: path.colour, weight: 3, opacity: 0.8, dashArray: '6 4', interactive: false, className: 'map-path', smoothFactor: 0 }).addTo(layer);
    }
    for (const mark of marks) {
      const size = sizes[mark.kind.split(' ')[0]] + (mark.text ? 8 : 0);
      const icon = L.divIcon({ className: `map-mark ${mark.kind}${mark.ring ? ' ring' : ''}`, html: `<span${mark.colour ? ` style="--mark:${esc(mark.colour)}"` : ''}>${esc(mark.text ?? '')}</span>`, iconSize: [size, size] });
      const marker = L.marker([mark.latitude, mark.longitude], { icon, title: mark.label, keyboard: !!mark.onSelect, interactive: !!mark.onSelect, riseOnHover: true }).addTo(layer);
      const el = marker.getElement();
      el.setAttribute('aria-label', mark.label);
      if (!mark.onSelect) el.setAttribute('role', 'img');
      el.dataset.mark = mark.kind;
      if (mark.id) el.dataset.id = mark.id;
      if (mark.onSelect) {
        // Leaflet makes the mark a focusable button but leaves its keys to us: Enter and Space press it.
        marker.on('click', mark.onSelect);
        marker.on('keypress', e => {
          if (e.originalEvent.key !== 'Enter' && e.originalEvent.key !== ' ') return;
          e.originalEvent.preventDefault();
          mark.onSelect();
        });
      }
    }
  };
  return { map, draw };
}
