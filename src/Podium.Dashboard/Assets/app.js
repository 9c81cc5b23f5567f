// Podium's run dashboard: plain JavaScript, no libraries (served from the assembly, works offline).
'use strict';

const state = {
  runs: [], paramKeys: [], store: '',
  selected: new Set(JSON.parse(localStorage.getItem('podium.selected') || '[]')),
  sort: JSON.parse(localStorage.getItem('podium.sort') || '{"key":"started","dir":"descending"}'),
  columns: JSON.parse(localStorage.getItem('podium.columns') || 'null'),
  filter: '', status: '', params: {},
};
const PALETTE = ['#2f6fdb', '#e8590c', '#2b8a3e', '#c2255c', '#7048e8', '#0b7285', '#e67700', '#5c940d', '#862e9c', '#495057'];
const color = i => i < PALETTE.length ? PALETTE[i] : `hsl(${(i * 137.5) % 360} 65% 45%)`;
const FIXED = { name: 'name', id: 'id', status: 'status', task: 'task', started: 'started', duration: 'duration', tags: 'tags' };
let timer = null;
let view = null;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c.nodeType ? c : String(c));
  return e;
}
const svgEl = (tag, attrs = {}) => {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};

async function api(path) {
  const response = await fetch(path);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || `${path}: ${response.status}`);
  return body;
}

function showError(e) {
  const box = document.getElementById('error');
  box.textContent = e ? String(e.message || e) : '';
  box.hidden = !e;
}

const number = v => v === null || v === undefined ? '' : Number.isInteger(v) ? String(v) : Math.abs(v) >= 1000 ? v.toFixed(1)
  : Number(v.toPrecision(4)).toString();
function duration(seconds) {
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor(s % 3600 / 60)} min`;
}
const when = iso => iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }) : '';
const statusBadge = s => el('span', { class: `status ${s}`, text: s });
function saveSelection() {
  localStorage.setItem('podium.selected', JSON.stringify([...state.selected]));
  document.getElementById('selected-count').textContent = `(${state.selected.size})`;
}

// ---------- runs table ----------

function defaultColumns() {
  const counts = {};
  for (const r of state.runs) for (const k of Object.keys(r.best)) counts[k] = (counts[k] || 0) + 1;
  const best = Object.keys(counts).filter(k => k.startsWith('val_')).sort((a, b) => counts[b] - counts[a] || a.localeCompare(b));
  return ['name', 'status', 'task', 'started', 'duration', 'tags', ...best.slice(0, 4).map(k => 'best:' + k)];
}
const columnTitle = c => c.startsWith('best:') ? c.slice(5) : c.startsWith('param:') ? c.slice(6) : c;
function cellValue(run, c) {
  if (c === 'duration') return run.seconds;
  if (c === 'tags') return run.tags.join(' ');
  if (c.startsWith('best:')) return run.best[c.slice(5)] ?? null;
  if (c.startsWith('param:')) {
    const v = (state.params[run.id] || {})[c.slice(6)];
    return v === undefined ? null : isFinite(Number(v)) && v !== '' ? Number(v) : v;
  }
  return run[c] ?? null;
}
function cell(run, c) {
  const v = cellValue(run, c);
  if (c === 'name') return el('td', {}, el('a', { href: `#/run/${run.id}`, text: run.name }));
  if (c === 'status') return el('td', {}, statusBadge(run.status));
  if (c === 'started') return el('td', { text: when(run.started) });
  if (c === 'duration') return el('td', { class: 'num', text: duration(run.seconds) });
  if (c === 'tags') return el('td', {}, run.tags.map(t => el('span', { class: 'tag', text: t })));
  return el('td', { class: typeof v === 'number' ? 'num' : '', text: typeof v === 'number' ? number(v) : v ?? '' });
}
function visibleRuns() {
  const f = state.filter.toLowerCase();
  const rows = state.runs.filter(r => (!state.status || r.status === state.status) && (!f || [r.name, r.id, r.task || '',
    ...r.tags].some(s => s.toLowerCase().includes(f))));
  const { key, dir } = state.sort;
  const sign = dir === 'ascending' ? 1 : -1;
  return rows.sort((a, b) => {
    const x = cellValue(a, key), y = cellValue(b, key);
    if (x === null || x === '') return y === null || y === '' ? 0 : 1; // runs without the figure last, either way
    if (y === null || y === '') return -1;
    return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * sign;
  });
}

async function loadParams() {
  const keys = state.columns.filter(c => c.startsWith('param:')).map(c => c.slice(6));
  state.params = keys.length ? await api(`api/params?keys=${encodeURIComponent(keys.join(','))}`) : {};
}

