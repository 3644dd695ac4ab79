/* labels: unit and country names, shown only where they fit */
MM.modules.push(function labels(X) {
  var D = X.D, map = X.map, units = X.units;
  var el = MM.el, has = MM.has;

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

  X.placeLabels = placeLabels;
});
