/* layers: the map, its context layers and the choropleth units with tooltips and popups */
MM.modules.push(function layers(X) {
  var D = X.D, C = X.C, s = X.s, fmt = X.fmt, sectors = X.sectors, units = X.units,
    current = X.current, reduce = X.reduce, value = X.value;
  var el = MM.el, has = MM.has;

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

  X.map = map;
  X.line = line;
  X.sectorName = sectorName;
  X.orgName = orgName;
  X.unitLayers = unitLayers;
  X.unitsLayer = unitsLayer;
});
