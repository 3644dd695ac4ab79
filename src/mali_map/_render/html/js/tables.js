/* tables: the summary tables under the map, rewritten on every change */
MM.modules.push(function tables(X) {
  var D = X.D, C = X.C, state = X.state, current = X.current, units = X.units,
    nUnits = X.nUnits, reduce = X.reduce, placement = X.placement, COPY = X.COPY,
    fmt = X.fmt;
  var el = MM.el, has = MM.has;

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

  X.renderTables = renderTables;
});
