/** A small hand-written SVG line/scatter plot, enough for loss curves and regression fits. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface Series {
  x: readonly number[];
  y: readonly number[];
  label: string;
  color: string;
  kind?: "line" | "scatter";
}

export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  logY?: boolean;
}

const W = 640;
const H = 400;
const M = { left: 70, right: 20, top: 40, bottom: 50 };

function ticks(lo: number, hi: number, n = 5): number[] {
  if (hi === lo) return [lo];
  const step = Math.pow(10, Math.floor(Math.log10((hi - lo) / n)));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (hi - lo) / s <= n) ?? step * 10;
  const out: number[] = [];
  for (let v = Math.ceil(lo / nice) * nice; v <= hi + nice * 1e-9; v += nice) out.push(Number(v.toPrecision(12)));
  return out;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

export function linePlot(path: string, series: Series[], opts: PlotOptions): void {
  const f = (v: number) => (opts.logY ? Math.log10(Math.max(v, 1e-300)) : v);
  const xs = series.flatMap((s) => s.x);
  const ys = series.flatMap((s) => s.y.map(f)).filter(Number.isFinite);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const px = (v: number) => M.left + ((v - x0) / (x1 - x0 || 1)) * (W - M.left - M.right);
  const py = (v: number) => H - M.bottom - ((f(v) - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(opts.title)}</text>`,
    `<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="black"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="black"/>`,
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">${esc(opts.xLabel)}</text>`,
    `<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">${esc(opts.yLabel)}</text>`,
  ];
  for (const t of ticks(x0, x1)) {
    parts.push(`<text x="${px(t)}" y="${H - M.bottom + 16}" text-anchor="middle">${t}</text>`);
  }
  for (const t of ticks(y0, y1)) {
    const y = H - M.bottom - ((t - y0) / (y1 - y0)) * (H - M.top - M.bottom);
    const label = opts.logY ? `1e${t}` : String(t);
    parts.push(`<line x1="${M.left - 4}" y1="${y}" x2="${M.left}" y2="${y}" stroke="black"/>`);
    parts.push(`<text x="${M.left - 6}" y="${y + 4}" text-anchor="end">${label}</text>`);
  }
  series.forEach((s, i) => {
    if (s.kind === "scatter") {
      s.x.forEach((x, j) => parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(s.y[j]).toFixed(1)}" r="3" fill="${s.color}"/>`));
    } else {
      const pts = s.x.map((x, j) => `${px(x).toFixed(1)},${py(s.y[j]).toFixed(1)}`).join(" ");
      parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${pts}"/>`);
    }
    parts.push(`<rect x="${W - M.right - 130}" y="${M.top + i * 18}" width="10" height="10" fill="${s.color}"/>`);
    parts.push(`<text x="${W - M.right - 115}" y="${M.top + i * 18 + 9}">${esc(s.label)}</text>`);
  });
  parts.push("</svg>");
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, parts.join("\n") + "\n");
}

/** Keeps at most n evenly spaced points of a long curve (plots of 20,000 epochs stay small). */
export function thin(ys: readonly number[], n = 1000): { x: number[]; y: number[] } {
  const step = Math.max(1, Math.ceil(ys.length / n));
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < ys.length; i += step) {
    x.push(i + 1);
    y.push(ys[i]);
  }
  return { x, y };
}