function runsView() {
  const table = el('table', { id: 'runs-table' });
  const search = el('input', { type: 'search', id: 'filter', placeholder: 'filter: name, id, task, tag', value: state.filter,
    oninput: e => { state.filter = e.target.value; renderTable(); } });
  const status = el('select', { id: 'status-filter', onchange: e => { state.status = e.target.value; renderTable(); } },
    el('option', { value: '', text: 'any status' }), ['running', 'finished', 'failed', 'killed'].map(s => el('option', { value: s, text: s })));
  status.value = state.status;
  const menu = el('div', { class: 'menu', hidden: true, id: 'columns-menu' });
  const columnsButton = el('button', { id: 'columns-button', onclick: () => { menu.hidden = !menu.hidden; } }, 'Columns');
  const compare = el('button', { class: 'primary', id: 'compare-button', onclick: () => { location.hash = '#/compare'; } }, 'Compare selected');
  const scatter = el('div', { class: 'panel', id: 'scatter-panel' });
  const count = el('span', { class: 'muted', id: 'run-count' });

  function renderMenu() {
    const bestKeys = [...new Set(state.runs.flatMap(r => Object.keys(r.best)))].sort();
    const options = [...Object.keys(FIXED), ...bestKeys.map(k => 'best:' + k), ...state.paramKeys.map(k => 'param:' + k)];
    menu.replaceChildren(...options.map(c => el('label', {}, el('input', { type: 'checkbox', value: c, checked: state.columns.includes(c),
      onchange: async e => {
        state.columns = e.target.checked ? [...state.columns, c] : state.columns.filter(x => x !== c);
        localStorage.setItem('podium.columns', JSON.stringify(state.columns));
        if (c.startsWith('param:')) await loadParams();
        renderTable();
      } }), ` ${c.startsWith('best:') ? 'best ' + c.slice(5) : c.startsWith('param:') ? 'param ' + c.slice(6) : c}`)));
  }

  function renderTable() {
    const rows = visibleRuns();
    const head = el('tr', {}, el('th', {}, el('input', { type: 'checkbox', title: 'select all shown', onchange: e => {
      for (const r of rows) e.target.checked ? state.selected.add(r.id) : state.selected.delete(r.id);
      saveSelection(); renderTable();
    } })), state.columns.map(c => el('th', { class: 'sortable', 'data-column': c,
      'aria-sort': state.sort.key === c ? state.sort.dir : null,
      onclick: () => {
        state.sort = { key: c, dir: state.sort.key === c && state.sort.dir === 'descending' ? 'ascending' : 'descending' };
        localStorage.setItem('podium.sort', JSON.stringify(state.sort));
        renderTable();
      } }, columnTitle(c))));
    const body = rows.map(r => el('tr', { 'data-id': r.id }, el('td', {}, el('input', { type: 'checkbox', checked: state.selected.has(r.id),
      onchange: e => { e.target.checked ? state.selected.add(r.id) : state.selected.delete(r.id); saveSelection(); } })),
      state.columns.map(c => cell(r, c))));
    table.replaceChildren(el('thead', {}, head), el('tbody', {}, body));
    count.textContent = `${rows.length} of ${state.runs.length} runs`;
  }

  const xSelect = el('select', { id: 'scatter-x' }), ySelect = el('select', { id: 'scatter-y' });
  const plot = el('div', { id: 'scatter' });
  async function renderScatter() {
    const bestKeys = [...new Set(state.runs.flatMap(r => Object.keys(r.best)))].sort();
    const fill = (select, options, fallback) => {
      const current = select.value || fallback;
      select.replaceChildren(...options.map(o => el('option', { value: o, text: columnTitle(o) })));
      if (options.includes(current)) select.value = current;
    };
    fill(xSelect, [...state.paramKeys.map(k => 'param:' + k), ...bestKeys.map(k => 'best:' + k)],
      state.paramKeys.includes('train.optimizer.lr') ? 'param:train.optimizer.lr' : undefined);
    // The figure runs are judged by: the monitor most runs have.
    const monitors = {};
    for (const r of state.runs) if (r.monitor && r.best[r.monitor] !== undefined) monitors[r.monitor] = (monitors[r.monitor] || 0) + 1;
    const monitor = Object.keys(monitors).sort((a, b) => monitors[b] - monitors[a])[0];
    fill(ySelect, bestKeys.map(k => 'best:' + k), monitor ? 'best:' + monitor : undefined);
    if (!xSelect.value || !ySelect.value) { plot.replaceChildren(el('p', { class: 'muted', text: 'no figures yet' })); return; }
    let xs = {};
    if (xSelect.value.startsWith('param:')) {
      const key = xSelect.value.slice(6);
      const values = await api(`api/params?keys=${encodeURIComponent(key)}`);
      for (const [id, v] of Object.entries(values)) xs[id] = v[key];
    } else for (const r of state.runs) xs[r.id] = r.best[xSelect.value.slice(5)];
    const points = state.runs.filter(r => xs[r.id] !== undefined && xs[r.id] !== null && r.best[ySelect.value.slice(5)] != null)
      .map(r => ({ x: xs[r.id], y: r.best[ySelect.value.slice(5)], label: `${r.name} (${r.id})`, id: r.id }));
    plot.replaceChildren(scatterChart(points, columnTitle(xSelect.value), columnTitle(ySelect.value)));
  }
  xSelect.onchange = renderScatter; ySelect.onchange = renderScatter;
  scatter.append(el('h3', { text: 'Hyperparameters against a figure' }), el('div', { class: 'toolbar' }, 'x', xSelect, 'y', ySelect), plot);

  view = {
    root: el('div', {}, el('div', { class: 'toolbar' }, search, status, el('span', { class: 'columns' }, columnsButton, menu), compare, count),
      el('div', { class: 'scroll' }, table), scatter),
    async refresh(first) {
      await loadRuns();
      if (!state.columns) state.columns = defaultColumns();
      if (first) { await loadParams(); renderMenu(); await renderScatter(); }
      renderTable();
    },
  };
}

