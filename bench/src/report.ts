import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type MachineInfo } from './machine.js';
import { type Figure } from './types.js';

/** What one scenario produced in a run: its figures, or the error that stopped it. */
export interface ScenarioOutcome {
  scenario: string;
  description: string;
  status: 'ok' | 'failed';
  durationMs: number;
  figures: Figure[];
  notes: string[];
  /** Why the scenario failed (its figures, if any, are what it measured before failing). */
  error?: string;
}

export interface SuiteReport {
  /** Bumped when the JSON shape changes incompatibly. */
  format: 1;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  quick: boolean;
  /** The scenarios asked for, in run order. */
  selected: string[];
  machine: MachineInfo;
  /** Load average over 1, 5 and 15 minutes when the run ended (compare with `machine.loadAverage`). */
  loadAverageAtEnd: [number, number, number];
  /** `cpuGauge()` when the run ended (compare with `machine.cpuGaugeMs`). */
  cpuGaugeMsAtEnd: number;
  scenarios: ScenarioOutcome[];
  /** Figures computed across scenarios of this run (e.g. logon cycles as a share of the database floor). */
  derived: Figure[];
  summary: SuiteSummary;
}

export interface SuiteSummary {
  figures: number;
  withTarget: number;
  met: number;
  notMet: number;
  failedScenarios: string[];
}

export interface WrittenReport {
  markdown: string;
  json: string;
  latestMarkdown: string;
  latestJson: string;
}

export function summarize(scenarios: readonly ScenarioOutcome[], derived: readonly Figure[]): SuiteSummary {
  const all = [...scenarios.flatMap((s) => s.figures), ...derived];
  const withTarget = all.filter((f) => f.met !== undefined);
  return {
    figures: all.length,
    withTarget: withTarget.length,
    met: withTarget.filter((f) => f.met === true).length,
    notMet: withTarget.filter((f) => f.met === false).length,
    failedScenarios: scenarios.filter((s) => s.status === 'failed').map((s) => s.scenario),
  };
}

