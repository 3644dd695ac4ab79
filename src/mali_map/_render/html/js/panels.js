/* panels: the side panels: counts, legend, filters and layers */
MM.modules.push(function panels(X) {
  var D = X.D, s = X.s, fmt = X.fmt, state = X.state, current = X.current,
    sectors = X.sectors, map = X.map, unitsLayer = X.unitsLayer, P = X.P, line = X.line;
  var el = MM.el, has = MM.has;
  function update() { return X.update.apply(null, arguments); }

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
    sw.appendChild(MM.shape(sec, 14));
    row.appendChild(sw);
    row.appendChild(el('span', null, sec.l));
    var n = el('span', 'mm-n');
    row.appendChild(n);
    layerCounts.push(n);
    lbody.appendChild(row);
  });

  /* -------------------------------------------------------------- update */
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

  /* the drawn level's own 'not on the map' text where the strings have one */
  function notOnMapKey() {
    var own = 'not_on_map_' + D.level;
    return Object.prototype.hasOwnProperty.call(D.t, own) ? own : 'not_on_map';
  }

  function renderCounts() {
    countsBox.textContent = '';
    line(countsBox, s('records_selected'), fmt(current.selected));
    line(countsBox, s('on_map'), fmt(current.onMap));
    var row = el('div', 'mm-line mm-off');
    row.id = 'mm-not-on-map';
    row.appendChild(el('span', 'mm-key', s(notOnMapKey()) + s('colon')));
    var num = el('span', 'mm-val', fmt(current.selected - current.onMap));
    num.id = 'mm-not-on-map-n';
    row.appendChild(num);
    if (has(D.report)) {
      row.appendChild(document.createTextNode(' ('));
      link(row, D.report, s('join_report'), 'mm-report-link');
      row.appendChild(document.createTextNode(')'));
    }
    countsBox.appendChild(row);
    line(countsBox, s('points_shown'), fmt(current.drawn)).id = 'mm-points-shown';
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

  X.panel = panel;
  X.metricSel = metricSel;
  X.layerCounts = layerCounts;
  X.renderLegend = renderLegend;
  X.link = link;
  X.renderCounts = renderCounts;
});