async function loadRuns() {
  const data = await api('api/runs');
  state.runs = data.runs; state.paramKeys = data.paramKeys; state.store = data.store;
  document.getElementById('store').textContent = data.store;
}

// ---------- charts ----------

/** TensorBoard's smoothing: an exponential moving average, debiased so that the first points are not pulled to zero. */
function smooth(y, weight) {
  if (!weight) return y;
  let last = 0, n = 0;
  return y.map(v => {
    if (v === null || !isFinite(v)) return v;
    last = last * weight + (1 - weight) * v; n++;
    return last / (1 - Math.pow(weight, n));
  });
}

/** At most `max` points: bucket means (a 5,000-step curve draws as fast as a 500-step one). */
function thin(x, y, max) {
  if (x.length <= max) return [x, y];
  const size = x.length / max, tx = [], ty = [];
  for (let b = 0; b < max; b++) {
    let sx = 0, sy = 0, n = 0;
    for (let i = Math.floor(b * size); i < Math.floor((b + 1) * size); i++) if (y[i] !== null && isFinite(y[i])) { sx += x[i]; sy += y[i]; n++; }
    if (n) { tx.push(sx / n); ty.push(sy / n); }
  }
  return [tx, ty];
}

function ticks(lo, hi, count, log) {
  if (log) {
    // Decades, and 2 and 5 between them when the range spans few decades.
    const decades = Math.log10(hi / lo), out = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
      for (const m of decades < 3 ? [1, 2, 5] : [1]) out.push(Number((m * Math.pow(10, e)).toPrecision(6)));
    return out.filter(t => t >= lo * 0.999 && t <= hi * 1.001);
  }
  const step = Math.pow(10, Math.floor(Math.log10((hi - lo) / count || 1)));
  const nice = [1, 2, 5, 10].map(m => m * step).find(s => (hi - lo) / s <= count) || step * 10;
  const out = [];
  for (let t = Math.ceil(lo / nice) * nice; t <= hi + nice * 1e-9; t += nice) out.push(Number(t.toPrecision(12)));
  return out;
}

