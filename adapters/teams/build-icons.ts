/**
 * Draws the Teams app icons: a speech bubble holding three agenda lines.
 *
 *   npx tsx adapters/teams/build-icons.ts      writes adapters/teams/icons/{color,outline}.png
 *
 * - color.png, 192×192: the bubble in white on the accent colour, full bleed, the symbol in
 *   the middle as Teams' icon guidelines ask.
 * - outline.png, 32×32: white on transparent only (Teams tints it), the bubble as a 2 px line.
 *
 * Shapes are signed distance functions, sampled 4×4 per pixel for smooth edges. The PNGs are
 * committed; run this again only when the design changes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

export const ACCENT = '#1F5C99';
export const ICON_DIR = path.join(__dirname, 'icons');

type Sdf = (x: number, y: number) => number;

/** Rounded rectangle centred at (cx, cy) with half sizes (hw, hh) and corner radius r. */
function roundedRect(cx: number, cy: number, hw: number, hh: number, r: number): Sdf {
  return (x, y) => {
    const qx = Math.abs(x - cx) - hw + r;
    const qy = Math.abs(y - cy) - hh + r;
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
  };
}

/** A convex polygon, vertices in order. */
function polygon(points: [number, number][]): Sdf {
  return (x, y) => {
    let d = Infinity;
    let inside = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [ax, ay] = points[j];
      const [bx, by] = points[i];
      const ex = bx - ax;
      const ey = by - ay;
      const t = Math.max(0, Math.min(1, ((x - ax) * ex + (y - ay) * ey) / (ex * ex + ey * ey)));
      d = Math.min(d, Math.hypot(x - ax - t * ex, y - ay - t * ey));
      if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
    }
    return inside ? -d : d;
  };
}

const union = (...shapes: Sdf[]): Sdf => (x, y) => Math.min(...shapes.map((s) => s(x, y)));

/** The symbol in unit coordinates: bubble (body + tail) and the three lines. */
function symbol(scale: number, offsetX: number, offsetY: number) {
  const t = (v: number, o: number) => o + v * scale;
  const body = roundedRect(t(0.5, offsetX), t(0.44, offsetY), 0.5 * scale, 0.32 * scale, 0.12 * scale);
  const tail = polygon([
    [t(0.16, offsetX), t(0.7, offsetY)],
    [t(0.4, offsetX), t(0.7, offsetY)],
    [t(0.1, offsetX), t(0.98, offsetY)],
  ]);
  const line = (y: number, to: number) => roundedRect(t((0.22 + to) / 2, offsetX), t(y, offsetY), ((to - 0.22) / 2) * scale, 0.035 * scale, 0.035 * scale);
  return { bubble: union(body, tail), lines: union(line(0.3, 0.78), line(0.44, 0.78), line(0.58, 0.6)) };
}

const hex = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));

/** Renders with 4×4 supersampling; `paint` returns [r, g, b, a] (0–255) for a sample point. */
function render(size: number, paint: (x: number, y: number) => [number, number, number, number]): Buffer {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const [cr, cg, cb, ca] = paint((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          // Premultiplied, so transparent samples do not darken the edge.
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const i = (py * size + px) * 4;
      png.data[i] = a ? Math.round(r / a) : 0;
      png.data[i + 1] = a ? Math.round(g / a) : 0;
      png.data[i + 2] = a ? Math.round(b / a) : 0;
      png.data[i + 3] = Math.round(a / (n * n));
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

export function colorIcon(): Buffer {
  const [ar, ag, ab] = hex(ACCENT);
  // The symbol fills the middle 60 % of the tile.
  const { bubble, lines } = symbol(0.6, 0.2, 0.2);
  return render(192, (x, y) => {
    if (lines(x, y) < 0) return [ar, ag, ab, 255];
    if (bubble(x, y) < 0) return [255, 255, 255, 255];
    return [ar, ag, ab, 255];
  });
}

export function outlineIcon(): Buffer {
  const size = 32;
  const stroke = 2 / size;
  // Nearly the whole 32 px: Teams shows it small, in the app bar.
  const { bubble, lines } = symbol(0.88, 0.06, 0.04);
  return render(size, (x, y) => {
    const d = bubble(x, y);
    const white = (d < 0 && d > -stroke) || lines(x, y) < 0;
    return [255, 255, 255, white ? 255 : 0];
  });
}

if (require.main === module) {
  mkdirSync(ICON_DIR, { recursive: true });
  writeFileSync(path.join(ICON_DIR, 'color.png'), colorIcon());
  writeFileSync(path.join(ICON_DIR, 'outline.png'), outlineIcon());
  process.stdout.write(`Ikonerna är skrivna i ${ICON_DIR}\n`);
}
