/* mali-map interactive page.
 * Reads the one embedded JSON payload and draws the choropleth, the sector point
 * layers, the filters, the legend and the counts. Every string from the data is
 * put into the DOM as text (textContent / text nodes), never as HTML.
 */
(function () {
  'use strict';

  var D = JSON.parse(document.getElementById('mm-data').textContent);
  var T = D.t;
  var nf = new Intl.NumberFormat(D.lang === 'fr' ? 'fr-FR' : 'en-GB',
    {maximumFractionDigits: 1});

  function fmt(n) { return nf.format(n); }
  function s(key) { return Object.prototype.hasOwnProperty.call(T, key) ? T[key] : key; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function has(v) { return v !== undefined && v !== null && v !== ''; }

  var records = D.records;
  var sectors = D.sectors;
  var units = D.units.features;
  var unitNames = new Map();
  units.forEach(function (f) { unitNames.set(f.properties.p, f.properties.n); });

  var state = {metric: D.metric, sector: '', org: '', status: '', year: '', hidden: new Set()};
  var current = {selected: [], byUnit: new Map()};

  /* ------------------------------------------------------------------ filters */
  function matches(r) {
    if (state.sector !== '' && r.s !== Number(state.sector)) { return false; }
    if (state.org !== '' && r.o !== Number(state.org)) { return false; }
    if (state.status !== '' && r.st !== Number(state.status)) { return false; }
    if (state.year !== '') {
      var y = Number(state.year);
      if (!has(r.y0)) { return false; }
      var y1 = has(r.y1) && r.y1 >= r.y0 ? r.y1 : r.y0;
      if (y < r.y0 || y > y1) { return false; }
    }
    return true;
  }

  function tally(list) {
    var by = new Map();
    list.forEach(function (r) {
      if (!has(r.k)) { return; }
      var c = by.get(r.k);
      if (!c) {
        c = {activities: 0, organisations: 0, reached: 0, orgs: new Set(), recs: []};
        by.set(r.k, c);
      }
      c.activities += 1;
      if (has(r.o) && !c.orgs.has(r.o)) { c.orgs.add(r.o); c.organisations += 1; }
      if (has(r.n)) { c.reached += r.n; }
      c.recs.push(r);
    });
    return by;
  }

  function value(pcode, metric) {
    var c = current.byUnit.get(pcode);
    return c ? c[metric] : 0;
  }

  function colour(v) {
    var cl = D.classes[state.metric];
    if (!(v > 0)) { return D.noData.colour; }
    for (var i = 0; i < cl.bounds.length; i += 1) {
      if (v <= cl.bounds[i] + 1e-9) { return cl.colours[i]; }
    }
    return cl.colours[cl.colours.length - 1];
  }

  /* ------------------------------------------------------------------ map */
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
  }

  function unitTip(p) {
    var box = el('div', 'mm-tipbox');
    box.appendChild(el('strong', null, p.n));
    ['activities', 'organisations', 'reached'].forEach(function (m) {
      line(box, s('metric.' + m), fmt(value(p.p, m)));
    });
    return box;
  }

  function recordSummary(r) {
    var bits = [];
    if (has(r.o)) { bits.push(D.orgs[r.o]); }
    if (has(r.a)) { bits.push(r.a); }
    return bits.join(' — ') || ('#' + (r.i || r.r));
  }

  function unitPopup(p) {
    var box = unitTip(p);
    box.className = 'mm-popup';
    var c = current.byUnit.get(p.p);
    var recs = c ? c.recs : [];
    if (!recs.length) { box.appendChild(el('p', 'mm-empty', s('no_records'))); return box; }
    var list = el('ul', 'mm-reclist');
    recs.slice(0, 12).forEach(function (r) { list.appendChild(el('li', null, recordSummary(r))); });
    box.appendChild(list);
    if (recs.length > 12) {
      box.appendChild(el('p', 'mm-more', s('more').replace('{n}', fmt(recs.length - 12))));
    }
    return box;
  }

  var unitLayers = [];
  var unitsLayer = L.geoJSON(D.units, {
    style: function () { return {color: '#555', weight: 1, fillOpacity: 0.75, fillColor: D.noData.colour}; },
    onEachFeature: function (f, layer) {
      unitLayers.push({p: f.properties, layer: layer});
      layer.bindTooltip(function () { return unitTip(f.properties); },
        {sticky: true, className: 'mm-tooltip', direction: 'top'});
      layer.bindPopup(function () { return unitPopup(f.properties); },
        {maxWidth: 320, className: 'mm-unit-popup'});
      layer.on('mouseover', function () { layer.setStyle({weight: 3, color: '#222'}); });
      layer.on('mouseout', function () { layer.setStyle({weight: 1, color: '#555'}); });
    }
  }).addTo(map);

  /* points */
  function recordPopup(r) {
    var box = el('div', 'mm-popup mm-record');
    box.appendChild(el('strong', null, has(r.o) ? D.orgs[r.o] : '—'));
    var dl = el('dl');
    function field(name, v) {
      if (!has(v)) { return; }
      dl.appendChild(el('dt', null, name));
      dl.appendChild(el('dd', null, v));
    }
    field(s('sector'), sectors[r.s].l);
    field(s('activity'), r.a);
    field(s('status'), has(r.st) ? D.statuses[r.st] : '');
    field(s('dates'), [r.d0 || '…', r.d1 || '…'].join(' – '));
    field(s('reached'), has(r.n) ? fmt(r.n) : '');
    field(s('place'), r.p);
    field(s('source'), r.src);
    field(s('quote'), r.q);
    field(s('row'), has(r.r) ? String(r.r) : '');
    box.appendChild(dl);
    return box;
  }

  var icons = sectors.map(function (sec, i) {
    return L.divIcon({className: 'mm-pt mm-c' + (i % 8), iconSize: [12, 12], html: ''});
  });
  var markers = [];
  records.forEach(function (r) {
    if (!has(r.lat) || !has(r.lon) || !r.m) { return; }
    var mk = L.marker([r.lat, r.lon], {icon: icons[r.s], keyboard: false});
    mk.bindTooltip(function () { return el('span', null, recordSummary(r)); },
      {direction: 'top', offset: [0, -6], className: 'mm-tooltip'});
    mk.bindPopup(function () { return recordPopup(r); }, {maxWidth: 320});
    markers.push({r: r, m: mk});
  });

  var cluster = L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 36,
    spiderfyOnMaxZoom: true,
    iconCreateFunction: function (c) {
      var d = el('div');
      d.appendChild(el('span', null, String(c.getChildCount())));
      return L.divIcon({html: d, className: 'mm-cluster', iconSize: [30, 30]});
    }
  }).addTo(map);

  /* ------------------------------------------------------------------ panels */
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
    ['activities', 'organisations', 'reached'].map(function (m) { return [m, s('metric.' + m)]; }),
    state.metric, function (v) { state.metric = v; });
  var selects = [
    select(fbody, 'mm-f-sector', s('sector'),
      [['', s('all_sectors')]].concat(sectors.map(function (x, i) { return [i, x.l]; })),
      '', function (v) { state.sector = v; }),
    select(fbody, 'mm-f-org', s('organisation'),
      [['', s('all_organisations')]].concat(D.orgs.map(function (x, i) { return [i, x]; })),
      '', function (v) { state.org = v; }),
    select(fbody, 'mm-f-status', s('status'),
      [['', s('all_statuses')]].concat(D.statuses.map(function (x, i) { return [i, x]; })),
      '', function (v) { state.status = v; }),
    select(fbody, 'mm-f-year', s('year'),
      [['', s('all_years')]].concat(D.years.map(function (y) { return [y, String(y)]; })),
      '', function (v) { state.year = v; })
  ];
  var reset = el('button', 'mm-reset', s('reset'));
  reset.type = 'button';
  reset.id = 'mm-reset';
  reset.addEventListener('click', function () {
    state.sector = state.org = state.status = state.year = '';
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
    var row = el('label', 'mm-check');
    var box = el('input');
    box.type = 'checkbox';
    box.checked = true;
    box.className = 'mm-layer-sector';
    box.setAttribute('data-sector', String(i));
    box.addEventListener('change', function () {
      if (box.checked) { state.hidden.delete(i); } else { state.hidden.add(i); }
      update();
    });
    row.appendChild(box);
    row.appendChild(el('span', 'mm-swatch mm-pt mm-c' + (i % 8)));
    row.appendChild(el('span', null, sec.l));
    var n = el('span', 'mm-n');
    row.appendChild(n);
    layerCounts.push(n);
    lbody.appendChild(row);
  });

  /* ------------------------------------------------------------------ update */
  var drawnPoints = 0;

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
  }

  function renderCounts() {
    countsBox.textContent = '';
    var sel = current.selected;
    var onMap = sel.filter(function (r) { return has(r.k); }).length;
    var off = sel.length - onMap;
    line(countsBox, s('records_selected'), fmt(sel.length));
    line(countsBox, s('on_map'), fmt(onMap));
    var row = el('div', 'mm-line mm-off');
    row.id = 'mm-not-on-map';
    row.appendChild(el('span', 'mm-key', s(D.level === 'adm2' ? 'not_on_map_adm2' : 'not_on_map') + s('colon')));
    var num = el('span', 'mm-val', fmt(off));
    num.id = 'mm-not-on-map-n';
    row.appendChild(num);
    if (has(D.report)) {
      row.appendChild(document.createTextNode(' ('));
      var a = el('a', null, s('join_report'));
      a.href = D.report;
      a.id = 'mm-report-link';
      row.appendChild(a);
      row.appendChild(document.createTextNode(')'));
    }
    countsBox.appendChild(row);
    line(countsBox, s('points_shown'), fmt(drawnPoints));
  }

  function update() {
    current.selected = records.filter(matches);
    current.byUnit = tally(current.selected);
    unitLayers.forEach(function (u) {
      u.layer.setStyle({fillColor: colour(value(u.p.p, state.metric))});
    });
    var perSector = sectors.map(function () { return 0; });
    var shown = [];
    markers.forEach(function (m) {
      if (!matches(m.r)) { return; }
      perSector[m.r.s] += 1;
      if (!state.hidden.has(m.r.s)) { shown.push(m.m); }
    });
    cluster.clearLayers();
    cluster.addLayers(shown);
    drawnPoints = shown.length;
    layerCounts.forEach(function (n, i) { n.textContent = ' (' + fmt(perSector[i]) + ')'; });
    metricSel.value = state.metric;
    renderLegend();
    renderCounts();
    document.body.setAttribute('data-mm-points', String(drawnPoints));
    document.body.setAttribute('data-mm-selected', String(current.selected.length));
  }

  update();

  /* read-only view for tests and debugging */
  window.maliMap = Object.freeze({
    map: map,
    state: function () {
      var values = {};
      var fills = {};
      unitLayers.forEach(function (u) {
        values[u.p.p] = value(u.p.p, state.metric);
        fills[u.p.p] = u.layer.options.fillColor;
      });
      var onMap = current.selected.filter(function (r) { return has(r.k); }).length;
      return {
        metric: state.metric,
        records: records.length,
        selected: current.selected.length,
        onMap: onMap,
        notOnMap: current.selected.length - onMap,
        points: drawnPoints,
        markers: markers.length,
        units: unitLayers.length,
        unitsShown: map.hasLayer(unitsLayer) ? unitLayers.length : 0,
        values: values,
        fills: fills
      };
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
}());
