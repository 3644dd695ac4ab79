/* points: the records as markers with popups, or as grid cells with counts */
MM.modules.push(function points(X) {
  var D = X.D, G = X.G, s = X.s, fmt = X.fmt, state = X.state, current = X.current,
    sectors = X.sectors, map = X.map, unitLayers = X.unitLayers, filterMask = X.filterMask,
    spanOk = X.spanOk, sectorName = X.sectorName;
  var el = MM.el, has = MM.has;

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
        div.appendChild(MM.shape(this.options.sector, 14));
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

  function updatePoints() {
    var perSector = sectors.map(function () { return 0; });
    current.drawn = 0;
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
      current.drawn = shown.length;
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
      for (var c = 0; c < counts.length; c += 1) { if (counts[c] > max) { max = counts[c]; } current.drawn += counts[c]; }
      grid.max = max;
      grid.layer.draw();
    }
    X.layerCounts.forEach(function (n, i) { n.textContent = ' (' + fmt(perSector[i]) + ')'; });
  }

  X.P = P;
  X.markers = markers;
  X.cluster = cluster;
  X.grid = grid;
  X.updatePoints = updatePoints;
});
