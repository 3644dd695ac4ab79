/* mali-map interactive page.
 * Reads the one embedded JSON payload: a sparse cube of partial sums (unit x sector x
 * organisation x status x year span x copy), points (markers up to a cap, grid cells above),
 * shared boundaries and strings. One generic reducer, driven by the metric registry's
 * descriptors, computes every number shown: choropleth, legend, counts, tooltips,
 * popups and the summary tables. Every string from the data is put into the DOM as
 * text (textContent / text nodes), never as HTML.
 */
(function () {
  'use strict';

  var D = JSON.parse(document.getElementById('mm-data').textContent);
  var T = D.t;
  /* numbers as the Python side writes them: English digits, the page language's
     separators from the one table of interface text (mali_map._core._i18n) */
  var nf = new Intl.NumberFormat('en-GB', {maximumFractionDigits: 1});
  var SEP = {',': s('number.thousands'), '.': s('number.decimal')};

  function fmt(n) {
    if (typeof n !== 'number' || !isFinite(n)) { return '–'; }
    return nf.format(n).replace(/[,.]/g, function (c) { return SEP[c]; });
  }
  function s(key) { return Object.prototype.hasOwnProperty.call(T, key) ? T[key] : key; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function has(v) { return v !== undefined && v !== null && v !== ''; }

  /* ------------------------------------------------------------------ decoding */
  function inflate(b64) {
    var bin = atob(b64);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i += 1) { bytes[i] = bin.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
    return new Response(stream).arrayBuffer().then(function (buf) { return new Uint8Array(buf); });
  }

  function varints(bytes, count, zig) {
    var out = new Float64Array(count);
    var pos = 0;
    for (var i = 0; i < count; i += 1) {
      var v = 0, mul = 1, b;
      do { b = bytes[pos]; pos += 1; v += (b & 127) * mul; mul *= 128; } while (b >= 128);
      out[i] = zig ? (v % 2 === 0 ? v / 2 : -(v + 1) / 2) : v;
    }
    return out;
  }

  function planes(bytes, count, width, zig) {
    var out = new Float64Array(count);
    for (var j = 0, mul = 1; j < width; j += 1, mul *= 256) {
      var base = j * count;
      for (var i = 0; i < count; i += 1) { out[i] += bytes[base + i] * mul; }
    }
    if (zig) {
      for (var k = 0; k < count; k += 1) { var v = out[k]; out[k] = v % 2 === 0 ? v / 2 : -(v + 1) / 2; }
    }
    return out;
  }

  /* A table from _encode.encode_table: {rows, dims: {name: Int32Array}, cols: {name: Float64Array}, sizes} */
  function decodeTable(t, raw) {
    var n = t.rows, off = 0, cols = {};
    t.columns.forEach(function (c) {
      var part = raw.subarray(off, off + c.bytes);
      off += c.bytes;
      if (c.enc === 'f') {
        var view = new DataView(part.buffer, part.byteOffset, part.byteLength);
        var f = new Float64Array(n);
        for (var i = 0; i < n; i += 1) { f[i] = view.getFloat64(i * 8, true); }
        cols[c.name] = f;
      } else {
        cols[c.name] = c.width ? planes(part, n, c.width, c.enc === 'z') : varints(part, n, c.enc === 'z');
        if (c.scale) {
          for (var k = 0; k < n; k += 1) { cols[c.name][k] /= c.scale; }
        }
      }
    });
    t.columns.forEach(function (c) {
      if (c.minus) {
        var a = cols[c.name], base = cols[c.minus];
        for (var i = 0; i < n; i += 1) { a[i] = base[i] - a[i]; }
      }
    });
    var dims = {}, sizes = {};
    t.dims.forEach(function (d, j) { dims[d] = new Int32Array(n); sizes[d] = t.sizes[j]; });
    var key = cols['@key'], k = 0;
    for (var i = 0; i < n; i += 1) {
      k += key[i];
      var rest = k;
      for (var j = t.dims.length - 1; j >= 0; j -= 1) {
        var size = Math.max(t.sizes[j], 1);
        var q = Math.floor(rest / size);
        dims[t.dims[j]][i] = rest - q * size;
        rest = q;
      }
    }
    delete cols['@key'];
    return {rows: n, dims: dims, cols: cols, sizes: sizes};
  }

  function fail(err) {
    var side = document.getElementById('mm-side');
    side.appendChild(el('p', 'mm-error', String(err && err.message ? err.message : err)));
    document.body.setAttribute('data-mm-error', '1');
    throw err;
  }

  var waits = [inflate(D.cube.data)];
  waits.push(D.points.mode === 'grid' ? inflate(D.points.cells.data) : null);
  waits.push(D.programmes.counts ? inflate(D.programmes.counts.data) : null);
  Promise.all(waits).then(function (raw) {
    start(decodeTable(D.cube, raw[0]), raw[1] ? decodeTable(D.points.cells, raw[1]) : null,
      raw[2] ? decodeTable(D.programmes.counts, raw[2]) : null);
  }).catch(fail);

  function start(C, G, PC) {
    var DESC = D.descriptors;
    var sectors = D.sectors;
    var units = D.units.features;
    var nUnits = units.length;
    var state = {metric: D.metric, sector: 0, org: 0, status: 0, year: 0, hidden: new Set()};
    var current = {mask: null, byUnit: null, selected: 0, onMap: 0, tables: {}};
    var updates = 0;

    /* -------------------------------------------------------------- filters */
    function spanOk() {
      var ok = new Uint8Array(D.spans.length + 1);
      for (var i = 0; i < D.spans.length; i += 1) {
        ok[i + 1] = state.year === 0 || (D.spans[i][0] <= state.year && state.year <= D.spans[i][1]) ? 1 : 0;
      }
      ok[0] = state.year === 0 ? 1 : 0;
      return ok;
    }

    /* Which rows of table X (cube or grid cells) pass the filters. */
    function filterMask(X, ignoreHidden) {
      var mask = new Uint8Array(X.rows);
      var sec = X.dims.sector, org = X.dims.organisation, st = X.dims.status, sp = X.dims.span;
      var spans = spanOk();
      for (var i = 0; i < X.rows; i += 1) {
        if (state.sector && sec[i] !== state.sector) { continue; }
        if (state.org && org[i] !== state.org) { continue; }
        if (state.status && st[i] !== state.status) { continue; }
        if (!spans[sp[i]]) { continue; }
        if (!ignoreHidden && state.hidden.has(sec[i])) { continue; }
        mask[i] = 1;
      }
      return mask;
    }

    /* ------------------------------------------------------------ reducer */
    /* Every registered metric per group: groupOf(i) -> group index in [0, nGroups) or -1.
     * rows: sum of a column; sum: sum of a column, missing (NaN) where no record states it;
     * distinct: distinct non-missing (code > 0) values of a dimension among rows with n > 0. */
    function reduce(mask, groupOf, nGroups) {
      var acc = DESC.map(function (d) {
        var a = {d: d, v: new Float64Array(nGroups)};
        if (d.kind === 'rows') { a.col = C.cols[d.column]; }
        if (d.kind === 'sum') { a.col = C.cols[d.column]; a.st = C.cols[d.stated]; a.n = new Float64Array(nGroups); }
        if (d.kind === 'distinct') {
          a.dim = C.dims[d.field];
          a.size = C.sizes[d.field];
          a.seen = new Uint8Array(nGroups * a.size);
        }
        return a;
      });
      var rows = C.cols.n;
      for (var i = 0; i < C.rows; i += 1) {
        if (!mask[i]) { continue; }
        var g = groupOf(i);
        if (g < 0) { continue; }
        for (var j = 0; j < acc.length; j += 1) {
          var a = acc[j];
          if (a.d.kind === 'rows') { a.v[g] += a.col[i]; }
          else if (a.d.kind === 'sum') { a.v[g] += a.col[i]; a.n[g] += a.st[i]; }
          else {
            var code = a.dim[i];
            if (code > 0 && rows[i] > 0 && !a.seen[g * a.size + code]) {
              a.seen[g * a.size + code] = 1;
              a.v[g] += 1;
            }
          }
        }
      }
      var out = {};
      acc.forEach(function (a) {
        if (a.d.kind === 'sum') {
          for (var g = 0; g < nGroups; g += 1) { if (!(a.n[g] > 0)) { a.v[g] = NaN; } }
        }
        out[a.d.key] = a.v;
      });
      return out;
    }

    function unitGroup(i) { return C.dims.unit[i] - 1; }

    /* copy: 0 a record in one unit or none, 1 a copy of a record placed in several units
     * (counts only in its unit's values), 2 that record itself (no unit, on the map). */
    var COPY = 1, MULTI = 2;
    /* 0 on the map, 1 not on the map, -1 a copy (each record counts once). */
    function placement(i) {
      var c = C.dims.copy[i];
      if (c === COPY) { return -1; }
      return c === MULTI || C.dims.unit[i] > 0 ? 0 : 1;
    }

    function value(ui, metric) {
      var v = current.byUnit[metric][ui];
      return v;
    }

    function colour(v) {
      var cl = D.classes[state.metric];
      if (!(v > 0)) { return D.noData.colour; }
      for (var i = 0; i < cl.bounds.length; i += 1) {
        if (v <= cl.bounds[i]) { return cl.colours[i]; }
      }
      return cl.colours[cl.colours.length - 1];
    }

    /* -------------------------------------------------------------- map */
    var map = L.map('mm-map', {attributionControl: false, zoomSnap: 0.25, minZoom: 3, maxZoom: 18});
    map.fitBounds(D.view, {padding: [8, 8]});

    if (D.tiles === 'osm' && D.tileUrl) {
      L.tileLayer(D.tileUrl, {maxZoom: 18}).addTo(map);
    }

    var Attribution = L.Control.extend({
      options: {position: 'bottomright'},
      onAdd: function () {
        var box = el('div', 'leaflet-control-attribution mm-attribution');
        var parts = D.attribution.slice();
        if (D.tiles === 'osm') { parts.push(s('tiles')); }
        box.appendChild(document.createTextNode(s('boundaries') + s('colon') + parts.join(' · ')));
        return box;
      }
    });
    new Attribution().addTo(map);

    /* Neighbouring countries: grey context under everything else, never interactive. */
    if (D.neighbours) {
      L.geoJSON(D.neighbours, {
        interactive: false,
        style: function () {
          return {color: '#a6a6a6', weight: 0.8, fillColor: '#f1f1ef', fillOpacity: D.tiles === 'osm' ? 0.4 : 1};
        }
      }).addTo(map);
    }

    if (D.context) {
      L.geoJSON(D.context, {
        interactive: false,
        style: function () {
          return {color: '#888', weight: 1, fillColor: '#e4e4e4', fillOpacity: D.tiles === 'osm' ? 0.3 : 1};
        }
      }).addTo(map);
    }

    function line(parent, name, text) {
      var row = el('div', 'mm-line');
      row.appendChild(el('span', 'mm-key', name + s('colon')));
      row.appendChild(el('span', 'mm-val', text));
      parent.appendChild(row);
      return row;
    }

    function unitTip(u) {
      var box = el('div', 'mm-tipbox');
      box.appendChild(el('strong', null, units[u].properties.n));
      D.metrics.forEach(function (m) { line(box, s('metric.' + m), fmt(value(u, m))); });
      return box;
    }

    /* Activities of one unit under the filters, by a dimension, largest first. */
    function breakdown(u, dim) {
      var codes = C.dims[dim];
      var size = C.sizes[dim];
      var unit = C.dims.unit;
      var by = reduce(current.mask, function (i) { return unit[i] === u + 1 ? codes[i] : -1; }, size);
      var list = [];
      for (var g = 0; g < size; g += 1) {
        if (by.activities[g] > 0) { list.push([g, by.activities[g]]); }
      }
      list.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      return list;
    }

    function breakdownList(box, title, list, name) {
      if (!list.length) { return; }
      box.appendChild(el('p', 'mm-sub', title));
      var ul = el('ul', 'mm-reclist');
      list.slice(0, 10).forEach(function (e) {
        ul.appendChild(el('li', null, name(e[0]) + s('colon') + fmt(e[1])));
      });
      box.appendChild(ul);
      if (list.length > 10) {
        box.appendChild(el('p', 'mm-more', s('more').replace('{n}', fmt(list.length - 10))));
      }
    }

    /* A sector's marker shape (colour + shape, from the payload's sector styles) as SVG. */
    var SVGNS = 'http://www.w3.org/2000/svg';
    var SHAPES = {
      circle: function () { return ['circle', {cx: 7, cy: 7, r: 5.6}]; },
      square: function () { return ['rect', {x: 1.8, y: 1.8, width: 10.4, height: 10.4}]; },
      triangle: function () { return ['polygon', {points: '7,1 13,12.6 1,12.6'}]; },
      diamond: function () { return ['polygon', {points: '7,0.6 13.4,7 7,13.4 0.6,7'}]; },
      triangle_down: function () { return ['polygon', {points: '1,1.4 13,1.4 7,13'}]; }
    };
    function shape(sec, px) {
      var svg = document.createElementNS(SVGNS, 'svg');
      svg.setAttribute('viewBox', '0 0 14 14');
      svg.setAttribute('width', String(px));
      svg.setAttribute('height', String(px));
      svg.setAttribute('class', 'mm-shape');
      svg.setAttribute('data-shape', sec.s);
      var spec = (SHAPES[sec.s] || SHAPES.circle)();
      var node = document.createElementNS(SVGNS, spec[0]);
      Object.keys(spec[1]).forEach(function (k) { node.setAttribute(k, String(spec[1][k])); });
      node.setAttribute('fill', /^#[0-9A-Fa-f]{6}$/.test(sec.c) ? sec.c : '#999999');
      node.setAttribute('stroke', '#222');
      node.setAttribute('stroke-width', '1.3');
      svg.appendChild(node);
      return svg;
    }

    function sectorName(code) { return code > 0 ? sectors[code - 1].l : s('unknown_sector'); }
    function orgName(code) { return code > 0 ? D.orgs[code - 1] : s('no_organisation'); }

    function unitPopup(u) {
      var box = unitTip(u);
      box.className = 'mm-popup';
      if (!(value(u, 'activities') > 0)) {
        box.appendChild(el('p', 'mm-empty', s('no_records')));
        return box;
      }
      breakdownList(box, s('by_sector'), breakdown(u, 'sector'), sectorName);
      breakdownList(box, s('by_organisation'), breakdown(u, 'organisation'), orgName);
      return box;
    }

    var unitLayers = [];
    var unitsLayer = L.geoJSON(D.units, {
      style: function () { return {color: '#555', weight: 1, fillOpacity: 0.75, fillColor: D.noData.colour}; },
      onEachFeature: function (f, layer) {
        var u = unitLayers.length;
        unitLayers.push({p: f.properties, layer: layer});
        layer.bindTooltip(function () { return unitTip(u); },
          {sticky: true, className: 'mm-tooltip', direction: 'top'});
        layer.bindPopup(function () { return unitPopup(u); },
          {maxWidth: 320, className: 'mm-unit-popup'});
        layer.on('mouseover', function () { layer.setStyle({weight: 3, color: '#222'}); });
        layer.on('mouseout', function () { layer.setStyle({weight: 1, color: '#555'}); });
      }
    }).addTo(map);

    /* -------------------------------------------------------------- points */
    var P = D.points;
    var markers = [];
    var cluster = null;
    var grid = null;

    function recordSummary(i) {
      var bits = [];
      if (P.organisation[i] > 0) { bits.push(D.orgs[P.organisation[i] - 1]); }
      if (has(P.activity[i])) { bits.push(P.activity[i]); }
      return bits.join(' — ') || ('#' + (P.id[i] || P.row[i]));
    }

    function recordPopup(i) {
      var box = el('div', 'mm-popup mm-record');
      box.appendChild(el('strong', null, P.organisation[i] > 0 ? D.orgs[P.organisation[i] - 1] : '—'));
      var dl = el('dl');
      function field(name, v) {
        if (!has(v)) { return; }
        dl.appendChild(el('dt', null, name));
        dl.appendChild(el('dd', null, v));
      }
      field(s('sector'), sectorName(P.sector[i]));
      field(s('activity'), P.activity[i]);
      field(s('status'), P.status[i] > 0 ? D.statuses[P.status[i] - 1] : '');
      field(s('dates'), [P.d0[i] || '…', P.d1[i] || '…'].join(' – '));
      field(s('reached'), has(P.reached[i]) ? fmt(P.reached[i]) : '');
      field(s('place'), P.place[i]);
      field(s('source'), P.source[i]);
      field(s('row'), has(P.row[i]) ? String(P.row[i]) : '');
      box.appendChild(dl);
      return box;
    }

    if (P.mode === 'markers') {
      /* One icon per sector; each marker gets its own copy of the sector's shape. */
      var ShapeIcon = L.DivIcon.extend({
        createIcon: function (old) {
          var div = L.DivIcon.prototype.createIcon.call(this, old);
          div.appendChild(shape(this.options.sector, 14));
          return div;
        }
      });
      var icons = sectors.map(function (sec) {
        return new ShapeIcon({className: 'mm-pt', iconSize: [14, 14], html: '', sector: sec});
      });
      P.lat.forEach(function (lat, i) {
        var mk = L.marker([lat, P.lon[i]], {icon: icons[P.sector[i] - 1], keyboard: false});
        mk.bindTooltip(function () { return el('span', null, recordSummary(i)); },
          {direction: 'top', offset: [0, -6], className: 'mm-tooltip'});
        mk.bindPopup(function () { return recordPopup(i); }, {maxWidth: 320});
        markers.push(mk);
      });
      cluster = L.markerClusterGroup({
        showCoverageOnHover: false,
        maxClusterRadius: 36,
        spiderfyOnMaxZoom: true,
        iconCreateFunction: function (c) {
          var d = el('div');
          d.appendChild(el('span', null, String(c.getChildCount())));
          return L.divIcon({html: d, className: 'mm-cluster', iconSize: [30, 30]});
        }
      }).addTo(map);
    } else {
      /* The occupied cells drawn on one canvas of our own (one fillRect a cell; no layer
       * object per cell, so a filter change costs a loop, not thousands of layer
       * updates). Its pane sits above the units and lets the mouse through; hovering a
       * cell with records shows its count. Counts follow the filters. */
      map.createPane('mm-grid').style.zIndex = 450;
      map.getPane('mm-grid').style.pointerEvents = 'none';
      var cellIds = [];
      var cellIndex = new Map();
      for (var gi = 0; gi < G.rows; gi += 1) {
        var id = G.dims.cell[gi];
        if (!cellIndex.has(id)) { cellIndex.set(id, cellIds.length); cellIds.push(id); }
      }
      var rowCell = new Int32Array(G.rows);
      for (var gj = 0; gj < G.rows; gj += 1) { rowCell[gj] = cellIndex.get(G.dims.cell[gj]); }
      grid = {counts: new Float64Array(cellIds.length), rowCell: rowCell, ids: cellIds, max: 0};
      var GridCanvas = L.Layer.extend({
        onAdd: function () {
          this.canvas = L.DomUtil.create('canvas', 'mm-grid-canvas', map.getPane('mm-grid'));
          map.on('moveend zoomend resize viewreset', this.reset, this);
          map.on('zoomstart', this.hide, this);
          this.reset();
        },
        onRemove: function () {
          L.DomUtil.remove(this.canvas);
          map.off('moveend zoomend resize viewreset', this.reset, this);
          map.off('zoomstart', this.hide, this);
        },
        hide: function () { this.canvas.style.visibility = 'hidden'; },
        reset: function () {
          var size = map.getSize();
          var ratio = window.devicePixelRatio || 1;
          L.DomUtil.setPosition(this.canvas, map.containerPointToLayerPoint([0, 0]));
          this.canvas.width = Math.round(size.x * ratio);
          this.canvas.height = Math.round(size.y * ratio);
          this.canvas.style.width = size.x + 'px';
          this.canvas.style.height = size.y + 'px';
          this.canvas.style.visibility = 'visible';
          this.draw();
        },
        draw: function () {
          var ctx = this.canvas.getContext('2d');
          var ratio = window.devicePixelRatio || 1;
          var size = map.getSize();
          ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
          ctx.clearRect(0, 0, size.x, size.y);
          /* x is linear in longitude; y (Mercator) is computed once per grid row */
          var x0 = map.latLngToContainerPoint([0, P.west]).x;
          var dx = map.latLngToContainerPoint([0, P.west + P.size]).x - x0;
          var ys = new Float64Array(P.ny + 1);
          for (var r = 0; r <= P.ny; r += 1) {
            ys[r] = map.latLngToContainerPoint([Math.min(P.south + r * P.size, 85), P.west]).y;
          }
          var scale = Math.log(1 + Math.max(grid.max, 1));
          ctx.fillStyle = '#d95f02';
          ctx.strokeStyle = '#8c3c00';
          ctx.lineWidth = 0.5;
          for (var c = 0; c < cellIds.length; c += 1) {
            var n = grid.counts[c];
            if (!(n > 0)) { continue; }
            var ix = cellIds[c] % P.nx, iy = Math.floor(cellIds[c] / P.nx);
            var left = x0 + ix * dx, top = ys[iy + 1], h = ys[iy] - ys[iy + 1];
            if (left > size.x || left + dx < 0 || top > size.y || top + h < 0) { continue; }
            ctx.globalAlpha = 0.2 + 0.65 * Math.log(1 + n) / scale;
            ctx.fillRect(left, top, dx, h);
            ctx.globalAlpha = 1;
            if (dx > 4) { ctx.strokeRect(left, top, dx, h); }
          }
        }
      });
      grid.layer = new GridCanvas().addTo(map);
      var gridTip = L.tooltip({className: 'mm-tooltip', direction: 'top', offset: [0, -4]});
      map.on('mousemove', function (e) {
        var ix = Math.floor((e.latlng.lng - P.west) / P.size);
        var iy = Math.floor((e.latlng.lat - P.south) / P.size);
        var c = ix >= 0 && ix < P.nx && iy >= 0 && iy < P.ny ? cellIndex.get(iy * P.nx + ix) : undefined;
        if (c !== undefined && grid.counts[c] > 0) {
          unitLayers.forEach(function (u) { u.layer.closeTooltip(); });
          gridTip.setLatLng(e.latlng).setContent(el('span', null, s('records_n').replace('{n}', fmt(grid.counts[c]))));
          if (!map.hasLayer(gridTip)) { gridTip.addTo(map); }
        } else if (map.hasLayer(gridTip)) {
          map.removeLayer(gridTip);
        }
      });
    }

    /* -------------------------------------------------------------- labels */
    /* Unit names (largest units first), then the neighbouring countries' names. A label
     * is shown only where it fits inside the map without touching a shown label or a
     * map control; the check runs again after every zoom, move or resize. Labels sit
     * above the markers (readable) but let every click and hover through. */
    map.createPane('mm-labels').style.zIndex = 610;  /* above the markers, below tooltips */
    map.getPane('mm-labels').style.pointerEvents = 'none';
    var labels = [];
    function addLabel(latlng, name, cls, kind) {
      if (!latlng || !has(name)) { return; }
      var anchor = L.marker(latlng, {
        icon: L.divIcon({className: 'mm-label-anchor', iconSize: [0, 0], html: ''}),
        interactive: false, keyboard: false, pane: 'mm-labels'
      }).addTo(map);
      var span = el('span', 'mm-label ' + cls, name);
      span.setAttribute('data-kind', kind);
      anchor.getElement().appendChild(span);
      labels.push({latlng: L.latLng(latlng), span: span, w: 0, h: 0});
    }
    function ringArea(f) {
      var b = L.geoJSON(f).getBounds();
      return (b.getNorth() - b.getSouth()) * (b.getEast() - b.getWest());
    }
    units.map(function (f) { return [ringArea(f), f]; })
      .sort(function (a, b) { return b[0] - a[0]; })
      .forEach(function (e) { addLabel(e[1].properties.c, e[1].properties.n, 'mm-label-unit', 'unit'); });
    if (D.neighbours) {
      D.neighbours.features.forEach(function (f) {
        addLabel(f.properties.c, f.properties.n, 'mm-label-country', 'country');
      });
    }
    function placeLabels() {
      var size = map.getSize();
      var frame = map.getContainer().getBoundingClientRect();
      var taken = [];
      map.getContainer().querySelectorAll('.leaflet-control').forEach(function (c) {
        var r = c.getBoundingClientRect();
        if (r.width > 0 && r.height > 0) {
          taken.push([r.left - frame.left, r.top - frame.top, r.right - frame.left, r.bottom - frame.top]);
        }
      });
      labels.forEach(function (it) {
        if (!it.w) { it.w = it.span.offsetWidth; it.h = it.span.offsetHeight; }
        var p = map.latLngToContainerPoint(it.latlng);
        var b = [p.x - it.w / 2 - 2, p.y - it.h / 2 - 1, p.x + it.w / 2 + 2, p.y + it.h / 2 + 1];
        var ok = it.w > 0 && b[0] >= 0 && b[1] >= 0 && b[2] <= size.x && b[3] <= size.y;
        for (var i = 0; ok && i < taken.length; i += 1) {
          var t = taken[i];
          if (b[0] < t[2] && t[0] < b[2] && b[1] < t[3] && t[1] < b[3]) { ok = false; }
        }
        it.span.style.visibility = ok ? 'visible' : 'hidden';
        if (ok) { taken.push(b); }
      });
    }
    map.on('zoomend moveend resize', placeLabels);

    /* -------------------------------------------------------------- panels */
    var side = document.getElementById('mm-side');
    var small = window.matchMedia('(max-width: 700px)').matches;

    function panel(id, title) {
      var d = el('details', 'mm-panel');
      d.id = id;
      d.open = !small;
      d.appendChild(el('summary', null, title));
      var body = el('div', 'mm-panel-body');
      d.appendChild(body);
      side.appendChild(d);
      return body;
    }

    function select(body, id, labelText, options, chosen, onchange) {
      var wrap = el('label', 'mm-field');
      wrap.appendChild(el('span', null, labelText));
      var sel = el('select');
      sel.id = id;
      options.forEach(function (o) {
        var opt = el('option', null, o[1]);
        opt.value = String(o[0]);
        if (String(o[0]) === String(chosen)) { opt.selected = true; }
        sel.appendChild(opt);
      });
      sel.addEventListener('change', function () { onchange(sel.value); update(); });
      wrap.appendChild(sel);
      body.appendChild(wrap);
      return sel;
    }

    var countsBox = el('div', 'mm-counts');
    countsBox.id = 'mm-counts';
    side.appendChild(countsBox);

    var gbody = panel('mm-legend', s('legend'));
    var fbody = panel('mm-filters', s('filters'));
    var metricSel = select(fbody, 'mm-metric', s('map_shows'),
      D.metrics.map(function (m) { return [m, s('metric.' + m)]; }),
      state.metric, function (v) { state.metric = v; });
    function codeOptions(all, names) {
      return [['', all]].concat(names.map(function (x, i) { return [i + 1, x]; }));
    }
    var selects = [
      select(fbody, 'mm-f-sector', s('sector'),
        codeOptions(s('all_sectors'), sectors.map(function (x) { return x.l; })),
        '', function (v) { state.sector = Number(v) || 0; }),
      select(fbody, 'mm-f-org', s('organisation'), codeOptions(s('all_organisations'), D.orgs),
        '', function (v) { state.org = Number(v) || 0; }),
      select(fbody, 'mm-f-status', s('status'), codeOptions(s('all_statuses'), D.statuses),
        '', function (v) { state.status = Number(v) || 0; }),
      select(fbody, 'mm-f-year', s('year'),
        [['', s('all_years')]].concat(D.years.map(function (y) { return [y, String(y)]; })),
        '', function (v) { state.year = Number(v) || 0; })
    ];
    var reset = el('button', 'mm-reset', s('reset'));
    reset.type = 'button';
    reset.id = 'mm-reset';
    reset.addEventListener('click', function () {
      state.sector = state.org = state.status = state.year = 0;
      selects.forEach(function (sel) { sel.value = ''; });
      update();
    });
    fbody.appendChild(reset);

    var lbody = panel('mm-layers', s('layers'));
    var unitsToggle = el('label', 'mm-check');
    var unitsBox = el('input');
    unitsBox.type = 'checkbox';
    unitsBox.checked = true;
    unitsBox.id = 'mm-layer-units';
    unitsBox.addEventListener('change', function () {
      if (unitsBox.checked) { unitsLayer.addTo(map); unitsLayer.bringToBack(); } else { map.removeLayer(unitsLayer); }
      update();
    });
    unitsToggle.appendChild(unitsBox);
    unitsToggle.appendChild(el('span', null, s('units_layer')));
    lbody.appendChild(unitsToggle);
    lbody.appendChild(el('p', 'mm-sub', s('points_by_sector')));
    var layerCounts = [];
    sectors.forEach(function (sec, i) {
      var code = i + 1;
      var row = el('label', 'mm-check');
      var box = el('input');
      box.type = 'checkbox';
      box.checked = true;
      box.className = 'mm-layer-sector';
      box.setAttribute('data-sector', String(i));
      box.addEventListener('change', function () {
        if (box.checked) { state.hidden.delete(code); } else { state.hidden.add(code); }
        update();
      });
      row.appendChild(box);
      var sw = el('span', 'mm-symbol');
      sw.appendChild(shape(sec, 14));
      row.appendChild(sw);
      row.appendChild(el('span', null, sec.l));
      var n = el('span', 'mm-n');
      row.appendChild(n);
      layerCounts.push(n);
      lbody.appendChild(row);
    });

    /* ---------------------------------------------------------- programmes */
    /* National and multi-unit records that apply to this page (multi-unit ones also
     * count in each of their units), as
     * lines with their number of records; the list follows the filters. */
    var PR = D.programmes;
    var pbody = PR.rows.length ? panel('mm-programmes', s('programmes')) : null;

    function renderProgrammes() {
      if (!pbody) { return; }
      var sector = state.sector ? sectors[state.sector - 1].k : null;
      var org = state.org ? D.orgs[state.org - 1] : null;
      var status = state.status ? D.statusKeys[state.status - 1] : null;
      var shown = PR.rows.filter(function (r) {
        return (sector === null || r.s === sector) && (org === null || r.o === org) &&
          (status === null || r.st === status) &&
          (!state.year || (r.y !== null && r.y[0] <= state.year && state.year <= r.y[1]));
      });
      /* the count, from every programme record (the list may be cut) */
      function code(list, v) { return v === null ? -1 : (v === '' ? 0 : list.indexOf(v) + 1 || -2); }
      var want = {sector: code(PR.sectors, sector), organisation: code(PR.orgs, org),
        status: code(PR.statuses, status)};
      var n = 0;
      for (var i = 0; i < PC.rows; i += 1) {
        if (want.sector !== -1 && PC.dims.sector[i] !== want.sector) { continue; }
        if (want.organisation !== -1 && PC.dims.organisation[i] !== want.organisation) { continue; }
        if (want.status !== -1 && PC.dims.status[i] !== want.status) { continue; }
        if (state.year) {
          var sp = PC.dims.span[i];
          if (sp === 0 || PR.spans[sp - 1][0] > state.year || state.year > PR.spans[sp - 1][1]) { continue; }
        }
        n += PC.cols.n[i];
      }
      pbody.textContent = '';
      var count = el('p', 'mm-sub', s('programmes_n').replace('{n}', fmt(n)));
      count.id = 'mm-programmes-n';
      count.setAttribute('data-n', String(n));
      pbody.appendChild(count);
      if (n === 0) { pbody.appendChild(el('p', 'mm-empty', s('no_programmes'))); }
      var ul = el('ul', 'mm-proglist');
      shown.forEach(function (r) {
        var li = el('li', 'mm-prog');
        li.setAttribute('data-kind', r.k ? 'multi' : 'national');
        li.appendChild(el('strong', null, has(r.o) ? r.o : s('no_organisation')));
        li.appendChild(el('span', 'mm-prog-what', r.sl + (has(r.a) ? ' — ' + r.a : '')));
        var bits = [r.k ? s('kind_multi') + s('colon') + r.u : s('kind_national')];
        if (has(r.stl)) { bits.push(r.stl); }
        if (r.y !== null) { bits.push(r.y[0] === r.y[1] ? String(r.y[0]) : r.y[0] + '–' + r.y[1]); }
        if (r.n > 1) { bits.push('× ' + fmt(r.n)); }
        li.appendChild(el('span', 'mm-prog-meta', bits.join(' · ')));
        ul.appendChild(li);
      });
      pbody.appendChild(ul);
      if (PR.lines > PR.rows.length) {
        var more = el('p', 'mm-note', s('programmes_cap').replace('{n}', fmt(PR.rows.length)));
        if (has(D.report)) {
          more.appendChild(document.createTextNode(' '));
          link(more, D.report, s('join_report'), null);
        }
        pbody.appendChild(more);
      }
    }

    /* -------------------------------------------------------------- tables */
    var tables = D.tables.map(function (spec) {
      var table = document.getElementById(spec.id);
      var rows = [];
      if (table) {
        table.querySelectorAll('tbody tr[data-g]').forEach(function (tr) {
          var cells = {};
          tr.querySelectorAll('td[data-m]').forEach(function (td) { cells[td.getAttribute('data-m')] = td; });
          rows.push({tr: tr, g: tr.getAttribute('data-g'), cells: cells});
        });
      }
      return {spec: spec, rows: rows};
    });

    function unitNamesOf(mask) {
      /* for each organisation code, the names of the units where it has records */
      var org = C.dims.organisation, unit = C.dims.unit, size = C.sizes.organisation;
      var seen = new Uint8Array(size * (nUnits + 1));
      for (var i = 0; i < C.rows; i += 1) {
        if (mask[i] && unit[i] > 0 && C.cols.n[i] > 0) { seen[org[i] * (nUnits + 1) + unit[i]] = 1; }
      }
      return function (code) {
        var names = [];
        for (var u = 1; u <= nUnits; u += 1) {
          if (seen[code * (nUnits + 1) + u]) { names.push(units[u - 1].properties.n); }
        }
        return names.sort(function (a, b) { return a.localeCompare(b); }).join(', ');
      };
    }

    function renderTables() {
      var split = reduce(current.mask, placement, 2);
      var copy = C.dims.copy;
      current.tables = {};
      tables.forEach(function (t) {
        var by = t.spec.by;
        var codes = C.dims[by];
        /* per unit a record placed in several counts in each; otherwise once */
        var values = reduce(current.mask, by === 'unit' ? function (i) { return codes[i]; }
          : function (i) { return copy[i] === COPY ? -1 : codes[i]; }, C.sizes[by]);
        var names = t.spec.units ? unitNamesOf(current.mask) : null;
        var snap = {};
        t.rows.forEach(function (r) {
          var get;
          if (r.g === 'all') { get = function (m) { return split[m][0]; }; }
          else if (r.g === 'off') { get = function (m) { return split[m][1]; }; }
          else {
            var g = Number(r.g);
            get = function (m) { return values[m][g]; };
          }
          var row = {};
          t.spec.metrics.forEach(function (m) {
            row[m] = get(m);
            if (r.cells[m]) { r.cells[m].textContent = fmt(row[m]); }
          });
          if (names && r.cells.units) { r.cells.units.textContent = names(Number(r.g)); }
          r.tr.hidden = Boolean(t.spec.hideEmpty && r.g !== 'all' && r.g !== 'off' && !(row.activities > 0));
          snap[r.g] = row;
        });
        current.tables[t.spec.id] = snap;
      });
    }

    /* -------------------------------------------------------------- update */
    var drawnPoints = 0;
    var pointsNote = null;

    function renderLegend() {
      gbody.textContent = '';
      gbody.appendChild(el('p', 'mm-legend-title', s('metric.' + state.metric)));
      var cl = D.classes[state.metric];
      var rows = [[D.noData.colour, D.noData.label]];
      cl.labels.forEach(function (lbl, i) { rows.push([cl.colours[i], lbl]); });
      rows.forEach(function (row) {
        var item = el('div', 'mm-legend-row');
        var sw = el('span', 'mm-swatch');
        sw.style.background = row[0];
        item.appendChild(sw);
        item.appendChild(el('span', null, row[1]));
        gbody.appendChild(item);
      });
      if (P.mode === 'grid') {
        var item = el('div', 'mm-legend-row');
        item.id = 'mm-legend-grid';
        item.appendChild(el('span', 'mm-swatch mm-gridswatch'));
        item.appendChild(el('span', null, s('grid_cell').replace('{size}', fmt(P.size))));
        gbody.appendChild(item);
      }
    }

    function link(parent, href, text, id) {
      var a = el('a', null, text);
      a.href = href;
      if (id) { a.id = id; }
      parent.appendChild(a);
    }

    function renderCounts() {
      countsBox.textContent = '';
      line(countsBox, s('records_selected'), fmt(current.selected));
      line(countsBox, s('on_map'), fmt(current.onMap));
      var row = el('div', 'mm-line mm-off');
      row.id = 'mm-not-on-map';
      row.appendChild(el('span', 'mm-key', s(D.level === 'adm2' ? 'not_on_map_adm2' : 'not_on_map') + s('colon')));
      var num = el('span', 'mm-val', fmt(current.selected - current.onMap));
      num.id = 'mm-not-on-map-n';
      row.appendChild(num);
      if (has(D.report)) {
        row.appendChild(document.createTextNode(' ('));
        link(row, D.report, s('join_report'), 'mm-report-link');
        row.appendChild(document.createTextNode(')'));
      }
      countsBox.appendChild(row);
      line(countsBox, s('points_shown'), fmt(drawnPoints)).id = 'mm-points-shown';
      if (P.mode === 'grid') {
        pointsNote = el('p', 'mm-note', s('grid_note').replace('{n}', fmt(P.total)).replace('{cap}', fmt(D.pointCap)));
        pointsNote.id = 'mm-points-note';
        if (has(D.report)) {
          pointsNote.appendChild(document.createTextNode(' '));
          link(pointsNote, D.report, s('join_report'), null);
        }
        if (has(D.recordsFile)) {
          pointsNote.appendChild(document.createTextNode(' · '));
          link(pointsNote, D.recordsFile, decodeURIComponent(D.recordsFile.split('/').pop()), 'mm-records-link');
          pointsNote.appendChild(document.createTextNode(' (' + s('records_gpkg') + ')'));
        }
        countsBox.appendChild(pointsNote);
      }
    }

    function updatePoints() {
      var perSector = sectors.map(function () { return 0; });
      drawnPoints = 0;
      if (P.mode === 'markers') {
        var spans = spanOk();
        var shown = [];
        for (var i = 0; i < markers.length; i += 1) {
          if (state.sector && P.sector[i] !== state.sector) { continue; }
          if (state.org && P.organisation[i] !== state.org) { continue; }
          if (state.status && P.status[i] !== state.status) { continue; }
          if (!spans[P.span[i]]) { continue; }
          perSector[P.sector[i] - 1] += 1;
          if (!state.hidden.has(P.sector[i])) { shown.push(markers[i]); }
        }
        cluster.clearLayers();
        cluster.addLayers(shown);
        drawnPoints = shown.length;
      } else {
        var mask = filterMask(G, true);
        var counts = grid.counts;
        counts.fill(0);
        var n = G.cols.n, sec = G.dims.sector;
        for (var r = 0; r < G.rows; r += 1) {
          if (!mask[r]) { continue; }
          perSector[sec[r] - 1] += n[r];
          if (!state.hidden.has(sec[r])) { counts[grid.rowCell[r]] += n[r]; }
        }
        var max = 0;
        for (var c = 0; c < counts.length; c += 1) { if (counts[c] > max) { max = counts[c]; } drawnPoints += counts[c]; }
        grid.max = max;
        grid.layer.draw();
      }
      layerCounts.forEach(function (n, i) { n.textContent = ' (' + fmt(perSector[i]) + ')'; });
    }

    function update() {
      current.mask = filterMask(C, true);
      current.byUnit = reduce(current.mask, unitGroup, nUnits);
      var split = reduce(current.mask, placement, 2);
      current.onMap = split.activities[0];
      current.selected = split.activities[0] + split.activities[1];
      unitLayers.forEach(function (u, i) {
        u.layer.setStyle({fillColor: colour(value(i, state.metric))});
      });
      updatePoints();
      metricSel.value = state.metric;
      renderLegend();
      renderCounts();
      renderTables();
      renderProgrammes();
      updates += 1;
      document.body.setAttribute('data-mm-points', String(drawnPoints));
      document.body.setAttribute('data-mm-selected', String(current.selected));
      document.body.setAttribute('data-mm-updated', String(updates));
    }

    update();
    placeLabels();

    /* read-only view for tests, benchmarks and debugging */
    window.maliMap = Object.freeze({
      map: map,
      state: function () {
        var values = {};
        var fills = {};
        unitLayers.forEach(function (u, i) {
          var v = value(i, state.metric);
          values[u.p.p] = isFinite(v) ? v : null;
          fills[u.p.p] = u.layer.options.fillColor;
        });
        var gridCells = null;
        if (grid) {
          gridCells = {};
          grid.ids.forEach(function (id, c) { if (grid.counts[c] > 0) { gridCells[id] = grid.counts[c]; } });
        }
        var all = {};
        D.metrics.forEach(function (m) {
          all[m] = {};
          unitLayers.forEach(function (u, i) { var v = value(i, m); all[m][u.p.p] = isFinite(v) ? v : null; });
        });
        return {
          metric: state.metric,
          filters: {sector: state.sector, org: state.org, status: state.status, year: state.year},
          records: C.cols.n.reduce(function (a, b, i) { return C.dims.copy[i] === COPY ? a : a + b; }, 0),
          selected: current.selected,
          onMap: current.onMap,
          notOnMap: current.selected - current.onMap,
          points: drawnPoints,
          mode: P.mode,
          markers: markers.length,
          grid: gridCells,
          gridSize: P.mode === 'grid' ? P.size : null,
          units: unitLayers.length,
          unitsShown: map.hasLayer(unitsLayer) ? unitLayers.length : 0,
          values: values,
          metrics: all,
          fills: fills,
          tables: current.tables,
          updates: updates
        };
      },
      markerLatLngs: function () {
        return markers.map(function (m) { var ll = m.getLatLng(); return [ll.lat, ll.lng]; });
      },
      unitCentre: function (pcode) {
        for (var i = 0; i < unitLayers.length; i += 1) {
          if (unitLayers[i].p.p === pcode) {
            var pt = map.latLngToContainerPoint(unitLayers[i].p.c);
            return [pt.x, pt.y];
          }
        }
        return null;
      }
    });
    document.body.setAttribute('data-mm-ready', '1');
  }
}());