/** An SVG line chart of several series, {label, color, x, y}, with axes, grid, optional log y and a legend. */
function lineChart(series, { logY = false, xLabel = 'step', yLabel = '' } = {}) {
  const W = 720, H = 340, L = 64, R = 16, T = 12, B = 40;
  const svg = svgEl('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img' });
  const keep = v => v !== null && isFinite(v) && (!logY || v > 0);
  const all = series.flatMap(s => s.x.map((x, i) => [x, s.y[i]]).filter(p => keep(p[1])));
  if (!all.length) { const t = svgEl('text', { x: L, y: H / 2 }); t.textContent = 'no values'; svg.append(t); return svg; }
  let [x0, x1] = [Math.min(...all.map(p => p[0])), Math.max(...all.map(p => p[0]))];
  let [y0, y1] = [Math.min(...all.map(p => p[1])), Math.max(...all.map(p => p[1]))];
  if (x0 === x1) { x0 -= 1; x1 += 1; }
  if (y0 === y1) { y0 = logY ? y0 / 2 : y0 - 1; y1 = logY ? y1 * 2 : y1 + 1; }
  const fy = v => logY ? Math.log10(v) : v;
  const sx = x => L + (x - x0) / (x1 - x0) * (W - L - R);
  const sy = y => H - B - (fy(y) - fy(y0)) / (fy(y1) - fy(y0)) * (H - T - B);
  for (const t of ticks(y0, y1, 6, logY)) {
    svg.append(svgEl('line', { class: 'grid', x1: L, x2: W - R, y1: sy(t), y2: sy(t) }));
    const label = svgEl('text', { x: L - 6, y: sy(t) + 4, 'text-anchor': 'end' }); label.textContent = number(t); svg.append(label);
  }
  for (const t of ticks(x0, x1, 8, false)) {
    const label = svgEl('text', { x: sx(t), y: H - B + 16, 'text-anchor': 'middle' }); label.textContent = number(t); svg.append(label);
  }
  svg.append(svgEl('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }), svgEl('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }));
  const xl = svgEl('text', { x: (L + W - R) / 2, y: H - 6, 'text-anchor': 'middle' }); xl.textContent = xLabel; svg.append(xl);
  const yl = svgEl('text', { x: 12, y: (T + H - B) / 2, transform: `rotate(-90 12 ${(T + H - B) / 2})`, 'text-anchor': 'middle' });
  yl.textContent = yLabel + (logY ? ' (log)' : ''); svg.append(yl);
  for (const s of series) {
    const d = s.x.map((x, i) => [x, s.y[i]]).filter(p => keep(p[1])).map((p, i) => `${i ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
    if (!d) continue;
    const path = svgEl('path', { class: 'series', d, stroke: s.color, 'data-run': s.id || '' });
    const title = svgEl('title'); title.textContent = s.label; path.append(title);
    svg.append(path);
  }
  return svg;
}

function legend(series) {
  return el('div', { class: 'legend' }, series.map(s => el('span', {}, el('i', { style: `background:${s.color}` }), s.label)));
}

function scatterChart(points, xLabel, yLabel, id = 'scatter-svg') {
  const W = 720, H = 320, L = 64, R = 16, T = 12, B = 40;
  const svg = svgEl('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', id });
  if (!points.length) return el('p', { class: 'muted', text: 'no run has both values' });
  const numeric = points.every(p => typeof p.x === 'number' || (p.x !== '' && isFinite(Number(p.x))));
  const categories = numeric ? [] : [...new Set(points.map(p => String(p.x)))].sort();
  const xv = p => numeric ? Number(p.x) : categories.indexOf(String(p.x));
  const log = numeric && points.every(p => Number(p.x) > 0) && Math.max(...points.map(xv)) / Math.min(...points.map(xv)) >= 100;
  const fx = v => log ? Math.log10(v) : v;
  let [x0, x1] = [Math.min(...points.map(p => fx(xv(p)))), Math.max(...points.map(p => fx(xv(p))))];
  let [y0, y1] = [Math.min(...points.map(p => p.y)), Math.max(...points.map(p => p.y))];
  if (x0 === x1) { x0 -= 0.5; x1 += 0.5; }
  if (y0 === y1) { y0 -= 0.5; y1 += 0.5; }
  const pad = (x1 - x0) * 0.05, yPad = (y1 - y0) * 0.05;
  const sx = v => L + (fx(v) - x0 + pad) / (x1 - x0 + 2 * pad) * (W - L - R);
  const sy = y => H - B - (y - y0 + yPad) / (y1 - y0 + 2 * yPad) * (H - T - B);
  for (const t of ticks(y0, y1, 6, false)) {
    svg.append(svgEl('line', { class: 'grid', x1: L, x2: W - R, y1: sy(t), y2: sy(t) }));
    const label = svgEl('text', { x: L - 6, y: sy(t) + 4, 'text-anchor': 'end' }); label.textContent = number(t); svg.append(label);
  }
  const xTicks = numeric ? (log ? ticks(Math.pow(10, x0), Math.pow(10, x1), 6, true) : ticks(x0, x1, 6, false)) : categories.map((_, i) => i);
  for (const t of xTicks) {
    const label = svgEl('text', { x: sx(t), y: H - B + 16, 'text-anchor': 'middle' });
    label.textContent = numeric ? number(t) : categories[t]; svg.append(label);
  }
  svg.append(svgEl('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }), svgEl('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }));
  const xl = svgEl('text', { x: (L + W - R) / 2, y: H - 6, 'text-anchor': 'middle' }); xl.textContent = xLabel + (log ? ' (log)' : ''); svg.append(xl);
  const yl = svgEl('text', { x: 12, y: (T + H - B) / 2, transform: `rotate(-90 12 ${(T + H - B) / 2})`, 'text-anchor': 'middle' });
  yl.textContent = yLabel; svg.append(yl);
  for (const p of points) {
    const dot = svgEl('circle', { cx: sx(xv(p)), cy: sy(p.y), r: 5, fill: '#2f6fdb', 'fill-opacity': 0.75, class: 'point' });
    const title = svgEl('title'); title.textContent = `${p.label}: ${p.x}, ${number(p.y)}`; dot.append(title);
    if (p.id) dot.addEventListener('click', () => { location.hash = `#/run/${p.id}`; });
    svg.append(dot);
  }
  return svg;
}

// ---------- comparison ----------

