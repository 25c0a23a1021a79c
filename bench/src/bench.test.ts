import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type ScenarioOutcome, type SuiteReport } from './report.js';
import { deriveFigures, parseArgs, runSuite, selectScenarios } from './run.js';
import { DB_FLOOR_PAIRS_FIGURE } from './scenarios/db-floor.js';
import { scenarios } from './scenarios/index.js';
import { type Scenario } from './types.js';

/**
 * The scenarios whose quick mode is short enough for the test suite (under a minute together).
 * The gateway, logon, fan-out and usage-report scenarios start whole stacks or seed millions of
 * rows even when quick; `npm run bench -- --quick` exercises them.
 */
const TESTED_SCENARIOS = ['statement-counts', 'db-floor'];

function collector(): { stream: Writable; text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('benchmark suite', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'lic-bench-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('runs the scenarios quickly and writes a Markdown and a JSON report with every figure and its target', async () => {
    const output = collector();
    const { report, files } = await runSuite({
      quick: true,
      scenarios: TESTED_SCENARIOS,
      outDir,
      output: output.stream,
    });

    // Both copies of both formats exist, and the JSON on disk is the report returned.
    for (const file of [files.markdown, files.json, files.latestMarkdown, files.latestJson]) {
      expect(existsSync(file)).toBe(true);
    }
    expect(readdirSync(outDir)).toHaveLength(4);
    const onDisk = JSON.parse(readFileSync(files.latestJson, 'utf8')) as SuiteReport;
    expect(onDisk.scenarios.map((s) => s.scenario)).toEqual(TESTED_SCENARIOS);
    expect(onDisk.quick).toBe(true);

    // The machine it ran on is described.
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.machine.memoryBytes).toBeGreaterThan(0);
    expect(report.machine.mariadb).toMatch(/^\d+\.\d+/);
    expect(report.machine.redis).toMatch(/^\d+\.\d+/);
    expect(report.machine.node).toBe(process.version);
    // How fast a core was at the start and at the end, so that runs can be compared.
    expect(report.machine.cpuGaugeMs).toBeGreaterThan(0);
    expect(report.cpuGaugeMsAtEnd).toBeGreaterThan(0);

    // Every scenario completed and produced figures; a figure with a target says whether it was met.
    for (const outcome of report.scenarios) {
      expect({ scenario: outcome.scenario, error: outcome.error }).toEqual({
        scenario: outcome.scenario,
        error: undefined,
      });
      expect(outcome.status).toBe('ok');
      expect(outcome.figures.length).toBeGreaterThan(0);
      for (const figure of outcome.figures) {
        expect(Number.isFinite(figure.value)).toBe(true);
        if (figure.target !== undefined) expect(typeof figure.met).toBe('boolean');
      }
    }
    const floor = report.scenarios.find((s) => s.scenario === 'db-floor')!;
    expect(floor.figures.find((f) => f.name === DB_FLOOR_PAIRS_FIGURE)!.value).toBeGreaterThan(0);

    // The Markdown report ends with the summary: one row per figure, with its target.
    const markdown = readFileSync(files.latestMarkdown, 'utf8');
    expect(markdown).toContain('## Machine');
    expect(markdown).toMatch(/CPU gauge .*\| \d+ at the start, \d+ at the end/);
    for (const name of TESTED_SCENARIOS) expect(markdown).toContain(`## ${name}`);
    const summary = markdown.slice(markdown.indexOf('## Summary'));
    expect(markdown.indexOf('## Summary')).toBeGreaterThan(markdown.indexOf('## db-floor'));
    for (const figure of report.scenarios.flatMap((s) => s.figures)) {
      expect(summary).toContain(figure.name);
      if (figure.target) expect(summary).toContain(figure.target);
    }

    // The progress display named each scenario and how far it was.
    const progress = output.text();
    expect(progress).toContain('[1/2] statement-counts');
    expect(progress).toContain('[2/2] db-floor');
    expect(progress).toMatch(/db-floor \d+% /);
  }, 120_000);

  it('records a scenario that throws as failed, keeps running the others, and names it in the summary', async () => {
    const broken: Scenario = {
      name: 'broken',
      description: 'Always fails.',
      run: () => Promise.reject(new Error('the database went away')),
    };
    const fine: Scenario = {
      name: 'fine',
      description: 'One figure.',
      run: async (context) => {
        context.progress('measuring', 0.5);
        return {
          scenario: 'fine',
          figures: [{ name: 'answer', value: 42, unit: 'x', target: '≥ 40', met: true }],
        };
      },
    };
    const { report, files } = await runSuite({
      quick: true,
      registry: [broken, fine],
      outDir: join(outDir, 'failing'),
      output: collector().stream,
    });
    expect(report.scenarios.map((s) => [s.scenario, s.status])).toEqual([
      ['broken', 'failed'],
      ['fine', 'ok'],
    ]);
    expect(report.scenarios[0]!.error).toContain('the database went away');
    expect(report.summary).toMatchObject({ met: 1, withTarget: 1, notMet: 0, failedScenarios: ['broken'] });
    const markdown = readFileSync(files.latestMarkdown, 'utf8');
    expect(markdown).toContain('Failed scenarios: broken');
    expect(markdown).toContain('the database went away');
  });
});

describe('scenario selection and options', () => {
  it('has one registered scenario per name, each described', () => {
    const names = scenarios.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of TESTED_SCENARIOS) expect(names).toContain(name);
    for (const s of scenarios) expect(s.description.length).toBeGreaterThan(20);
  });

  it('runs the named scenarios in the order given and refuses an unknown name, listing the known ones', () => {
    expect(selectScenarios(scenarios, ['db-floor', 'statement-counts']).map((s) => s.name)).toEqual([
      'db-floor',
      'statement-counts',
    ]);
    expect(() => selectScenarios(scenarios, ['logon-cylces'])).toThrow(
      /Unknown scenario "logon-cylces"; known: .*db-floor/,
    );
  });

  it('parses the command line of npm run bench', () => {
    expect(parseArgs(['--scenario', 'logon-cycles', '--quick'])).toMatchObject({
      quick: true,
      scenarios: ['logon-cycles'],
    });
    expect(parseArgs(['--scenario=db-floor,statement-counts', '--scenario', 'usage-report'])).toMatchObject({
      scenarios: ['db-floor', 'statement-counts', 'usage-report'],
    });
    expect(() => parseArgs(['--scenario'])).toThrow('--scenario needs a value');
    expect(() => parseArgs(['--fast'])).toThrow('Unknown option --fast');
  });

  it('reads the logon-cycle rate as a share of the database floor measured in the same run', () => {
    const outcome = (scenario: string, figures: ScenarioOutcome['figures']): ScenarioOutcome => ({
      scenario,
      description: '',
      status: 'ok',
      durationMs: 1,
      figures,
      notes: [],
    });
    const derived = deriveFigures([
      outcome('logon-cycles', [{ name: 'logon+logoff, 50 clients', value: 1300, unit: 'cycles/s' }]),
      outcome('db-floor', [{ name: DB_FLOOR_PAIRS_FIGURE, value: 2600, unit: 'pairs/s' }]),
    ]);
    expect(derived).toHaveLength(1);
    expect(derived[0]!.value).toBeCloseTo(0.5);
    expect(
      deriveFigures([outcome('db-floor', [{ name: DB_FLOOR_PAIRS_FIGURE, value: 2600, unit: 'pairs/s' }])]),
    ).toEqual([]);
  });
});
