// A small SVG bar chart of ratios on a log scale, centred on 1× (no dependencies, no network).

export interface Bar {
  group: string;
  label: string;
  ratio: number;
}

const WIDTH = 900;
const LEFT = 300;
const RIGHT = 60;
const BAR = 16;
const GAP = 6;
const GROUP_GAP = 22;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function ratioChart(title: string, bars: Bar[]): string {
  const shown = bars.filter((b) => Number.isFinite(b.ratio) && b.ratio > 0);
  const extreme = Math.max(4, ...shown.map((b) => Math.max(b.ratio, 1 / b.ratio)));
  const span = Math.ceil(Math.log2(extreme));
  const plot = WIDTH - LEFT - RIGHT;
  const x = (ratio: number) => LEFT + plot / 2 + (Math.log2(ratio) / span) * (plot / 2);
  const parts: string[] = [];
  let y = 60;
  const groups = [...new Set(shown.map((b) => b.group))];
  for (const group of groups) {
    parts.push(`<text x="10" y="${y + 4}" font-weight="bold">${escapeXml(group)}</text>`);
    y += 14;
    for (const bar of shown.filter((b) => b.group === group)) {
      const x0 = x(1);
      const x1 = x(Math.min(Math.max(bar.ratio, 2 ** -span), 2 ** span));
      const colour = bar.ratio >= 1 ? '#2f7d32' : '#c62828';
      parts.push(`<text x="${LEFT - 8}" y="${y + BAR - 4}" text-anchor="end">${escapeXml(bar.label)}</text>`);
      parts.push(
        `<rect x="${Math.min(x0, x1)}" y="${y}" width="${Math.max(1, Math.abs(x1 - x0))}" height="${BAR}" fill="${colour}"/>`,
      );
      const text =
        bar.ratio >= 10 ? bar.ratio.toFixed(0) : bar.ratio >= 1 ? bar.ratio.toFixed(2) : bar.ratio.toFixed(3);
      const tx = bar.ratio >= 1 ? x1 + 4 : x1 - 4;
      parts.push(
        `<text x="${tx}" y="${y + BAR - 4}" text-anchor="${bar.ratio >= 1 ? 'start' : 'end'}">${text}×</text>`,
      );
      y += BAR + GAP;
    }
    y += GROUP_GAP - GAP;
  }
  const height = y + 30;
  const ticks: string[] = [];
  for (let k = -span; k <= span; k++) {
    const tx = x(2 ** k);
    const label = k >= 0 ? `${2 ** k}×` : `1/${2 ** -k}`;
    ticks.push(
      `<line x1="${tx}" y1="45" x2="${tx}" y2="${height - 25}" stroke="${k === 0 ? '#000' : '#ddd'}"/>`,
    );
    if (span <= 5 || k % 2 === 0) {
      ticks.push(`<text x="${tx}" y="${height - 10}" text-anchor="middle" fill="#555">${label}</text>`);
    }
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="10" y="38" fill="#555">log scale; right of the black line (green) Docket is ahead, left (red) behind</text>`,
    ...ticks,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
