// The page of enphase-etl: reads the read-only JSON API (docs/page.md) and draws it with uPlot (served from the
// application's jar, no CDN). Chart data stays reachable as window.enphasePage for tests and curious operators.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const state = { gateway: null, day: null, zone: 'UTC', by: 'day', dayChosen: false };
  const page = window.enphasePage = { charts: {}, data: {}, loaded: {} };
  const COLORS = { production_w: '#e8a200', consumption_w: '#3b6fd8', net_w: '#7a4fd1',
    produced: '#e8a200', consumed: '#3b6fd8', imported: '#d9534f', exported: '#2e9e5b', share: '#1d2330' };

  async function api(path, params) {
    const q = new URLSearchParams();
    Object.entries(params || {}).forEach(([k, v]) => { if (v !== null && v !== undefined && v !== '') q.set(k, v); });
    const res = await fetch('/api/' + path + (q.toString() ? '?' + q : ''), { cache: 'no-store' });
    if (!res.ok) throw new Error(path + ': HTTP ' + res.status + ' ' + (await res.text()).trim());
    return res.json();
  }

  const esc = (s) => String(s === null || s === undefined ? '' : s)
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  function watts(w) {
    if (w === null || w === undefined) return '–';
    const a = Math.abs(w);
    return a >= 1000 ? (w / 1000).toFixed(a >= 10000 ? 1 : 2) + ' kW' : Math.round(w) + ' W';
  }
  const kwh = (v) => (v === null || v === undefined) ? '–' : v.toFixed(2);
  const pct = (v) => (v === null || v === undefined) ? '–' : v.toFixed(1) + ' %';
  function age(s) {
    if (s === null || s === undefined) return '–';
    if (s < 0) return 'in ' + age(-s).replace(' ago', '');
    if (s < 90) return s + ' s ago';
    if (s < 5400) return Math.round(s / 60) + ' min ago';
    if (s < 172800) return Math.round(s / 3600) + ' h ago';
    return Math.round(s / 86400) + ' days ago';
  }
  function clock(epoch) {
    if (epoch === null || epoch === undefined) return '–';
    return new Date(epoch * 1000).toLocaleString('sv-SE', { timeZone: state.zone }).replace('T', ' ');
  }
  const tzDate = (ts) => uPlot.tzDate(new Date(ts * 1000), state.zone);
  const width = (el) => Math.max(280, el.clientWidth || 600);
  const height = () => (window.innerWidth < 600 ? 220 : 300);

  function chart(name, el, opts, data) {
    if (page.charts[name]) page.charts[name].destroy();
    el.innerHTML = '';
    const u = new uPlot(Object.assign({ width: width(el), height: height(), tzDate }, opts), data, el);
    page.charts[name] = u;
    return u;
  }

  // a gap in the archive (much longer than the usual spacing) breaks the line instead of bridging it
  function withGaps(time, columns) {
    const dts = [];
    for (let i = 1; i < time.length; i++) dts.push(time[i] - time[i - 1]);
    const sorted = dts.slice().sort((a, b) => a - b);
    const usual = sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0;
    const t = [], cols = columns.map(() => []);
    for (let i = 0; i < time.length; i++) {
      if (i > 0 && usual > 0 && time[i] - time[i - 1] > 5 * usual) {
        t.push(time[i - 1] + usual);
        cols.forEach((c) => c.push(null));
      }
      t.push(time[i]);
      columns.forEach((c, j) => cols[j].push(c[i]));
    }
    return [t].concat(cols);
  }

  const powerAxis = { values: (u, vals) => vals.map((v) => watts(v)), size: 70 };
  function powerSeries() {
    return [{}, { label: 'Production', stroke: COLORS.production_w, width: 2, value: (u, v) => watts(v) },
      { label: 'Consumption', stroke: COLORS.consumption_w, width: 2, value: (u, v) => watts(v) },
      { label: 'Net (+import / −export)', stroke: COLORS.net_w, width: 1.5, dash: [6, 4], value: (u, v) => watts(v) }];
  }

  // ---------------------------------------------------------------------------------------------------- Now
  async function loadNow() {
    const now = await api('now');
    page.data.now = now;
    state.zone = now.zone || 'UTC';
    const sel = $('gateway');
    const ids = now.gateways.map((g) => g.gateway);
    if (sel.options.length !== ids.length || ids.some((id, i) => sel.options[i].value !== id)) {
      sel.innerHTML = ids.map((id) => '<option>' + esc(id) + '</option>').join('');
      if (state.gateway && ids.includes(state.gateway)) sel.value = state.gateway;
    }
    state.gateway = sel.value || null;
    if (!state.dayChosen) {
      const g = now.gateways.find((x) => x.gateway === state.gateway);
      const today = new Date().toLocaleDateString('sv-SE', { timeZone: state.zone });
      state.day = g ? g.day : today;
      $('day').value = state.day;
    }
    if (!now.gateways.length) {
      $('now').innerHTML = '<p class="muted">The archive holds no readings yet.</p>';
      return;
    }
    $('now').innerHTML = now.gateways.map((g) => {
      const net = g.net_w;
      const grid = net === null ? '–' : (net >= 0 ? 'importing ' + watts(net) : 'exporting ' + watts(-net));
      return '<div class="card gw">' + esc(g.gateway) + ' <span class="muted">· newest reading ' + age(g.age_s)
        + '</span></div>'
        + '<div class="card"><div class="label">Production</div><div class="value prod">' + watts(g.production_w) + '</div></div>'
        + '<div class="card"><div class="label">Consumption</div><div class="value cons">' + watts(g.consumption_w) + '</div></div>'
        + '<div class="card"><div class="label">Grid</div><div class="value ' + (net > 0 ? 'imp' : 'exp') + '">' + grid + '</div></div>'
        + (g.battery_soc_pct === null ? '' : '<div class="card"><div class="label">Battery</div><div class="value">'
          + g.battery_soc_pct.toFixed(0) + ' %</div></div>');
    }).join('');
    page.loaded.now = Date.now();
  }

  // ---------------------------------------------------------------------------------------------------- Day
  async function loadDay() {
    if (!state.gateway) return;
    const p = await api('power', { gateway: state.gateway, day: state.day });
    page.data.power = p;
    $('day-title').textContent = state.day + ' · ' + p.zone + (p.bucket_s > 1 ? ' · ' + p.bucket_s + ' s averages' : '');
    const l = (p.ledger || [])[0];
    $('totals').innerHTML = l
      ? '<span class="prod">Produced <b>' + kwh(l.produced_kwh) + '</b> kWh</span>'
        + '<span class="cons">Consumed <b>' + kwh(l.consumed_kwh) + '</b> kWh</span>'
        + '<span class="imp">Imported <b>' + kwh(l.imported_kwh) + '</b> kWh</span>'
        + '<span class="exp">Exported <b>' + kwh(l.exported_kwh) + '</b> kWh</span>'
        + '<span>Self-sufficiency <b>' + pct(l.self_sufficiency_pct) + '</b></span>'
      : '<span class="muted">No ledger row for this day (yet).</span>';
    const range = { x: { time: true, range: () => [p.from, p.to] } };
    if (!p.time.length) {
      $('power-chart').innerHTML = '<p class="muted">No readings on this day.</p>';
      if (page.charts.power) { page.charts.power.destroy(); delete page.charts.power; }
    } else {
      chart('power', $('power-chart'), { series: powerSeries(), axes: [{}, powerAxis], scales: range },
        withGaps(p.time, [p.production_w, p.consumption_w, p.net_w]));
    }
    const phases = Object.keys(p.phases || {});
    $('phase-block').hidden = phases.length === 0;
    if (phases.length) {
      const base = p.phases[phases[0]].time;
      const series = [{}], cols = [];
      const palette = ['#e8a200', '#3b6fd8', '#7a4fd1', '#2e9e5b', '#d9534f', '#00838f'];
      phases.forEach((ph, i) => {
        const byTime = new Map(p.phases[ph].time.map((t, k) => [t, p.phases[ph].production_w[k]]));
        const byTimeC = new Map(p.phases[ph].time.map((t, k) => [t, p.phases[ph].consumption_w[k]]));
        series.push({ label: ph + ' production', stroke: palette[i % 6], width: 2, value: (u, v) => watts(v) });
        series.push({ label: ph + ' consumption', stroke: palette[i % 6], width: 1, dash: [4, 3], value: (u, v) => watts(v) });
        cols.push(base.map((t) => byTime.has(t) ? byTime.get(t) : null));
        cols.push(base.map((t) => byTimeC.has(t) ? byTimeC.get(t) : null));
      });
      chart('phases', $('phase-chart'), { series, axes: [{}, powerAxis], scales: range }, withGaps(base, cols));
    }
    page.loaded.power = Date.now();
  }

  // ---------------------------------------------------------------------------------------------------- Inverters
  async function loadInverters() {
    if (!state.gateway) return;
    const inv = await api('inverters', { gateway: state.gateway, day: state.day });
    page.data.inverters = inv;
    drawHeatmap(inv);
    $('inverters').querySelector('tbody').innerHTML = inv.list.map((r) => '<tr><td>' + esc(r.serial) + '</td><td>'
      + clock(r.last_report) + '</td><td class="num">' + (r.peak_watts === null ? '–' : Math.round(r.peak_watts))
      + '</td><td class="num">' + (r.max_watts === null ? '–' : Math.round(r.max_watts)) + '</td></tr>').join('')
      || '<tr><td colspan="4" class="muted">No inverter readings on this day.</td></tr>';
    page.loaded.inverters = Date.now();
  }

  function drawHeatmap(inv) {
    const canvas = $('heatmap');
    const rows = inv.serials.length;
    canvas.dataset.rows = rows;
    const label = window.innerWidth < 600 ? 70 : 110, rowH = window.innerWidth < 600 ? 12 : 16, axisH = 18;
    const w = width(canvas.parentElement), h = rows ? rows * rowH + axisH : 24;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = w * dpr; canvas.height = h * dpr; canvas.style.height = h + 'px';
    const ctx = canvas.getContext('2d');
    ctx.scale(dpr, dpr);
    ctx.clearRect(0, 0, w, h);
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#6b7280';
    if (!rows) { ctx.fillText('No inverter readings on this day.', 4, 16); return; }
    const max = Math.max(1, ...inv.list.map((r) => r.max_watts || 0), ...inv.watts.flat().filter((v) => v !== null));
    const span = inv.to - inv.from, plotW = w - label - 4;
    const x = (t) => label + (t - inv.from) / span * plotW;
    const cellW = Math.max(1, inv.bucket_s / span * plotW);
    inv.serials.forEach((serial, r) => {
      const y = r * rowH;
      ctx.fillStyle = '#6b7280';
      ctx.textBaseline = 'middle';
      let name = serial;
      while (name.length > 4 && ctx.measureText(name).width > label - 6) name = '…' + name.slice(2);
      ctx.fillText(name, 2, y + rowH / 2);
      ctx.fillStyle = '#f1f2f4';
      ctx.fillRect(label, y + 1, plotW, rowH - 2);
      inv.watts[r].forEach((v, i) => {
        if (v === null) return;
        const f = Math.max(0, Math.min(1, v / max));
        ctx.fillStyle = 'hsl(' + (220 - 180 * f) + ', ' + (30 + 60 * f) + '%, ' + (92 - 42 * f) + '%)';
        ctx.fillRect(x(inv.time[i]), y + 1, cellW + 0.5, rowH - 2);
      });
    });
    ctx.fillStyle = '#6b7280';
    ctx.textBaseline = 'top';
    for (let hr = 0; hr <= 24; hr += (w < 600 ? 6 : 3)) {
      const t = inv.from + hr * 3600;
      if (t > inv.to) break;
      const px = x(t);
      ctx.fillRect(px, rows * rowH, 1, 4);
      ctx.fillText(String(hr).padStart(2, '0') + ':00', Math.min(px - 12, w - 32), rows * rowH + 5);
    }
  }

  // ---------------------------------------------------------------------------------------------------- Ledger
  async function loadLedger() {
    const last = state.day || new Date().toISOString().slice(0, 10);
    const d = new Date(last + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() - (state.by === 'month' ? 730 : 89));
    const from = d.toISOString().slice(0, 10);
    const params = { gateway: state.gateway, from, to: last, by: state.by };
    const led = await api('ledger', params);
    page.data.ledger = led;
    $('ledger-csv').href = '/api/ledger.csv?' + new URLSearchParams({ gateway: state.gateway || '', from, to: last });
    const key = state.by === 'month' ? 'month' : 'day';
    const xs = led.rows.map((r) => Date.UTC(+r[key].slice(0, 4), +r[key].slice(5, 7) - 1, key === 'day' ? +r[key].slice(8, 10) : 1) / 1000);
    const col = (c) => led.rows.map((r) => r[c]);
    $('ledger').querySelector('thead th').textContent = key === 'day' ? 'Day' : 'Month';
    $('ledger').querySelector('tbody').innerHTML = led.rows.slice().reverse().map((r) => '<tr><td>' + esc(r[key])
      + '</td><td class="num">' + kwh(r.produced_kwh) + '</td><td class="num">' + kwh(r.consumed_kwh)
      + '</td><td class="num">' + kwh(r.imported_kwh) + '</td><td class="num">' + kwh(r.exported_kwh)
      + '</td><td class="num">' + pct(r.self_sufficiency_pct) + '</td></tr>').join('')
      || '<tr><td colspan="6" class="muted">No ledger rows in this range.</td></tr>';
    if (!led.rows.length) {
      if (page.charts.ledger) { page.charts.ledger.destroy(); delete page.charts.ledger; }
      $('ledger-chart').innerHTML = '';
      page.loaded.ledger = Date.now();
      return;
    }
    const bars = (align) => uPlot.paths.bars({ size: [0.4, 40], align });
    const kwhV = (u, v) => v === null || v === undefined ? '–' : v.toFixed(2) + ' kWh';
    // at least two weeks (or six months) on the axis, so that a young archive's few bars keep a sensible width
    const unit = key === 'day' ? 86400 : 86400 * 30.4, lastX = xs[xs.length - 1];
    const firstX = Math.min(xs[0], lastX - (key === 'day' ? 13 : 5) * unit);
    chart('ledger', $('ledger-chart'), {
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
      scales: { x: { time: true, range: () => [firstX - unit * 0.6, lastX + unit * 0.6] },
        y: { range: (u, min, max) => [0, Math.max(1, max) * 1.1] }, pct: { range: [0, 100] } },
      series: [{ value: (u, v) => v === null ? '' : new Date(v * 1000).toISOString().slice(0, key === 'day' ? 10 : 7) },
        { label: 'Produced', fill: COLORS.produced, stroke: COLORS.produced, paths: bars(-1), points: { show: false }, value: kwhV },
        { label: 'Consumed', fill: COLORS.consumed, stroke: COLORS.consumed, paths: bars(1), points: { show: false }, value: kwhV },
        { label: 'Imported', stroke: COLORS.imported, width: 2, value: kwhV },
        { label: 'Exported', stroke: COLORS.exported, width: 2, value: kwhV },
        { label: 'Self-sufficiency', stroke: COLORS.share, width: 1, dash: [3, 3], scale: 'pct', value: (u, v) => pct(v) }],
      axes: [{}, { values: (u, vals) => vals.map((v) => v + ' kWh'), size: 70 },
        { scale: 'pct', side: 1, grid: { show: false }, values: (u, vals) => vals.map((v) => v + ' %'), size: 50 }],
    }, [xs, col('produced_kwh'), col('consumed_kwh'), col('imported_kwh'), col('exported_kwh'), col('self_sufficiency_pct')]);
    page.loaded.ledger = Date.now();
  }

  // ---------------------------------------------------------------------------------------------------- Pipeline
  async function loadPipeline() {
    const p = await api('pipeline');
    page.data.pipeline = p;
    const badge = (s) => '<span class="state ' + esc(s) + '">' + esc(s) + '</span>';
    $('pipeline-gateways').querySelector('tbody').innerHTML = p.gateways.map((g) => '<tr><td>' + esc(g.id)
      + (g.serial && g.serial !== g.id ? ' <span class="muted">' + esc(g.serial) + '</span>' : '') + '</td><td>'
      + badge(g.ok ? 'ok' : 'failing') + (g.failing_for_s ? ' <span class="muted">for ' + g.failing_for_s + ' s</span>' : '')
      + (g.token === 'DOWN' ? ' ' + badge('down') + ' token' : '') + '</td><td>' + age(g.last_good_poll_age_s)
      + '</td><td class="num">' + (g.token_days_left === null ? '–' : g.token_days_left) + '</td><td>'
      + esc(g.firmware || '–') + '</td></tr>').join('');
    $('pipeline-sinks').querySelector('tbody').innerHTML = p.sinks.map((s) => '<tr data-sink="' + esc(s.name)
      + '" data-state="' + esc(s.state) + '"><td>' + esc(s.name) + '</td><td>' + badge(s.state) + '</td><td class="num">'
      + s.spool_depth + '</td><td class="num">' + s.delivered + '</td><td class="wrap">' + esc(s.error || '')
      + '</td></tr>').join('');
    const dl = p.dead_letters;
    $('dead-count').textContent = '· ' + dl.count + ' waiting';
    $('dead-letters').innerHTML = dl.items.length ? dl.items.map((d) => '<li><b>' + esc(d.kind) + '</b> ' + esc(d.where)
      + ' <span class="muted">' + esc(d.at || '') + '</span><br>' + esc(d.reason || '') + '</li>').join('')
      : '<li class="muted">None.</li>';
    drawGaps(p.archive_gaps);
    page.loaded.pipeline = Date.now();
  }

  function minutes(s) {
    return s >= 5400 ? (s / 3600).toFixed(1) + ' h' : Math.round(s / 60) + ' min';
  }

  function drawGaps(ag) {
    const el = $('archive-gaps');
    const c = ag && ag.cloud;
    $('gaps-summary').textContent = c ? '· cloud calls this month ' + c.calls_month + ' / ' + c.limit_month
      + (c.gaps_waiting ? ', ' + c.gaps_waiting + ' gaps wait for the next round' : '') : '';
    if (!ag || ag.state === 'no-report') {
      el.innerHTML = '<p class="muted" data-gaps="no-report">No look at the archive yet (the first comes a few minutes'
        + ' after the start and needs the SQL sink).</p>';
    } else if (ag.state === 'none') {
      el.innerHTML = '<p data-gaps="none">No gaps found <span class="muted">(checked ' + clock(ag.checked_at)
        + ')</span>.</p>';
    } else {
      el.innerHTML = '<div class="scroll"><table id="gaps" data-gaps="gaps"><thead><tr><th>Gateway</th><th class="num">Gaps</th>'
        + '<th class="num">Longest</th><th>Missing days</th><th>Newest gaps</th></tr></thead><tbody>'
        + ag.gateways.map((g) => '<tr data-gateway="' + esc(g.gateway) + '"><td>' + esc(g.gateway) + '</td><td class="num">'
          + g.gaps + '</td><td class="num">' + (g.gaps ? minutes(g.longest_s) : '–') + '</td><td class="wrap">'
          + (g.missing_days.length ? esc(g.missing_days.join(', ')) : '–') + '</td><td class="wrap">'
          + g.items.map((x) => esc(x.measurement) + ' ' + clock(x.start) + '–' + clock(x.end) + ' ('
            + minutes(x.length_s) + ')').join('<br>') + '</td></tr>').join('')
        + '</tbody></table></div><p class="muted">Checked ' + clock(ag.checked_at) + '.</p>';
    }
  }

  // ---------------------------------------------------------------------------------------------------- wiring
  function guard(fn) {
    return () => fn().catch((e) => {
      console.error(e);
      $('updated').innerHTML = '<span class="error">' + esc(e.message) + '</span>';
    });
  }
  const refreshDay = () => Promise.all([guard(loadDay)(), guard(loadInverters)(), guard(loadLedger)()]);
  async function refreshAll() {
    await guard(loadNow)();
    await Promise.all([refreshDay(), guard(loadPipeline)()]);
    $('updated').textContent = 'Updated ' + new Date().toLocaleTimeString();
  }
  $('gateway').addEventListener('change', () => { state.gateway = $('gateway').value; state.dayChosen = false; refreshAll(); });
  $('day').addEventListener('change', () => { state.day = $('day').value; state.dayChosen = true; refreshDay(); });
  document.querySelectorAll('input[name=by]').forEach((r) => r.addEventListener('change', () => {
    state.by = r.value; guard(loadLedger)();
  }));
  let resize;
  window.addEventListener('resize', () => { clearTimeout(resize); resize = setTimeout(refreshDay, 200); });
  page.setDay = (day) => { state.day = day; state.dayChosen = true; $('day').value = day; return refreshDay(); };
  page.refresh = refreshAll;
  refreshAll();
  setInterval(() => { guard(loadNow)(); guard(loadPipeline)(); }, 10000);
  setInterval(() => { if (!document.hidden) refreshDay(); }, 60000);
})();
