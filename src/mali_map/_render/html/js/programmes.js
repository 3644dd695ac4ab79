/* programmes: national and multi-unit records that apply to this page */
MM.modules.push(function programmes(X) {
  var D = X.D, PC = X.PC, s = X.s, fmt = X.fmt, state = X.state, sectors = X.sectors,
    panel = X.panel, link = X.link;
  var el = MM.el, has = MM.has;

  /* ---------------------------------------------------------- programmes */
  /* National and multi-unit records that apply to this page (multi-unit ones also
   * count in each of their units), as
   * lines with their number of records; the list follows the filters. */
  var PR = D.programmes;
  var pbody = PR.rows.length ? panel('mm-programmes', s('programmes')) : null;

  function renderProgrammes() {
    if (!pbody) { return; }
    var sector = state.sector ? sectors[state.sector - 1].k : null;
    var org = state.org ? D.orgs[state.org - 1] : null;
    var status = state.status ? D.statusKeys[state.status - 1] : null;
    var shown = PR.rows.filter(function (r) {
      return (sector === null || r.s === sector) && (org === null || r.o === org) &&
        (status === null || r.st === status) &&
        (!state.year || (r.y !== null && r.y[0] <= state.year && state.year <= r.y[1]));
    });
    /* the count, from every programme record (the list may be cut) */
    function code(list, v) { return v === null ? -1 : (v === '' ? 0 : list.indexOf(v) + 1 || -2); }
    var want = {sector: code(PR.sectors, sector), organisation: code(PR.orgs, org),
      status: code(PR.statuses, status)};
    var n = 0;
    for (var i = 0; i < PC.rows; i += 1) {
      if (want.sector !== -1 && PC.dims.sector[i] !== want.sector) { continue; }
      if (want.organisation !== -1 && PC.dims.organisation[i] !== want.organisation) { continue; }
      if (want.status !== -1 && PC.dims.status[i] !== want.status) { continue; }
      if (state.year) {
        var sp = PC.dims.span[i];
        if (sp === 0 || PR.spans[sp - 1][0] > state.year || state.year > PR.spans[sp - 1][1]) { continue; }
      }
      n += PC.cols.n[i];
    }
    pbody.textContent = '';
    var count = el('p', 'mm-sub', s('programmes_n').replace('{n}', fmt(n)));
    count.id = 'mm-programmes-n';
    count.setAttribute('data-n', String(n));
    pbody.appendChild(count);
    if (n === 0) { pbody.appendChild(el('p', 'mm-empty', s('no_programmes'))); }
    var ul = el('ul', 'mm-proglist');
    shown.forEach(function (r) {
      var li = el('li', 'mm-prog');
      li.setAttribute('data-kind', r.k ? 'multi' : 'national');
      li.appendChild(el('strong', null, has(r.o) ? r.o : s('no_organisation')));
      li.appendChild(el('span', 'mm-prog-what', r.sl + (has(r.a) ? ' — ' + r.a : '')));
      var bits = [r.k ? s('kind_multi') + s('colon') + r.u : s('kind_national')];
      if (has(r.stl)) { bits.push(r.stl); }
      if (r.y !== null) { bits.push(r.y[0] === r.y[1] ? String(r.y[0]) : r.y[0] + '–' + r.y[1]); }
      if (r.n > 1) { bits.push('× ' + fmt(r.n)); }
      li.appendChild(el('span', 'mm-prog-meta', bits.join(' · ')));
      ul.appendChild(li);
    });
    pbody.appendChild(ul);
    if (PR.lines > PR.rows.length) {
      var more = el('p', 'mm-note', s('programmes_cap').replace('{n}', fmt(PR.rows.length)));
      if (has(D.report)) {
        more.appendChild(document.createTextNode(' '));
        link(more, D.report, s('join_report'), null);
      }
      pbody.appendChild(more);
    }
  }

  X.renderProgrammes = renderProgrammes;
});
