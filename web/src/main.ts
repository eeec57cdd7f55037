/**
 * featlearn explorer: the single-page app served by `featlearn serve` (docs/explorer.md).
 *
 * Theory runs in the page (src/theory, bundled by Vite); figures are the Vega-Lite specs of
 * `featlearn plot` (src/plot/spec.ts) drawn by vega-embed; "Simulate" posts the config to the server
 * (simulate-client.ts) and overlays the points as they arrive; the state lives in the URL.
 * For tests the page exposes window.featlearnExplorer (ExplorerApi below).
 */
import './style.css';
import type { FigurePlot } from '../../src/plot/spec.js';
import { cliCommands, configYaml, CONFIG_FILE, download, figureCsv } from './export.js';
import { anatomyData, anatomySimRange, anatomyFigure, curveFigure, fmt, issuesByKey, learningCurve, type CurveData, type SimPoint } from './figures.js';
import type { MiMessage, MiRequest } from './multi-index-worker.js';
import { FigureView } from './plot.js';
import { startSimulation } from './simulate-client.js';
import {
  AXIS_CONTROLS,
  CONFIG_GROUPS,
  CONTROL_BY_KEY,
  fromQuery,
  MI_CONTROLS,
  parseValue,
  rawConfig,
  rawDynamicsConfig,
  SWEEP_CONFIG_KEY,
  SWEEP_RANGE,
  sweepOf,
  sweepValues,
  toQuery,
  type Control,
  type ExplorerState,
  type SweepKey,
  type Value,
  type View,
} from './state.js';

export interface ExplorerApi {
  /** The plotted theory line of the learning curve (y = null where the theory failed). */
  curve(): { x: number; y: number | null }[];
  /** A copy of the state. */
  state(): ExplorerState;
  /** The URL query of the state. */
  query(): string;
  /** Milliseconds from the last input event to the end of the view's render. */
  lastRedrawMs: number;
  /** Every redraw time measured since the page loaded (input event -> rendered view). */
  redrawTimes: number[];
  /** Whether the last redraw replaced the view's data only (no new view). */
  lastRedrawFast: boolean;
  /** Redraws completed. */
  redraws: number;
  /** Simulated points received for the current config. */
  simPoints(): SimPoint[];
  /** Status of the simulation: idle, running, done, cancelled, error. */
  simStatus: string;
  /** Multi-index results so far. */
  multiIndex(): MiState;
  /** The figure currently drawn (rows included). */
  figure(): FigurePlot | null;
}

interface MiState {
  running: boolean;
  deltaAlg: number | null;
  deltaNN: number | null;
  deltaNNNote: string;
  points: { delta: number; bulkEdge: number | null; bottom: number | null; outlier: boolean; error?: string }[];
  error: string;
}

declare global {
  interface Window {
    featlearnExplorer: ExplorerApi;
  }
}

const $ = <T extends HTMLElement>(sel: string): T => {
  const el = document.querySelector<T>(sel);
  if (!el) throw new Error(`explorer: missing element ${sel}`);
  return el;
};

const loaded = fromQuery(window.location.search);
/** Unreadable values of the page's link (shown in the notes line). */
const linkProblems = loaded.problems.length ? `link: ${loaded.problems.join('; ')}` : '';
let state: ExplorerState = loaded.state;
let curveData: CurveData | null = null;
let currentFigure: FigurePlot | null = null;
let sim: SimPoint[] = [];
let simKey = '';
let simHandle: { cancel(): Promise<void> } | null = null;
let mi: MiState = { running: false, deltaAlg: null, deltaNN: null, deltaNNNote: '', points: [], error: '' };
let miWorker: Worker | null = null;
let miKey = '';

const api: ExplorerApi = {
  curve: () => (curveData ? curveData.curve.map((p) => ({ ...p })) : []),
  state: () => structuredClone(state),
  query: () => toQuery(state),
  lastRedrawMs: NaN,
  redrawTimes: [],
  lastRedrawFast: false,
  redraws: 0,
  simPoints: () => sim.map((p) => structuredClone(p)),
  simStatus: 'idle',
  multiIndex: () => structuredClone(mi),
  figure: () => currentFigure,
};
window.featlearnExplorer = api;

// ---------------------------------------------------------------- controls

