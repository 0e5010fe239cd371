// Charts drawn as SVG by hand (no library): grouped bars and lines with axes, grid, legend and titles.
import { t } from './i18n.js';

const NS = 'http://www.w3.org/2000/svg';
export const COLORS = ['#1664d9', '#f08a00', '#19a05a', '#d4380d', '#7a4dd8'];

function el(name, attrs = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

/** A "nice" upper bound and step for an axis from 0 to `max`. */
export function niceScale(max, ticks = 5, integer = false) {
  if (!(max > 0)) return { top: 1, step: 1 };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) || raw;
  if (integer) step = Math.max(1, Math.ceil(step));
  return { top: Math.ceil(max / step) * step, step };
}

function frame({ width, height, title, labels, top, step, format }) {
  const pad = { left: 48, right: 12, top: 28, bottom: 44 };
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': title, class: 'chart' });
  svg.append(el('title', {}, title));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const y = (v) => pad.top + plotH - (v / top) * plotH;
  for (let v = 0; v <= top + 1e-9; v += step) {
    svg.append(el('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: 'grid' }));
    svg.append(el('text', { x: pad.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, format(v)));
  }
  svg.append(el('line', { x1: pad.left, x2: width - pad.right, y1: y(0), y2: y(0), class: 'axis' }));
  const band = plotW / Math.max(labels.length, 1);
  const every = Math.ceil(labels.length / Math.max(1, Math.floor(plotW / 56)));
  labels.forEach((label, i) => {
    if (i % every !== 0) return;
    svg.append(el('text', { x: pad.left + band * i + band / 2, y: height - pad.bottom + 16, 'text-anchor': 'middle', class: 'tick' }, label));
  });
  return { svg, pad, plotW, plotH, y, band };
}

function legend(svg, series, width) {
  let x = width - 12;
  for (let i = series.length - 1; i >= 0; i -= 1) {
    const s = series[i];
    const label = el('text', { x, y: 16, 'text-anchor': 'end', class: 'legend' }, s.name);
    svg.append(label);
    x -= s.name.length * 13 + 8;
    svg.append(el('rect', { x, y: 6, width: 12, height: 12, fill: s.color || COLORS[i], rx: 2 }));
    x -= 12;
  }
}

/** Grouped bars: `series` = [{ name, values, color }], one value per label. */
export function barChart({ labels, series, title, width = 640, height = 260, format = (v) => String(Math.round(v * 100) / 100) }) {
  const all = series.flatMap((s) => s.values.map((v) => Number(v) || 0));
  const max = Math.max(0, ...all);
  const { top, step } = niceScale(max, 5, all.every((v) => Number.isInteger(v)));
  const f = frame({ width, height, title, labels, top, step, format });
  const inner = f.band * 0.8;
  const barW = inner / series.length;
  labels.forEach((label, i) => {
    series.forEach((s, j) => {
      const v = Number(s.values[i]) || 0;
      const x = f.pad.left + f.band * i + (f.band - inner) / 2 + barW * j;
      const rect = el('rect', { x, y: f.y(v), width: Math.max(1, barW - 1), height: Math.max(0, f.y(0) - f.y(v)), fill: s.color || COLORS[j], class: 'bar', 'data-value': v });
      rect.append(el('title', {}, `${label} ${s.name}: ${format(v)}`));
      f.svg.append(rect);
    });
  });
  if (series.length > 1 || series[0].name) legend(f.svg, series, width);
  return f.svg;
}

/** Lines: `series` = [{ name, values (null = no value), color }]. */
export function lineChart({ labels, series, title, width = 640, height = 260, format = (v) => String(Math.round(v * 10) / 10) }) {
  const max = Math.max(0, ...series.flatMap((s) => s.values.filter((v) => v !== null && v !== undefined).map(Number)));
  const { top, step } = niceScale(max);
  const f = frame({ width, height, title, labels, top, step, format });
  series.forEach((s, j) => {
    const color = s.color || COLORS[j];
    let d = '';
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) return;
      const x = f.pad.left + f.band * i + f.band / 2;
      d += (d ? ' L' : 'M') + x.toFixed(1) + ' ' + f.y(Number(v)).toFixed(1);
      const dot = el('circle', { cx: x, cy: f.y(Number(v)), r: 3.5, fill: color, class: 'dot', 'data-value': v });
      dot.append(el('title', {}, `${labels[i]} ${s.name}: ${format(Number(v))}`));
      f.svg.append(dot);
    });
    if (d) f.svg.insertBefore(el('path', { d, fill: 'none', stroke: color, 'stroke-width': 2, class: 'line' }), f.svg.querySelector('.dot'));
  });
  legend(f.svg, series, width);
  if (!series.some((s) => s.values.some((v) => v !== null && v !== undefined))) {
    f.svg.append(el('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'no-data' }, t('report.noData')));
  }
  return f.svg;
}
