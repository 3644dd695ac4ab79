/* main: read the payload, decode its tables, set up every module of MM.modules in order
 * on one shared context X, draw once, and expose a read-only view for tests. */
MM.main = function () {
  var D = JSON.parse(document.getElementById('mm-data').textContent);
  var text = MM.text(D.t);
  var el = MM.el;

  function fail(err) {
    var side = document.getElementById('mm-side');
    side.appendChild(el('p', 'mm-error', String(err && err.message ? err.message : err)));
    document.body.setAttribute('data-mm-error', '1');
    throw err;
  }

  var waits = [MM.inflate(D.cube.data)];
  waits.push(D.points.mode === 'grid' ? MM.inflate(D.points.cells.data) : null);
  waits.push(D.programmes.counts ? MM.inflate(D.programmes.counts.data) : null);
  Promise.all(waits).then(function (raw) {
    start(MM.decodeTable(D.cube, raw[0]),
      raw[1] ? MM.decodeTable(D.points.cells, raw[1]) : null,
      raw[2] ? MM.decodeTable(D.programmes.counts, raw[2]) : null);
  }).catch(fail);

  function start(C, G, PC) {
    var units = D.units.features;
    /* the context every module reads and adds its functions and layers to */
    var X = {
      D: D, C: C, G: G, PC: PC, s: text.s, fmt: text.fmt,
      DESC: D.descriptors, sectors: D.sectors, units: units, nUnits: units.length,
      state: {metric: D.metric, sector: 0, org: 0, status: 0, year: 0, hidden: new Set()},
      current: {mask: null, byUnit: null, selected: 0, onMap: 0, tables: {}, drawn: 0}
    };
    var state = X.state, current = X.current;
    var updates = 0;

    function update() {
      current.mask = X.filterMask(C, true);
      current.byUnit = X.reduce(current.mask, X.unitGroup, X.nUnits);
      var split = X.reduce(current.mask, X.placement, 2);
      current.onMap = split.activities[0];
      current.selected = split.activities[0] + split.activities[1];
      X.unitLayers.forEach(function (u, i) {
        u.layer.setStyle({fillColor: X.colour(X.value(i, state.metric))});
      });
      X.updatePoints();
      X.metricSel.value = state.metric;
      X.renderLegend();
      X.renderCounts();
      X.renderTables();
      X.renderProgrammes();
      updates += 1;
      document.body.setAttribute('data-mm-points', String(current.drawn));
      document.body.setAttribute('data-mm-selected', String(current.selected));
      document.body.setAttribute('data-mm-updated', String(updates));
    }
    X.update = update;

    MM.modules.forEach(function (setup) { setup(X); });
    update();
    X.placeLabels();
    window.maliMap = MM.readOnlyView(X, function () { return updates; });
    document.body.setAttribute('data-mm-ready', '1');
  }
};

/* read-only view for tests, benchmarks and debugging */
MM.readOnlyView = function (X, updates) {
  var D = X.D, C = X.C, P = X.P, map = X.map, state = X.state, current = X.current;
  var unitLayers = X.unitLayers, markers = X.markers, grid = X.grid, value = X.value;
  return Object.freeze({
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
        records: C.cols.n.reduce(function (a, b, i) { return C.dims.copy[i] === X.COPY ? a : a + b; }, 0),
        selected: current.selected,
        onMap: current.onMap,
        notOnMap: current.selected - current.onMap,
        points: current.drawn,
        mode: P.mode,
        markers: markers.length,
        grid: gridCells,
        gridSize: P.mode === 'grid' ? P.size : null,
        units: unitLayers.length,
        unitsShown: map.hasLayer(X.unitsLayer) ? unitLayers.length : 0,
        values: values,
        metrics: all,
        fills: fills,
        tables: current.tables,
        updates: updates()
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
};
