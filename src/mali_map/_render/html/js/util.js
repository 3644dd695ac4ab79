/* util: DOM and text helpers shared by every module (no page state). */
MM.el = function (tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) { e.className = cls; }
  if (text !== undefined && text !== null) { e.textContent = String(text); }
  return e;
};

MM.has = function (v) { return v !== undefined && v !== null && v !== ''; };

/* Interface strings and numbers as the Python side writes them: English digits, the page
   language's separators from the one table of interface text (mali_map._core._i18n). */
MM.text = function (T) {
  function s(key) { return Object.prototype.hasOwnProperty.call(T, key) ? T[key] : key; }
  var nf = new Intl.NumberFormat('en-GB', {maximumFractionDigits: 1});
  var SEP = {',': s('number.thousands'), '.': s('number.decimal')};
  function fmt(n) {
    if (typeof n !== 'number' || !isFinite(n)) { return '–'; }
    return nf.format(n).replace(/[,.]/g, function (c) { return SEP[c]; });
  }
  return {s: s, fmt: fmt};
};

/* A sector's marker shape (colour + shape, from the payload's sector styles) as SVG. */
MM.SHAPES = {
  circle: function () { return ['circle', {cx: 7, cy: 7, r: 5.6}]; },
  square: function () { return ['rect', {x: 1.8, y: 1.8, width: 10.4, height: 10.4}]; },
  triangle: function () { return ['polygon', {points: '7,1 13,12.6 1,12.6'}]; },
  diamond: function () { return ['polygon', {points: '7,0.6 13.4,7 7,13.4 0.6,7'}]; },
  triangle_down: function () { return ['polygon', {points: '1,1.4 13,1.4 7,13'}]; }
};
MM.shape = function (sec, px) {
  var SVGNS = 'http://www.w3.org/2000/svg';
  var svg = document.createElementNS(SVGNS, 'svg');
  svg.setAttribute('viewBox', '0 0 14 14');
  svg.setAttribute('width', String(px));
  svg.setAttribute('height', String(px));
  svg.setAttribute('class', 'mm-shape');
  svg.setAttribute('data-shape', sec.s);
  var spec = (MM.SHAPES[sec.s] || MM.SHAPES.circle)();
  var node = document.createElementNS(SVGNS, spec[0]);
  Object.keys(spec[1]).forEach(function (k) { node.setAttribute(k, String(spec[1][k])); });
  node.setAttribute('fill', /^#[0-9A-Fa-f]{6}$/.test(sec.c) ? sec.c : '#999999');
  node.setAttribute('stroke', '#222');
  node.setAttribute('stroke-width', '1.3');
  svg.appendChild(node);
  return svg;
};