const inputs = new Map<string, { set(v: Value): void; row: HTMLElement; err: HTMLElement; inputs: HTMLInputElement[] | HTMLSelectElement[] }>();

function sliderPosition(c: Control, v: number): number {
  return c.log ? Math.log10(Math.max(v, 1e-300)) : v;
}

function fromSlider(c: Control, pos: number): number {
  if (c.log) return Number((10 ** pos).toPrecision(3));
  const step = c.step ?? 0.01;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Number(pos.toFixed(decimals));
}

function makeControl(c: Control, onChange: (key: string, v: Value, t0: number) => void): HTMLElement {
  const row = document.createElement('div');
  row.className = `control control-${c.kind}`;
  row.dataset.key = c.key;
  const id = `ctl-${c.key.replace(/\./g, '-')}`;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.innerHTML = `<span class="sym">${c.label}</span><span class="key">${c.key}</span>`;
  label.title = c.help;
  row.appendChild(label);
  const err = document.createElement('div');
  err.className = 'err';
  err.setAttribute('role', 'alert');
  const wrap = document.createElement('div');
  wrap.className = 'field';
  row.appendChild(wrap);
  let set: (v: Value) => void;
  let els: HTMLInputElement[] | HTMLSelectElement[];
  if (c.kind === 'slider') {
    const range = document.createElement('input');
    range.type = 'range';
    range.id = id;
    range.min = String(c.log ? Math.log10(c.min ?? 1e-4) : c.min ?? 0);
    range.max = String(c.log ? Math.log10(c.max ?? 1) : c.max ?? 1);
    range.step = String(c.log ? 0.01 : c.step ?? 0.01);
    const num = document.createElement('input');
    num.type = 'number';
    num.className = 'num';
    num.step = 'any';
    num.setAttribute('aria-label', `${c.key} value`);
    set = (v) => {
      range.value = String(sliderPosition(c, Number(v)));
      num.value = String(v);
    };
    range.addEventListener('input', (ev) => {
      const v = fromSlider(c, Number(range.value));
      num.value = String(v);
      onChange(c.key, v, ev.timeStamp);
    });
    num.addEventListener('change', (ev) => {
      const v = parseValue(c, num.value);
      if (v === undefined) {
        err.textContent = `${c.key}: expected a number, got "${num.value}"`;
        return;
      }
      range.value = String(sliderPosition(c, Number(v)));
      onChange(c.key, v, ev.timeStamp);
    });
    wrap.append(range, num);
    els = [range, num];
  } else if (c.kind === 'select') {
    const sel = document.createElement('select');
    sel.id = id;
    for (const o of c.options ?? []) {
      const opt = document.createElement('option');
      opt.value = o;
      opt.textContent = o;
      sel.appendChild(opt);
    }
    set = (v) => (sel.value = String(v));
    sel.addEventListener('change', (ev) => onChange(c.key, sel.value, ev.timeStamp));
    wrap.append(sel);
    els = [sel];
  } else if (c.kind === 'checkbox') {
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = id;
    set = (v) => (box.checked = Boolean(v));
    box.addEventListener('change', (ev) => onChange(c.key, box.checked, ev.timeStamp));
    wrap.append(box);
    els = [box];
  } else {
    const inp = document.createElement('input');
    inp.id = id;
    inp.type = c.kind === 'number' ? 'number' : 'text';
    if (c.kind === 'number') {
      inp.step = c.integer ? '1' : 'any';
      if (c.min !== undefined) inp.min = String(c.min);
      if (c.max !== undefined) inp.max = String(c.max);
    }
    if (c.suggestions) {
      const list = document.createElement('datalist');
      list.id = `${id}-list`;
      for (const s of c.suggestions) {
        const o = document.createElement('option');
        o.value = s;
        list.appendChild(o);
      }
      inp.setAttribute('list', list.id);
      wrap.append(list);
    }
    set = (v) => (inp.value = String(v));
    inp.addEventListener('change', (ev) => {
      const v = parseValue(c, inp.value);
      if (v === undefined) {
        err.textContent = `${c.key}: expected ${c.integer ? 'an integer' : 'a number'}, got "${inp.value}"`;
        return;
      }
      onChange(c.key, v, ev.timeStamp);
    });
    wrap.append(inp);
    els = [inp];
  }
  row.appendChild(err);
  inputs.set(c.key, { set, row, err, inputs: els });
  set(state.values[c.key]);
  return row;
}