function compareView(ids) {
  const root = el('div', {});
  const stepKey = el('select', { id: 'step-key' }), epochKey = el('select', { id: 'epoch-key' });
  const smoothing = el('input', { type: 'range', id: 'smoothing', min: 0, max: 0.99, step: 0.01, value: localStorage.getItem('podium.smoothing') || '0.6' });
  const smoothingLabel = el('span', { class: 'muted' });
  const logScale = el('input', { type: 'checkbox', id: 'log-scale' });
  const stepChart = el('div', { id: 'step-chart' }), epochChart = el('div', { id: 'epoch-chart' }), table = el('div', { id: 'compare-table' });
  const curves = {}; // run id -> {key, x, y}
  let data = null;

  function drawSteps() {
    const w = Number(smoothing.value);
    smoothingLabel.textContent = `smoothing ${w.toFixed(2)}`;
    const series = data.runs.map((r, i) => {
      const c = curves[r.id] || { x: [], y: [] };
      const [x, y] = thin(c.x, smooth(c.y, w), 1500);
      return { id: r.id, label: `${r.name} (${r.id})`, color: color(i), x, y };
    });
    stepChart.replaceChildren(lineChart(series, { logY: logScale.checked, yLabel: stepKey.value }), legend(series));
    window.podiumRendered = performance.now();
  }

  async function loadSteps(incremental) {
    await Promise.all(data.runs.map(async r => {
      const known = curves[r.id];
      const fresh = !incremental || !known || known.key !== stepKey.value;
      if (!fresh && r.status !== 'running') return;
      const after = fresh ? '' : `&after=${known.x[known.x.length - 1] ?? -1}`;
      const got = await api(`api/runs/${r.id}/steps?key=${encodeURIComponent(stepKey.value)}${after}`);
      curves[r.id] = fresh ? { key: stepKey.value, x: got.x, y: got.y } : { key: known.key, x: known.x.concat(got.x), y: known.y.concat(got.y) };
    }));
  }

  async function drawEpochs() {
    const got = await Promise.all(data.runs.map(r => api(`api/runs/${r.id}/epochs?key=${encodeURIComponent(epochKey.value)}`)));
    const series = data.runs.map((r, i) => ({ id: r.id, label: `${r.name} (${r.id})`, color: color(i), x: got[i].x, y: got[i].y }));
    epochChart.replaceChildren(lineChart(series, { xLabel: 'epoch', yLabel: epochKey.value }), legend(series));
  }

  function drawTable() {
    const head = el('tr', {}, el('th', {}), data.runs.map(r => el('th', {}, el('a', { href: `#/run/${r.id}`, text: `${r.name} (${r.id})` }))));
    const rows = [
      el('tr', {}, el('td', { text: 'status' }), data.runs.map(r => el('td', {}, statusBadge(r.status)))),
      el('tr', {}, el('td', { text: 'duration' }), data.runs.map(r => el('td', { class: 'num', text: duration(r.seconds) }))),
      ...data.figures.map(f => el('tr', {}, el('td', { text: f.figure }), f.values.map(v => el('td', { class: 'num', text: number(v) })))),
      ...data.differing.map(p => el('tr', { class: 'param' }, el('td', { text: p.key }), p.values.map(v => el('td', { text: v ?? '-' })))),
    ];
    table.replaceChildren(el('h3', { text: 'Figures, and the hyperparameters that differ' }), el('div', { class: 'scroll' },
      el('table', { id: 'comparison' }, el('thead', {}, head), el('tbody', {}, rows))), el('p', { class: 'muted', text: `${data.differing.length} hyperparameter(s) differ of ${data.paramCount}` }));
  }

  stepKey.onchange = async () => { await loadSteps(false); drawSteps(); };
  epochKey.onchange = drawEpochs;
  smoothing.oninput = () => { localStorage.setItem('podium.smoothing', smoothing.value); drawSteps(); };
  logScale.onchange = drawSteps;
  view = {
    root,
    async refresh(first) {
      if (!ids.length) { root.replaceChildren(el('p', { text: 'Select runs in the table to compare them.' })); return; }
      data = await api(`api/compare?ids=${ids.join(',')}`);
      if (first) {
        const fill = (select, keys, preferred) => {
          select.replaceChildren(...keys.map(k => el('option', { value: k, text: k })));
          select.value = keys.includes(preferred) ? preferred : keys[0] || '';
        };
        fill(stepKey, data.stepKeys, 'loss');
        fill(epochKey, data.epochKeys, data.epochKeys.includes('val_accuracy') ? 'val_accuracy' : 'val_loss');
        root.replaceChildren(el('h2', { text: `Comparing ${data.runs.length} runs` }),
          el('div', { class: 'charts' },
            el('div', { class: 'panel' }, el('div', { class: 'toolbar' }, 'per step', stepKey, smoothing, smoothingLabel,
              el('label', {}, logScale, ' log scale')), stepChart),
            el('div', { class: 'panel' }, el('div', { class: 'toolbar' }, 'per epoch', epochKey), epochChart)),
          table);
      }
      await loadSteps(!first);
      drawSteps();
      await drawEpochs();
      drawTable();
    },
  };
}

