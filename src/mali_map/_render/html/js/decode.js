/* decode: the payload's deflated, columnar tables (mali_map._render.html._encode). */
MM.inflate = function (b64) {
  var bin = atob(b64);
  var bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i += 1) { bytes[i] = bin.charCodeAt(i); }
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Response(stream).arrayBuffer().then(function (buf) { return new Uint8Array(buf); });
};

MM.decodeTable = (function () {
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

  return decodeTable;
}());