function buildControls(): void {
  const side = $('#controls');
  for (const g of CONFIG_GROUPS) {
    const box = document.createElement('details');
    box.open = g.title !== 'Simulation' && g.title !== 'Theory';
    const sum = document.createElement('summary');
    sum.textContent = g.title;
    box.appendChild(sum);
    for (const c of g.controls) box.appendChild(makeControl(c, onControl));
    side.appendChild(box);
  }
  const axis = $('#axis-controls');
  for (const c of AXIS_CONTROLS) axis.appendChild(makeControl(c, onControl));
  const mic = $('#mi-controls');
  for (const c of MI_CONTROLS) mic.appendChild(makeControl(c, onControl));
}

/** Shows which controls apply (power exponent) and which is swept. */
function syncControls(): void {
  const swept = SWEEP_CONFIG_KEY[state.values.x as SweepKey];
  for (const [key, ui] of inputs) {
    const c = CONTROL_BY_KEY.get(key)!;
    ui.row.hidden = Boolean(c.when && !c.when(state));
    const isSwept = key === swept && state.view === 'curve';
    ui.row.classList.toggle('swept', isSwept);
    for (const el of ui.inputs) el.disabled = isSwept;
  }
}

function setAll(): void {
  for (const [key, ui] of inputs) ui.set(state.values[key]);
  syncControls();
}

// ---------------------------------------------------------------- drawing

const view = new FigureView($('#figure'));
let drawing = false;
let pendingT0: number | null = null;

function onControl(key: string, v: Value, t0: number): void {
  state = { ...state, values: { ...state.values, [key]: v } };
  if (key === 'x') {
    const [from, to] = SWEEP_RANGE[v as SweepKey];
    state.values.from = from;
    state.values.to = to;
    inputs.get('from')?.set(from);
    inputs.get('to')?.set(to);
  }
  syncControls();
  writeUrl();
  requestRedraw(t0);
}

function writeUrl(): void {
  const q = toQuery(state);
  window.history.replaceState(null, '', q ? `?${q}` : window.location.pathname);
}

/** Redraws after an input event at time t0 (performance.now() clock); coalesces events that arrive while drawing. */
function requestRedraw(t0: number = performance.now()): void {
  if (drawing) {
    pendingT0 = pendingT0 ?? t0;
    return;
  }
  drawing = true;
  void redraw(t0).finally(() => {
    drawing = false;
    if (pendingT0 !== null) {
      const t = pendingT0;
      pendingT0 = null;
      requestRedraw(t);
    }
  });
}

function showIssues(e: unknown): void {
  const { byKey, general } = issuesByKey(e);
  for (const [key, ui] of inputs) {
    const msgs = byKey.get(key) ?? (key.startsWith('mi.') ? undefined : byKey.get(key.replace(/^step\./, '')));
    ui.err.textContent = msgs ? msgs.join('\n') : '';
    ui.row.classList.toggle('invalid', Boolean(msgs));
  }
  // a key without a control (or a sweep key of the x axis) goes to the status line
  const unplaced = [...byKey.entries()].filter(([k]) => !inputs.has(k)).flatMap(([, m]) => m);
  setStatus('error', [...general, ...unplaced].join('\n') || 'invalid config: see the highlighted controls');
}

function clearIssues(prefix = ''): void {
  for (const [key, ui] of inputs) {
    if (prefix && !key.startsWith(prefix)) continue;
    if (!prefix && key.startsWith('mi.')) continue;
    ui.err.textContent = '';
    ui.row.classList.remove('invalid');
  }
}

function setStatus(kind: 'ok' | 'warn' | 'error', text: string): void {
  const el = $('#status');
  el.className = `status ${kind}`;
  el.textContent = text;
}

function configKeyOfSim(): string {
  return JSON.stringify([state.view, rawConfig(state), state.values.x, state.values.from, state.values.to, state.values.simPoints, state.values.seeds]);
}

