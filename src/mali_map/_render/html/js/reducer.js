/* reducer: which cube rows pass the filters, and every registered metric per group */
MM.modules.push(function reducer(X) {
  var D = X.D, C = X.C, DESC = X.DESC, state = X.state, current = X.current;
  var el = MM.el, has = MM.has;

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

  X.spanOk = spanOk;
  X.filterMask = filterMask;
  X.reduce = reduce;
  X.unitGroup = unitGroup;
  X.COPY = COPY;
  X.MULTI = MULTI;
  X.placement = placement;
  X.value = value;
  X.colour = colour;
});
