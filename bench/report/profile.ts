// Reads a V8 .cpuprofile and sums self time per function and per file.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface HotRow {
  name: string;
  where: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: HotRow[];
  files: HotRow[];
}

/** Shortens a frame's URL to something a reader can find: src/…, a package name, or node:… */
export function place(url: string): string {
  if (!url) return '(native / V8)';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + '/node_modules/'.length).split('/');
    const pkg = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
    return `${pkg} (${rest.slice(rest[0]!.startsWith('@') ? 2 : 1).join('/')})`;
  }
  const src = path.indexOf('/src/');
  if (src >= 0) return path.slice(src + 1);
  const bench = path.indexOf('/bench/');
  if (bench >= 0) return path.slice(bench + 1);
  return path;
}

/** Maps a generated position back to the TypeScript line, with the maps saved beside the profile. */
function sourceLines(file: string): (url: string, line: number, column: number) => number {
  const mapsFile = `${file}.maps.json`;
  if (!existsSync(mapsFile)) return (_url, line) => line + 1;
  const payloads = JSON.parse(readFileSync(mapsFile, 'utf8')) as Record<string, SourceMapPayload>;
  const maps = new Map<string, SourceMap>();
  return (url, line, column) => {
    const payload = payloads[url];
    if (!payload) return line + 1;
    if (!maps.has(url)) maps.set(url, new SourceMap(payload));
    const entry = maps.get(url)!.findEntry(line, column) as { originalLine?: number };
    return entry.originalLine === undefined ? line + 1 : entry.originalLine + 1;
  };
}

export function summariseProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const lineOf = sourceLines(file);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  // Each sample's time is the delta that follows it (V8's convention: timeDeltas[i] precedes samples[i]).
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + delta);
  }
  const totalMs = [...self.values()].reduce((a, b) => a + b, 0);
  const functions = new Map<string, HotRow>();
  const files = new Map<string, HotRow>();
  for (const [id, ms] of self) {
    const frame = byId.get(id)!.callFrame;
    const name = frame.functionName || '(anonymous)';
    const where = place(frame.url);
    const line = frame.url ? lineOf(frame.url, frame.lineNumber, frame.columnNumber) : 0;
    const key = `${name}@${where}:${line}`;
    const row = functions.get(key) ?? {
      name,
      where: frame.url ? `${where}:${line}` : where,
      selfMs: 0,
      percent: 0,
    };
    row.selfMs += ms;
    functions.set(key, row);
    const fileKey = where.replace(/ \(.*\)$/, '');
    const fileRow = files.get(fileKey) ?? { name: fileKey, where: '', selfMs: 0, percent: 0 };
    fileRow.selfMs += ms;
    files.set(fileKey, fileRow);
  }
  const ranked = (rows: Iterable<HotRow>) =>
    [...rows]
      .map((row) => ({ ...row, percent: (100 * row.selfMs) / totalMs }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top);
  return { totalMs, functions: ranked(functions.values()), files: ranked(files.values()) };
}

export function profileMarkdown(title: string, summary: ProfileSummary, top = 15): string {
  const lines = [
    `#### ${title}`,
    '',
    `${(summary.totalMs / 1000).toFixed(2)} s sampled. Top functions by self time:`,
    '',
    '| self ms | % | function | where |',
    '| ---: | ---: | --- | --- |',
    ...summary.functions
      .slice(0, top)
      .map((r) => `| ${r.selfMs.toFixed(0)} | ${r.percent.toFixed(1)} | \`${r.name}\` | ${r.where} |`),
    '',
    'By file or package:',
    '',
    '| self ms | % | file / package |',
    '| ---: | ---: | --- |',
    ...summary.files
      .slice(0, 10)
      .map((r) => `| ${r.selfMs.toFixed(0)} | ${r.percent.toFixed(1)} | ${r.name} |`),
    '',
  ];
  return lines.join('\n');
}