async function redraw(t0: number): Promise<void> {
  document.body.dataset.view = state.view;
  for (const b of document.querySelectorAll<HTMLButtonElement>('.tab')) b.setAttribute('aria-selected', String(b.dataset.view === state.view));
  if (state.view === 'multi') {
    await drawMultiIndex();
    return;
  }
  if (simKey !== configKeyOfSim() && api.simStatus !== 'running') {
    sim = [];
    simKey = '';
  }
  let fig: FigurePlot;
  try {
    if (state.view === 'curve') {
      curveData = learningCurve(state);
      fig = curveFigure(state, curveData, sim);
      const c = curveData.config;
      const extra = curveData.failures.length ? ` — ${curveData.failures.length} point(s) failed: ${curveData.failures.slice(0, 2).join('; ')}` : '';
      setStatus(curveData.failures.length ? 'warn' : 'ok', `${curveData.method}: ${curveData.methodReason}. d = ${c.d}, N = ${c.width}, n₀ = ${c.n0}, n = ${c.n}${extra}`);
      $('#notes').textContent = [linkProblems, ...curveData.warnings].filter(Boolean).join(' · ');
    } else {
      const data = anatomyData(state);
      fig = anatomyFigure(data, sim);
      setStatus('ok', `BBP: ${data.separated ? `outlier at s₁ = ${fmt(data.top)}` : 'no outlier (top singular value at the bulk edge)'}; bulk edge ${fmt(data.edge)}. d = ${data.config.d}, N = ${data.config.width}`);
      $('#notes').textContent = [linkProblems, ...data.notes].filter(Boolean).join(' · ');
    }
    clearIssues();
  } catch (e) {
    showIssues(e);
    $('#figure').classList.add('stale');
    return;
  }
  $('#figure').classList.remove('stale');
  currentFigure = fig;
  await view.show(fig);
  const ms = performance.now() - t0;
  api.lastRedrawMs = ms;
  api.redrawTimes.push(ms);
  api.lastRedrawFast = view.lastWasFast;
  api.redraws++;
  $('#timing').textContent = `redrawn in ${ms.toFixed(0)} ms`;
  updateCli();
}

function updateCli(): void {
  const cmd = cliCommands(state);
  $('#cli').textContent = `${cmd.withFile}\n# or, without a file:\n${cmd.withSet}`;
}

// ---------------------------------------------------------------- multi-index

function miDeltas(): number[] {
  const from = Math.max(1e-3, Number(state.values['mi.from']));
  const to = Math.max(from * 1.01, Number(state.values['mi.to']));
  const n = 24;
  return Array.from({ length: n }, (_, i) => from * (to / from) ** (i / (n - 1)));
}

function miFigure(): FigurePlot {
  const rows: FigurePlot['rows'] = [];
  for (const p of mi.points) {
    if (p.bulkEdge !== null) rows.push({ panel: 'hessian', series: 'bulk edge (lower)', method: 'reference', mark: 'line', x: p.delta, y: p.bulkEdge });
    if (p.bottom !== null) rows.push({ panel: 'hessian', series: 'bottom eigenvalue', method: 'theory', mark: 'line', x: p.delta, y: p.bottom });
    if (p.bulkEdge !== null && p.bottom !== null) rows.push({ panel: 'gap', series: 'outlier gap (edge − bottom)', method: 'theory', mark: 'line', x: p.delta, y: p.bulkEdge - p.bottom });
  }
  for (const panel of ['hessian', 'gap']) {
    if (mi.deltaAlg !== null && mi.deltaAlg > 0) rows.push({ panel, series: 'δ_alg', method: 'threshold', mark: 'vrule', x: mi.deltaAlg, y: null });
    if (mi.deltaNN !== null) rows.push({ panel, series: 'δ_NN', method: 'threshold', mark: 'vrule', x: mi.deltaNN, y: null });
  }
  return {
    title: 'Multi-index target: thresholds and the bottom of the Hessian spectrum',
    panels: [
      { id: 'hessian', title: 'bulk edge and bottom eigenvalue', x: { title: 'δ = n/d', log: true }, y: { title: 'eigenvalue of the Hessian' } },
      { id: 'gap', title: 'outlier below the bulk', x: { title: 'δ = n/d', log: true }, y: { title: 'bulk edge − bottom eigenvalue' } },
    ],
    rows,
    width: 330,
    height: 300,
  };
}