// ---------- one run ----------

function runView(id) {
  const root = el('div', {});
  let shownArtifacts = '';
  const stepKey = el('select', { id: 'run-step-key' });
  const chart = el('div', { id: 'run-chart' });
  let curve = null; // {key, x, y}: a live run's chart fetches only its new steps
  async function drawChart() {
    const fresh = !curve || curve.key !== stepKey.value;
    const after = fresh || !curve.x.length ? '' : `&after=${curve.x[curve.x.length - 1]}`;
    const got = await api(`api/runs/${id}/steps?key=${encodeURIComponent(stepKey.value)}${after}`);
    curve = fresh ? { key: stepKey.value, x: got.x, y: got.y } : { key: curve.key, x: curve.x.concat(got.x), y: curve.y.concat(got.y) };
    const [x, y] = thin(curve.x, smooth(curve.y, 0.6), 1500);
    chart.replaceChildren(lineChart([{ id, label: stepKey.value, color: color(0), x, y }], { yLabel: stepKey.value }));
  }
  stepKey.onchange = drawChart;
  const parts = { meta: el('div', { class: 'panel meta', id: 'run-meta' }), results: el('div', { id: 'run-results' }),
    epochs: el('div', { id: 'run-epochs' }), gallery: el('div', { class: 'gallery', id: 'run-gallery' }), files: el('ul', { id: 'run-files' }),
    config: el('pre', { id: 'run-config' }), params: el('div', { id: 'run-params' }), title: el('h2'),
    environment: el('pre', { id: 'run-environment' }), filesTitle: el('h3', { text: 'Files' }) };
  view = {
    root,
    async refresh(first) {
      const d = await api(`api/runs/${id}`);
      const r = d.run;
      parts.title.replaceChildren(`${r.name} `, el('span', { class: 'muted', text: r.id }), ' ', statusBadge(r.status));
      const meta = [['task', r.task], ['started', when(r.started)], ['duration', duration(r.seconds)], ['epochs', r.epochs],
        ['best epoch', r.bestEpoch ? `${r.bestEpoch} (by ${r.monitor})` : ''], ['steps logged', d.steps], ['host', r.host],
        ['git', r.git ? `${r.git.slice(0, 10)}${r.dirty ? ' (dirty)' : ''}` : ''], ['folder', r.folder], ['tags', r.tags.join(', ')],
        ['reason', r.reason]];
      parts.meta.replaceChildren(...meta.filter(m => m[1] !== null && m[1] !== undefined && m[1] !== '').flatMap(([k, v]) =>
        [el('span', { class: 'muted', text: k }), el('span', { text: String(v) })]));
      const results = Object.entries(d.results);
      const keys = [...new Set(results.flatMap(([, v]) => Object.keys(v)))].sort();
      parts.results.replaceChildren(...(results.length ? [el('h3', { text: 'Results' }), el('table', {},
        el('thead', {}, el('tr', {}, el('th'), results.map(([name]) => el('th', { text: name })))),
        el('tbody', {}, keys.map(k => el('tr', {}, el('td', { text: k }), results.map(([, v]) => el('td', { class: 'num', text: number(v[k]) }))))))] : []));
      const epochKeys = [...new Set(d.epochs.flatMap(e => Object.keys(e.values)))].sort();
      parts.epochs.replaceChildren(...(d.epochs.length ? [el('h3', { text: 'Epochs' }), el('table', { id: 'epochs-table' },
        el('thead', {}, el('tr', {}, el('th', { text: 'epoch' }), epochKeys.map(k => el('th', { text: k })))),
        el('tbody', {}, d.epochs.map(e => el('tr', { class: e.epoch === r.bestEpoch ? 'best' : null }, el('td', { text: e.epoch }),
          epochKeys.map(k => el('td', { class: 'num', text: number(e.values[k]) }))))))] : []));
      const artifacts = d.artifacts.join('\n');
      if (artifacts !== shownArtifacts) {
        shownArtifacts = artifacts;
        const url = a => `api/runs/${r.id}/artifact?name=${encodeURIComponent(a)}`;
        const images = d.artifacts.filter(a => /\.(png|jpe?g|svg)$/i.test(a));
        parts.gallery.replaceChildren(...images.map(a => el('figure', {}, el('img', { src: url(a), alt: a, loading: 'lazy' }), el('figcaption', { text: a }))));
        const files = d.artifacts.filter(a => !images.includes(a));
        parts.files.replaceChildren(...files.map(a => el('li', {}, el('a', { href: url(a), target: '_blank', text: a }))));
        parts.filesTitle.hidden = parts.files.hidden = !files.length;
      }
      parts.config.textContent = d.config || '(no config recorded)';
      parts.environment.textContent = d.environment ? JSON.stringify(JSON.parse(d.environment), null, 2) : '(not recorded)';
      const params = Object.entries(d.params);
      parts.params.replaceChildren(el('table', {}, el('tbody', {}, params.map(([k, v]) => el('tr', {}, el('td', { text: k }), el('td', { text: v }))))));
      if (first) {
        stepKey.replaceChildren(...d.stepKeys.map(k => el('option', { value: k, text: k })));
        stepKey.value = d.stepKeys.includes('loss') ? 'loss' : d.stepKeys[0] || '';
        root.replaceChildren(parts.title, parts.meta, parts.results,
          el('div', { class: 'panel' }, el('div', { class: 'toolbar' }, 'per step', stepKey, el('span', { class: 'muted', text: 'smoothing 0.6' })), chart),
          parts.epochs, el('h3', { text: 'Plots' }), parts.gallery, parts.filesTitle, parts.files,
          el('h3', { text: 'Config' }), parts.config, el('h3', { text: 'Hyperparameters' }), parts.params,
          el('details', {}, el('summary', { text: 'Environment' }), parts.environment));
      }
      if (d.stepKeys.length && (first || r.status === 'running')) await drawChart();
    },
  };
}

