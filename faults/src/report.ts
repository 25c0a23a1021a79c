import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { type SuiteResult } from './suite.js';

const mark = (ok: boolean) => (ok ? '✔' : '✘');

/** The report: per fault, each invariant ✔/✘ with its figures, and the recovery times. */
export function renderMarkdown(result: SuiteResult, command: string): string {
  const lines: string[] = [];
  if (result.soak)
    lines.push(
      `# Soak: ${result.soak.judged ? (result.soak.ok ? 'every line flat' : 'growth found') : 'figures only (shorter than 30 min, not judged)'}`,
    );
  else lines.push(`# Fault suite: ${result.ok ? 'every invariant holds' : 'invariants FAILED'}`);
  lines.push('');
  lines.push(
    `\`${command}\`, ${result.mode} mode, started ${result.startedAt}, ${Math.round(result.durationMs / 1000)} s in all ` +
      `(set-up ${Math.round(result.setupMs / 1000)} s). Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}.`,
  );
  lines.push('');
  lines.push(
    `${result.soak ? 'Load' : 'Load while each fault runs'}: ${result.load.clients} clients logging on and off through the gateway ` +
      `(two allocation replicas behind the suite's TCP proxy), a dashboard sampling the statistics, ` +
      `${result.load.subscribers} graphql-ws subscribers on the live statistics (one in ten also on the account's stage changes).`,
  );
  lines.push('');
  if (result.faults.length > 0) {
    lines.push('| fault | while | result | requests (ok / failed / no answer) | recovery |');
    lines.push('|---|---|---|---|---|');
    for (const f of result.faults) {
      const recovery = Object.entries(f.recovery)
        .map(([k, v]) => `${k}: ${v === null ? '—' : v}`)
        .join('; ');
      const failed = f.checks.filter((c) => !c.ok).length;
      lines.push(
        `| ${f.name} | ${f.during} | ${mark(f.ok)} ${f.checks.length - failed}/${f.checks.length} | ${f.requests.ok} / ${f.requests.failed} / ${f.requests.noAnswer} | ${recovery} |`,
      );
    }
    lines.push('');
    for (const f of result.faults) {
      lines.push(`## ${mark(f.ok)} ${f.name}: ${f.title}`);
      lines.push('');
      for (const c of f.checks) lines.push(`- ${mark(c.ok)} ${c.name}: ${c.figures}`);
      for (const n of f.notes) lines.push(`- note: ${n}`);
      lines.push('');
    }
  }
  if (result.soak) {
    const s = result.soak;
    lines.push(`## ${mark(s.ok)} Soak: ${Math.round(s.durationMs / 60_000)} min`);
    lines.push('');
    lines.push(
      `${s.requests.total} requests (${s.requests.ok} ok, ${s.requests.failed} failed, ${s.requests.noAnswer} no answer); ` +
        `${s.samples.length} samples. Slopes are per hour, the median of the slopes between every pair of samples (Theil-Sen).` +
        (s.judged ? '' : ' Shorter than 30 min: the slopes are shown, not judged (—).'),
    );
    lines.push('');
    lines.push('| series | first | last | slope per hour | bound | flat |');
    lines.push('|---|---|---|---|---|---|');
    for (const x of s.series)
      lines.push(
        `| ${x.name} | ${x.first.toFixed(1)} ${x.unit} | ${x.last.toFixed(1)} ${x.unit} | ${x.slopePerHour >= 0 ? '+' : ''}${x.slopePerHour.toFixed(1)} ${x.unit}/h | ${x.boundPerHour === null ? '—' : `${x.boundPerHour} ${x.unit}/h`} | ${s.judged && x.boundPerHour !== null ? mark(x.ok) : `— ${x.unjudged ?? ''}`.trim()} |`,
      );
    lines.push('');
  }
  return lines.join('\n');
}

export function writeReport(dir: string, result: SuiteResult, command: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.md'), renderMarkdown(result, command));
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify({ command, ...result }, null, 2)}\n`);
}