function miSummary(): void {
  const parts = [
    `δ_alg = ${mi.deltaAlg === null ? '—' : fmt(mi.deltaAlg)}`,
    `δ_NN = ${mi.deltaNN !== null ? fmt(mi.deltaNN) : mi.deltaNNNote || (mi.running ? 'computing…' : '—')}`,
  ];
  $('#mi-summary').textContent = parts.join('  ·  ');
  $('#spinner').hidden = !mi.running;
  if (mi.error) setStatus('error', mi.error);
}

async function drawMultiIndex(): Promise<void> {
  const raw = rawDynamicsConfig(state);
  const key = JSON.stringify([raw, miDeltas()]);
  if (key !== miKey) {
    miKey = key;
    miWorker?.terminate();
    mi = { running: true, deltaAlg: null, deltaNN: null, deltaNNNote: '', points: [], error: '' };
    clearIssues('mi.');
    setStatus('ok', 'computing δ_alg, the Hessian spectrum and δ_NN in a worker (δ_NN can take tens of seconds)…');
    const worker = new Worker(new URL('./multi-index-worker.ts', import.meta.url), { type: 'module' });
    miWorker = worker;
    worker.onmessage = (ev: MessageEvent<MiMessage>) => {
      if (worker !== miWorker) return;
      const m = ev.data;
      if (m.type === 'thresholds') mi.deltaAlg = m.deltaAlg;
      else if (m.type === 'point') mi.points.push({ delta: m.delta, bulkEdge: m.bulkEdge, bottom: m.bottom, outlier: m.outlier, error: m.error });
      else if (m.type === 'deltaNN') {
        mi.deltaNN = m.deltaNN;
        mi.deltaNNNote = m.deltaNN === null ? `none (${m.reason}: ${m.message})` : '';
        mi.running = false;
        setStatus('ok', `δ_NN computed in ${m.seconds.toFixed(1)} s (our reconstruction of Montanari & Wang 2026; docs/thresholds.md)`);
        worker.terminate();
      } else {
        mi.error = m.message;
        mi.running = false;
        const { byKey } = issuesByKey(new Error(m.message));
        const map: Record<string, string> = { width: 'mi.width', 'student.activation': 'mi.activation', 'teacher.link': 'mi.link', 'teacher.k': 'mi.k', 'teacher.noise': 'mi.noise' };
        for (const [k, msgs] of byKey) {
          const ui = inputs.get(map[k] ?? '');
          if (ui) {
            ui.err.textContent = msgs.join('\n');
            ui.row.classList.add('invalid');
          }
        }
        worker.terminate();
      }
      miSummary();
      if (state.view === 'multi') void showMi();
    };
    const req: MiRequest = { raw, deltas: miDeltas() };
    worker.postMessage(req);
  }
  miSummary();
  await showMi();
}

async function showMi(): Promise<void> {
  currentFigure = miFigure();
  await view.show(currentFigure);
  updateCli();
  const c = rawDynamicsConfig(state) as { width: number; student: { activation: string }; teacher: { link: string; noise: number; k?: number }; training: { loss: string } };
  $('#cli').textContent = `featlearn threshold --set teacher.link=${c.teacher.link}${c.teacher.k ? ` --set teacher.k=${c.teacher.k}` : ''} --set width=${c.width} --set student.activation=${c.student.activation} --set teacher.noise=${c.teacher.noise} --set training.loss=${c.training.loss} --set delta=${state.values['mi.to']}`;
}

// ---------------------------------------------------------------- simulation

function simGrid(): { key: SweepKey; values: number[] } {
  if (state.view === 'anatomy') {
    const r = anatomySimRange(state);
    return { key: 'eta', values: sweepValues(r.from, r.to, r.points) };
  }
  const sw = sweepOf(state);
  return { key: sw.key, values: sweepValues(sw.from, sw.to, Number(state.values.simPoints)) };
}

function setSimUi(running: boolean, text: string, fraction: number | null): void {
  ($('#simulate') as HTMLButtonElement).disabled = running || state.view === 'multi';
  ($('#cancel') as HTMLButtonElement).disabled = !running;
  $('#sim-text').textContent = text;
  const bar = $('#sim-progress') as HTMLProgressElement;
  if (fraction === null) bar.removeAttribute('value');
  else bar.value = fraction;
  bar.hidden = !running && fraction === null;
}

