// bench:page's chart: one SVG of grouped bars, a panel per measure (requests/s, CPU ms
// per request …), a group per scenario (page × traffic shape), a bar per server.
// Hand-written SVG: a person opens it in a browser; nothing to install.

export interface Panel {
  title: string;
  unit: string;
  /** A goal line, when there is one. */
  goal?: { value: number; label: string };
  groups: { name: string; bars: { label: string; value: number | null }[] }[];
}

const COLOURS = ['#2b6cb0', '#dd6b20', '#ed8936', '#718096', '#38a169', '#805ad5'];
const WIDTH = 960;
const PANEL_HEIGHT = 300;
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function panel(p: Panel, top: number, labels: string[]): string {
  const left = 60;
  const plotWidth = WIDTH - left - 20;
  const plotTop = top + 40;
  const plotHeight = PANEL_HEIGHT - 100;
  const values = p.groups.flatMap((g) => g.bars.map((b) => b.value ?? 0));
  const max = Math.max(1, p.goal?.value ?? 0, ...values) * 1.15;
  const y = (v: number) => plotTop + plotHeight - (v / max) * plotHeight;
  const groupWidth = plotWidth / Math.max(1, p.groups.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, labels.length);
  const out: string[] = [
    `<text x="${left}" y="${top + 20}" font-size="16" font-weight="bold">${escape(p.title)} (${escape(p.unit)})</text>`,
    `<line x1="${left}" y1="${plotTop + plotHeight}" x2="${left + plotWidth}" y2="${plotTop + plotHeight}" stroke="#333"/>`,
  ];
  p.groups.forEach((g, gi) => {
    const x0 = left + gi * groupWidth + groupWidth * 0.1;
    g.bars.forEach((b) => {
      const i = labels.indexOf(b.label);
      const x = x0 + i * barWidth;
      if (b.value === null) {
        out.push(
          `<text x="${x + barWidth / 2}" y="${plotTop + plotHeight - 4}" font-size="10" text-anchor="middle">n/a</text>`,
        );
        return;
      }
      out.push(
        `<rect x="${x}" y="${y(b.value)}" width="${barWidth - 2}" height="${plotTop + plotHeight - y(b.value)}" fill="${COLOURS[i % COLOURS.length]}"/>`,
        `<text x="${x + barWidth / 2}" y="${y(b.value) - 3}" font-size="10" text-anchor="middle">${b.value}</text>`,
      );
    });
    out.push(
      `<text x="${x0 + (groupWidth * 0.8) / 2}" y="${plotTop + plotHeight + 16}" font-size="12" text-anchor="middle">${escape(g.name)}</text>`,
    );
  });
  if (p.goal) {
    const gy = y(p.goal.value);
    out.push(
      `<line x1="${left}" y1="${gy}" x2="${left + plotWidth}" y2="${gy}" stroke="#c53030" stroke-dasharray="6 4"/>`,
      `<text x="${left + plotWidth}" y="${gy - 4}" font-size="11" text-anchor="end" fill="#c53030">${escape(p.goal.label)}</text>`,
    );
  }
  return out.join('\n');
}

export function chart(title: string, subtitle: string, panels: Panel[]): string {
  const labels = [
    ...new Set(panels.flatMap((p) => p.groups.flatMap((g) => g.bars.map((b) => b.label)))),
  ];
  const legendTop = 60;
  const height = legendTop + 30 + panels.length * PANEL_HEIGHT;
  const legend = labels
    .map(
      (l, i) =>
        `<rect x="${60 + i * 200}" y="${legendTop}" width="12" height="12" fill="${COLOURS[i % COLOURS.length]}"/>` +
        `<text x="${78 + i * 200}" y="${legendTop + 11}" font-size="12">${escape(l)}</text>`,
    )
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="60" y="26" font-size="20" font-weight="bold">${escape(title)}</text>`,
    `<text x="60" y="46" font-size="12" fill="#555">${escape(subtitle)}</text>`,
    legend,
    ...panels.map((p, i) => panel(p, legendTop + 30 + i * PANEL_HEIGHT, labels)),
    '</svg>',
    '',
  ].join('\n');
}