/** Writes `<stamp>.md/.json` and overwrites `latest.md/.json` in `dir`. */
export async function writeReport(report: SuiteReport, dir: string): Promise<WrittenReport> {
  await mkdir(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const suffix = report.quick ? '-quick' : '';
  const markdownText = renderMarkdown(report);
  const jsonText = `${JSON.stringify(report, null, 2)}\n`;
  const written: WrittenReport = {
    markdown: join(dir, `${stamp}${suffix}.md`),
    json: join(dir, `${stamp}${suffix}.json`),
    latestMarkdown: join(dir, 'latest.md'),
    latestJson: join(dir, 'latest.json'),
  };
  await Promise.all([
    writeFile(written.markdown, markdownText),
    writeFile(written.json, jsonText),
    writeFile(written.latestMarkdown, markdownText),
    writeFile(written.latestJson, jsonText),
  ]);
  return written;
}

export function renderMarkdown(report: SuiteReport): string {
  const lines: string[] = [];
  lines.push(`# Benchmark report${report.quick ? ' (quick run: figures are indicative only)' : ''}`, '');
  lines.push(
    `Started ${report.startedAt}, took ${formatDuration(report.durationMs)}. ` +
      `Scenarios: ${report.selected.join(', ')}.`,
    '',
  );
  lines.push(...renderMachine(report.machine, report.loadAverageAtEnd, report.cpuGaugeMsAtEnd), '');

  for (const outcome of report.scenarios) {
    lines.push(`## ${outcome.scenario}`, '', outcome.description, '');
    lines.push(
      `Status: **${outcome.status === 'ok' ? 'completed' : 'FAILED'}** in ${formatDuration(outcome.durationMs)}.`,
      '',
    );
    if (outcome.error) lines.push('```', outcome.error, '```', '');
    if (outcome.figures.length > 0) lines.push(...figureTable(outcome.figures), '');
    if (outcome.notes.length > 0) lines.push(...outcome.notes.map((n) => `- ${n}`), '');
  }

  if (report.derived.length > 0) {
    lines.push('## Across scenarios', '', ...figureTable(report.derived), '');
  }

  lines.push(...renderSummary(report));
  return `${lines.join('\n')}\n`;
}

/** The one-page summary: every figure with its target and whether it was met. */
export function renderSummary(report: Pick<SuiteReport, 'scenarios' | 'derived' | 'summary'>): string[] {
  const { summary } = report;
  const lines = ['## Summary', ''];
  lines.push(
    `${summary.met} of ${summary.withTarget} targets met` +
      (summary.notMet > 0 ? `, **${summary.notMet} not met**` : '') +
      `; ${summary.figures} figures in all.` +
      (summary.failedScenarios.length > 0
        ? ` **Failed scenarios: ${summary.failedScenarios.join(', ')}.**`
        : ' Every scenario completed.'),
    '',
  );
  lines.push('| scenario | figure | value | target | met |', '|---|---|---:|---|:---:|');
  for (const outcome of report.scenarios) {
    if (outcome.figures.length === 0) {
      lines.push(`| ${outcome.scenario} | (no figures: ${outcome.status}) | | | ❌ |`);
    }
    for (const figure of outcome.figures) lines.push(summaryRow(outcome.scenario, figure));
  }
  for (const figure of report.derived) lines.push(summaryRow('across scenarios', figure));
  return lines;
}

function summaryRow(scenario: string, figure: Figure): string {
  return `| ${scenario} | ${escapeCell(figure.name)} | ${formatValue(figure.value)} ${figure.unit} | ${escapeCell(
    figure.target ?? '—',
  )} | ${metMark(figure.met)} |`;
}

function figureTable(figures: readonly Figure[]): string[] {
  const rows = ['| figure | value | unit | target | met |', '|---|---:|---|---|:---:|'];
  for (const f of figures) {
    rows.push(
      `| ${escapeCell(f.name)} | ${formatValue(f.value)} | ${escapeCell(f.unit)} | ${escapeCell(f.target ?? '—')} | ${metMark(f.met)} |`,
    );
  }
  return rows;
}

function renderMachine(machine: MachineInfo, loadAtEnd: readonly number[], gaugeAtEnd: number): string[] {
  const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  const rows: Array<[string, string]> = [
    ['CPU', `${machine.cpuModel}, ${machine.cores} cores`],
    [
      'memory',
      gib(machine.memoryBytes) +
        (machine.memoryLimitBytes !== undefined ? ` (cgroup limit ${gib(machine.memoryLimitBytes)})` : ''),
    ],
    [
      'load average (1/5/15 min)',
      `${machine.loadAverage.map((l) => l.toFixed(2)).join(' / ')} at the start, ` +
        `${loadAtEnd.map((l) => l.toFixed(2)).join(' / ')} at the end` +
        (Math.max(machine.loadAverage[0], loadAtEnd[0]) > machine.cores
          ? ' (more runnable work than cores: other processes competed with the benchmark)'
          : ''),
    ],
    [
      'CPU gauge (fixed single-core work, ms; lower is faster)',
      `${machine.cpuGaugeMs.toFixed(0)} at the start, ${gaugeAtEnd.toFixed(0)} at the end: compare runs only ` +
        'with their gauges beside them (a shared host drifts by tens of per cent within minutes, more between days)',
    ],
    ['OS', `${machine.platform}, host ${machine.hostname}`],
    ['Node', machine.node],
    ['MariaDB', machine.mariadb],
    ['Redis', machine.redis],
    ['git commit', `${machine.git.commit}${machine.git.dirty ? ' (with uncommitted changes)' : ''}`],
    [
      'packages',
      Object.entries(machine.packages)
        .map(([name, version]) => `${name} ${version}`)
        .join(', '),
    ],
  ];
  return ['## Machine', '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${escapeCell(v)} |`)];
}

function metMark(met: boolean | undefined): string {
  if (met === undefined) return '—';
  return met ? '✅' : '❌';
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Readable numbers: thousands separated, about three significant digits below 100. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100 || Number.isInteger(value)) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}