function simulate(): void {
  if (state.view === 'multi') return;
  const grid = simGrid();
  sim = [];
  simKey = configKeyOfSim();
  api.simStatus = 'running';
  setSimUi(true, `queued: ${grid.values.length} point(s) × ${state.values.seeds} seed(s) at d = ${state.values.d}`, null);
  const request = { config: rawConfig(state), seeds: Number(state.values.seeds), sweep: grid, spectrum: state.view === 'anatomy' };
  const finish = (status: string, text: string): void => {
    api.simStatus = status;
    simHandle = null;
    setSimUi(false, text, status === 'done' ? 1 : null);
  };
  simHandle = startSimulation(request, {
    onQueued: (e: { position: number }) => setSimUi(true, e.position > 0 ? `queued behind ${e.position} job(s)` : 'starting…', null),
    onProgress: (e: { done: number; total: number }) => setSimUi(true, `simulating: ${e.done}/${e.total} seed runs`, e.total > 0 ? e.done / e.total : null),
    onPoint: (p: SimPoint) => {
      sim = [...sim.filter((q) => q.index !== p.index), { index: p.index, value: p.value, rows: p.rows, singularValues: p.singularValues }].sort((a, b) => a.index - b.index);
      requestRedraw();
    },
    onDone: (e: { seconds: number }) => finish('done', `done: ${sim.length} point(s) in ${e.seconds.toFixed(1)} s (markers: mean ± one standard error over ${state.values.seeds} seeds)`),
    onCancelled: () => finish('cancelled', 'cancelled'),
    onError: (msg: string, detail?: { key?: string }) => {
      const key = detail?.key === 'width' ? 'psi' : detail?.key === 'n' ? 'alpha' : detail?.key === 'n0' ? 'alpha0' : detail?.key;
      const ui = key ? inputs.get(key) : undefined;
      if (ui) {
        ui.err.textContent = msg;
        ui.row.classList.add('invalid');
      }
      finish('error', `simulation failed: ${msg}`);
    },
  });
}

// ---------------------------------------------------------------- export

function baseName(): string {
  return `featlearn-${state.view}`;
}

function exportData(kind: string): void {
  void (async () => {
    try {
      if (kind === 'svg') download(`${baseName()}.svg`, await view.toSVG(), 'image/svg+xml');
      else if (kind === 'png') download(`${baseName()}.png`, await view.toPNG(2));
      else if (kind === 'csv' && currentFigure) download(`${baseName()}.csv`, figureCsv(currentFigure), 'text/csv');
      else if (kind === 'json') {
        const payload =
          state.view === 'multi'
            ? { config: rawDynamicsConfig(state), multiIndex: mi }
            : { config: curveData?.config ?? rawConfig(state), sweep: sweepOf(state), theory: state.view === 'curve' ? curveData?.points : undefined, simulation: sim, figure: currentFigure };
        download(`${baseName()}.json`, JSON.stringify(payload, null, 2), 'application/json');
      } else if (kind === 'config') {
        const cmd = cliCommands(state);
        download(CONFIG_FILE, `${configYaml(state)}# reproduce: ${cmd.withFile}\n# simulate:  ${cmd.simulate}\n`, 'application/yaml');
      } else if (kind === 'config-json') download('featlearn-explorer.json', JSON.stringify(rawConfig(state), null, 2), 'application/json');
    } catch (e) {
      setStatus('error', `export failed: ${(e as Error).message}`);
    }
  })();
}

// ---------------------------------------------------------------- start

function selectView(v: View): void {
  state = { ...state, view: v };
  syncControls();
  writeUrl();
  setSimUi(false, $('#sim-text').textContent ?? '', null);
  requestRedraw();
}

buildControls();
setAll();
for (const b of document.querySelectorAll<HTMLButtonElement>('.tab')) b.addEventListener('click', () => selectView(b.dataset.view as View));
$('#simulate').addEventListener('click', simulate);
$('#cancel').addEventListener('click', () => void simHandle?.cancel());
for (const b of document.querySelectorAll<HTMLButtonElement>('[data-export]')) b.addEventListener('click', () => exportData(b.dataset.export!));
$('#copy-link').addEventListener('click', () => {
  void navigator.clipboard?.writeText(window.location.href).catch(() => undefined);
  $('#sim-text').textContent = 'link copied (the URL holds every control)';
});
setSimUi(false, '', null);
requestRedraw();
