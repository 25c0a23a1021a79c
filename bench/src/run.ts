import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cpuGauge, currentLoad, describeMachine } from './machine.js';
import {
  type ScenarioOutcome,
  type SuiteReport,
  type WrittenReport,
  formatDuration,
  formatValue,
  renderSummary,
  summarize,
  writeReport,
} from './report.js';
import { DB_FLOOR_PAIRS_FIGURE } from './scenarios/db-floor.js';
import { pidOf, waitUntilQuiet } from './scenarios/gateway-platform.js';
import { scenarios as registered } from './scenarios/index.js';
import { type Figure, type Scenario, type ScenarioContext } from './types.js';

export const DEFAULT_RESULTS_DIR = resolve(__dirname, '..', 'results');

export interface RunOptions {
  /** Run every scenario briefly (the test uses this so the suite cannot rot). */
  quick?: boolean;
  /** Scenario names to run, in this order; every registered scenario when absent or empty. */
  scenarios?: readonly string[];
  /** Where the reports go; `bench/results` by default. */
  outDir?: string;
  /** Where the progress display and the closing summary go; stderr by default. */
  output?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Scenarios to choose from; the registry of `scenarios/index.ts` by default. */
  registry?: readonly Scenario[];
}

export interface SuiteRun {
  report: SuiteReport;
  files: WrittenReport;
}

/** Runs the selected scenarios one after another and writes the Markdown and JSON reports. */
export async function runSuite(options: RunOptions = {}): Promise<SuiteRun> {
  const registry = options.registry ?? registered;
  const selected = selectScenarios(registry, options.scenarios ?? []);
  const quick = options.quick ?? false;
  const output = options.output ?? process.stderr;
  const display = new ProgressDisplay(output, output.isTTY === true);
  const startedAt = new Date();
  const started = performance.now();

  display.line(`Benchmark suite${quick ? ' (quick)' : ''}: ${selected.map((s) => s.name).join(', ')}`);
  const machine = await describeMachine();
  display.line(
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${(machine.memoryBytes / 1024 ** 3).toFixed(1)} GiB; ` +
      `Node ${machine.node}, MariaDB ${machine.mariadb}, Redis ${machine.redis}; CPU gauge ${machine.cpuGaugeMs.toFixed(0)} ms`,
  );

  const outcomes: ScenarioOutcome[] = [];
  for (const [index, scenario] of selected.entries()) {
    display.begin(index + 1, selected.length, scenario.name);
    if (!quick) {
      // The previous scenario's work must not leak into this one (MariaDB purging and flushing).
      display.progress('waiting for MariaDB and Redis to be quiet', 0);
      await waitUntilQuiet([pidOf('mariadbd') ?? pidOf('mysqld'), pidOf('redis-server')], { maxMs: 60_000 });
    }
    const outcome = await runScenario(scenario, { quick, progress: (m, f) => display.progress(m, f) });
    display.end(outcome);
    outcomes.push(outcome);
  }

  const derived = deriveFigures(outcomes);
  const report: SuiteReport = {
    format: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: performance.now() - started,
    quick,
    selected: selected.map((s) => s.name),
    machine,
    loadAverageAtEnd: currentLoad(),
    cpuGaugeMsAtEnd: cpuGauge(),
    scenarios: outcomes,
    derived,
    summary: summarize(outcomes, derived),
  };
  const files = await writeReport(report, options.outDir ?? DEFAULT_RESULTS_DIR);
  display.line('');
  for (const line of renderSummary(report)) display.line(line);
  display.line('');
  display.line(`Report: ${files.latestMarkdown} (and ${files.markdown}); JSON: ${files.latestJson}`);
  return { report, files };
}

export function selectScenarios(registry: readonly Scenario[], names: readonly string[]): Scenario[] {
  if (names.length === 0) return [...registry];
  const unknown = names.filter((n) => !registry.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown scenario ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${registry.map((s) => s.name).join(', ')}`,
    );
  }
  return names.map((n) => registry.find((s) => s.name === n)!);
}