// ---------- studies ----------

function studiesView() {
  const root = el('div', {}, el('h2', { text: 'Studies' }));
  const box = el('div', { class: 'scroll' });
  root.append(box);
  view = {
    root, refresh: async () => {
      const { studies } = await api('api/studies');
      if (!studies.length) { box.replaceChildren(el('p', { class: 'muted', text: 'No studies in this store yet (podium tune makes them).' })); return; }
      box.replaceChildren(el('table', { id: 'studies-table' },
        el('tr', {}, ['study', 'direction', 'trials', 'complete', 'pruned', 'failed', 'running', 'best'].map(h => el('th', { text: h }))),
        studies.map(s => el('tr', {},
          el('td', {}, el('a', { href: `#/study/${encodeURIComponent(s.name)}`, text: s.name })),
          el('td', { text: s.maximize ? 'maximise' : 'minimise' }), el('td', { class: 'num', text: s.trials }),
          ['complete', 'pruned', 'fail', 'running'].map(k => el('td', { class: 'num', text: s.states[k] || 0 })),
          el('td', { class: 'num', text: number(s.best) })))));
    },
  };
}

/** Parallel coordinates: one axis per parameter (most important first) and the objective; one line per finished trial. */
function parallelChart(study, trials, axes) {
  const W = 140 * (axes.length + 1) + 80, H = 340, T = 24, B = 40, L = 50;
  const svg = svgEl('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', id: 'parallel-svg' });
  const values = trials.map(t => t.value);
  const [v0, v1] = [Math.min(...values), Math.max(...values)];
  const scale = axes.map(a => {
    const p = study.parameters.find(q => q.key === a);
    if (p.choices) return v => p.choices.length > 1 ? p.choices.indexOf(v) / (p.choices.length - 1) : 0.5;
    const xs = trials.map(t => t.params[a]).filter(v => v !== undefined).map(v => p.log ? Math.log10(v) : v);
    const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
    return v => hi > lo ? ((p.log ? Math.log10(v) : v) - lo) / (hi - lo) : 0.5;
  });
  const x = i => L + i * 140, y = f => H - B - f * (H - T - B);
  [...axes, 'objective'].forEach((a, i) => {
    svg.append(svgEl('line', { class: 'axis', x1: x(i), x2: x(i), y1: T, y2: H - B }));
    const label = svgEl('text', { x: x(i), y: H - B + 18, 'text-anchor': 'middle' }); label.textContent = a; svg.append(label);
  });
  const rank = v => v1 > v0 ? (v - v0) / (v1 - v0) : 1;
  for (const t of [...trials].sort((a, b) => (study.maximize ? a.value - b.value : b.value - a.value))) {
    const good = study.maximize ? rank(t.value) : 1 - rank(t.value);
    const points = axes.map((a, i) => t.params[a] === undefined ? null : [x(i), y(scale[i](t.params[a]))]).filter(p => p);
    points.push([x(axes.length), y(rank(t.value))]);
    const path = svgEl('path', { class: 'series', d: points.map((p, i) => `${i ? 'L' : 'M'}${p[0].toFixed(1)},${p[1].toFixed(1)}`).join(''),
      stroke: `hsl(${Math.round(240 - 200 * good)} 70% ${Math.round(55 - 10 * good)}%)`, 'stroke-opacity': 0.35 + 0.65 * good });
    const title = svgEl('title'); title.textContent = `trial ${t.number}: ${number(t.value)}`; path.append(title);
    svg.append(path);
  }
  return svg;
}

function studyView(name) {
  const root = el('div', {});
  view = {
    root, refresh: async () => {
      const s = await api(`api/studies/${encodeURIComponent(name)}`);
      const done = s.trials.filter(t => t.state === 'complete' && t.value !== null);
      const best = s.trials.find(t => t.number === s.best);
      const points = done.map(t => ({ x: t.number, y: t.value, id: t.run, label: `trial ${t.number}` }));
      let running = null;
      const stairs = { label: 'best so far', color: PALETTE[1], x: [], y: [] };
      for (const t of done) {
        running = running === null || (s.maximize ? t.value > running : t.value < running) ? t.value : running;
        stairs.x.push(t.number); stairs.y.push(running);
      }
      const axes = s.importance.map(i => i.key);
      const counts = Object.entries(s.trials.reduce((c, t) => ({ ...c, [t.state]: (c[t.state] || 0) + 1 }), {}))
        .map(([k, v]) => `${v} ${k}`).join(', ');
      root.replaceChildren(
        el('h2', { text: `Study ${s.name}` }),
        el('p', { class: 'muted', text: `${s.trials.length} trials (${counts}); objective ${s.maximize ? 'maximised' : 'minimised'}` }),
        best ? el('div', { class: 'panel', id: 'best-trial' }, el('h3', { text: `Best: trial ${best.number}, ${number(best.value)}` }),
          el('div', { class: 'meta' }, Object.entries(best.params).flatMap(([k, v]) => [el('span', { text: k }),
            el('span', { text: typeof v === 'number' ? number(v) : v })]))) : null,
        el('div', { class: 'charts' },
          el('div', { class: 'panel' }, el('h3', { text: 'Optimisation history' }), scatterChart(points, 'trial', 'objective', 'history-svg'),
            lineChart([stairs], { xLabel: 'trial', yLabel: 'best so far' })),
          el('div', { class: 'panel', id: 'importance' }, el('h3', { text: 'Parameter importance' }),
            s.importance.map(i => el('div', { class: 'bar-row' }, el('span', { text: i.key }),
              el('span', { class: 'bar', style: `width:${Math.round(300 * i.value)}px` }), el('span', { text: i.value.toFixed(2) }))))),
        done.length > 1 && axes.length ? el('div', { class: 'panel' }, el('h3', { text: 'Parallel coordinates' }), parallelChart(s, done, axes)) : null,
        el('h3', { text: 'Slices' }),
        el('div', { class: 'charts', id: 'slices' }, s.parameters.map(p => el('div', { class: 'panel' }, el('h3', { text: p.key }),
          scatterChart(done.filter(t => t.params[p.key] !== undefined).map(t => ({ x: t.params[p.key], y: t.value, id: t.run,
            label: `trial ${t.number}` })), p.key, 'objective', `slice-${p.key}`)))),
        el('h3', { text: 'Trials' }),
        el('div', { class: 'scroll' }, el('table', { id: 'trials-table' },
          el('tr', {}, ['trial', 'state', 'value', 'epochs', ...s.parameters.map(p => p.key)].map(h => el('th', { text: h }))),
          s.trials.map(t => el('tr', { class: t.number === s.best ? 'best' : '' },
            el('td', {}, t.run ? el('a', { href: `#/run/${t.run}`, text: t.number }) : String(t.number)),
            el('td', {}, statusBadge(t.state)), el('td', { class: 'num', text: number(t.value) }), el('td', { class: 'num', text: t.epochs }),
            s.parameters.map(p => el('td', { text: typeof t.params[p.key] === 'number' ? number(t.params[p.key]) : t.params[p.key] ?? '' })))))));
    },
  };
}

// ---------- routing and live updates ----------

async function route() {
  clearInterval(timer);
  const hash = location.hash || '#/';
  for (const a of document.querySelectorAll('header nav a')) a.classList.toggle('active', hash.startsWith(a.getAttribute('href')) && a.getAttribute('href') !== '#/' || hash === a.getAttribute('href'));
  if (hash.startsWith('#/run/')) runView(hash.slice(6));
  else if (hash.startsWith('#/study/')) studyView(decodeURIComponent(hash.slice(8)));
  else if (hash.startsWith('#/studies')) studiesView();
  else if (hash.startsWith('#/compare')) compareView(hash.length > 10 ? hash.slice(10).split(',') : [...state.selected]);
  else runsView();
  const current = view;
  document.getElementById('view').replaceChildren(current.root);
  try { await current.refresh(true); showError(null); } catch (e) { showError(e); }
  document.body.dataset.view = hash.split('/')[1] || 'runs';
  // Live: what is shown is read again every 2 s (only new steps for curves).
  timer = setInterval(async () => {
    if (view !== current || document.hidden) return;
    try { await current.refresh(false); showError(null); } catch (e) { showError(e); }
  }, 2000);
}

window.addEventListener('hashchange', route);
saveSelection();
api('api/info').then(info => { document.getElementById('store').textContent = info.store; }, showError);
route();