/** A scenario that throws or reports a failure is recorded as failed; the suite goes on. */
async function runScenario(scenario: Scenario, context: ScenarioContext): Promise<ScenarioOutcome> {
  const started = performance.now();
  try {
    const result = await scenario.run(context);
    return {
      scenario: scenario.name,
      description: scenario.description,
      status: result.failure ? 'failed' : 'ok',
      durationMs: performance.now() - started,
      figures: result.figures,
      notes: result.notes ?? [],
      ...(result.failure ? { error: result.failure } : {}),
    };
  } catch (error) {
    return {
      scenario: scenario.name,
      description: scenario.description,
      status: 'failed',
      durationMs: performance.now() - started,
      figures: [],
      notes: [],
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

/** Figures that only mean something side by side: the logon-cycle rate against the database floor. */
export function deriveFigures(outcomes: readonly ScenarioOutcome[]): Figure[] {
  const floor = outcomes
    .find((o) => o.scenario === 'db-floor')
    ?.figures.find((f) => f.name === DB_FLOOR_PAIRS_FIGURE);
  const cycles = outcomes
    .find((o) => o.scenario === 'logon-cycles')
    ?.figures.find((f) => /cycles\/s/.test(f.unit));
  if (!floor || !cycles || !(floor.value > 0)) return [];
  return [
    {
      name: `logon+logoff cycles (${cycles.name}) as a share of the database floor (${DB_FLOOR_PAIRS_FIGURE})`,
      value: cycles.value / floor.value,
      unit: '×',
    },
  ];
}

/** Which scenario runs, how far it is, and what it is doing; one rewritten line on a terminal. */
class ProgressDisplay {
  private scenario = '';
  private position = '';
  private started = 0;
  private lastWrite = 0;
  private lastMessage = '';
  private live = false;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly tty: boolean,
  ) {}

  line(text: string): void {
    this.clearLive();
    this.out.write(`${text}\n`);
  }

  begin(index: number, total: number, scenario: string): void {
    this.scenario = scenario;
    this.position = `[${index}/${total}]`;
    this.started = performance.now();
    this.lastMessage = '';
    this.line(`${this.position} ${scenario}: starting`);
  }

  progress(message: string, fraction?: number): void {
    const now = performance.now();
    const elapsed = formatDuration(now - this.started);
    const percent = fraction === undefined ? '' : `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`;
    if (this.tty) {
      if (now - this.lastWrite < 100 && message === this.lastMessage) return;
      const width = 20;
      const filled = fraction === undefined ? 0 : Math.round(Math.min(1, Math.max(0, fraction)) * width);
      const bar =
        fraction === undefined
          ? ''
          : `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${percent.padStart(4)} `;
      // Longer than the terminal would wrap, and \r would then rewrite only the last row.
      const columns = (this.out as { columns?: number }).columns ?? 120;
      const text = `${this.position} ${this.scenario} ${bar}${message} (${elapsed})`;
      this.out.write(`\r\x1b[2K${text.slice(0, Math.max(20, columns - 1))}`);
      this.live = true;
    } else {
      // Logs get a line per new step, at most about one a second.
      if (message === this.lastMessage || now - this.lastWrite < 1000) return;
      this.out.write(
        `${this.position} ${this.scenario} ${percent ? `${percent} ` : ''}${message} (${elapsed})\n`,
      );
    }
    this.lastWrite = now;
    this.lastMessage = message;
  }

  end(outcome: ScenarioOutcome): void {
    const withTarget = outcome.figures.filter((f) => f.met !== undefined);
    const met = withTarget.filter((f) => f.met).length;
    const took = formatDuration(outcome.durationMs);
    if (outcome.status === 'ok') {
      this.line(
        `${this.position} ${outcome.scenario}: done in ${took}, ${outcome.figures.length} figures, ${met}/${withTarget.length} targets met`,
      );
    } else {
      this.line(`${this.position} ${outcome.scenario}: FAILED after ${took}: ${firstLine(outcome.error)}`);
    }
    for (const f of outcome.figures) {
      const mark = f.met === undefined ? ' ' : f.met ? '✔' : '✘';
      this.line(
        `    ${mark} ${f.name}: ${formatValue(f.value)} ${f.unit}${f.target ? ` (target ${f.target})` : ''}`,
      );
    }
  }

  private clearLive(): void {
    if (this.live) this.out.write('\r\x1b[2K');
    this.live = false;
  }
}

function firstLine(text: string | undefined): string {
  return (text ?? 'unknown error').split('\n')[0]!;
}

export interface CliOptions {
  quick: boolean;
  scenarios: string[];
  outDir?: string;
  list: boolean;
  help: boolean;
  strict: boolean;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { quick: false, scenarios: [], list: false, help: false, strict: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--quick':
        options.quick = true;
        break;
      case '--scenario':
        options.scenarios.push(
          ...value()
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        );
        break;
      case '--out':
        options.outDir = resolve(value());
        break;
      case '--list':
        options.list = true;
        break;
      case '--strict':
        options.strict = true;
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new Error(`Unknown option ${arg} (try --help)`);
    }
  }
  return options;
}

const USAGE = `Usage: npm run bench -- [--scenario NAME[,NAME…]]… [--quick] [--out DIR] [--strict] [--list]
  --scenario  run only these scenarios (repeatable), in the order given
  --quick     run each scenario briefly (figures are indicative only)
  --out       write the reports to DIR instead of bench/results
  --strict    exit with status 1 when a target is not met (a failed scenario always does)
  --list      list the scenarios and exit`;

async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options.list) {
    for (const s of registered) process.stdout.write(`${s.name}\n    ${s.description}\n`);
    return 0;
  }
  try {
    selectScenarios(registered, options.scenarios);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const { report } = await runSuite({
    quick: options.quick,
    scenarios: options.scenarios,
    ...(options.outDir ? { outDir: options.outDir } : {}),
  });
  if (report.summary.failedScenarios.length > 0) return 1;
  return options.strict && report.summary.notMet > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    // Scenarios may leave sockets or timers behind; the report is written, so end here.
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
