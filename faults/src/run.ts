import { join } from 'node:path';
import { writeReport } from './report.js';
import { FAULT_NAMES, runSuite } from './suite.js';

/** `--soak 60m`, `--soak 90s`, `--soak 2h`: a duration in ms. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new Error(`--soak wants a duration like 60m, 300s or 1h, got "${text}"`);
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return Number(match[1]) * (units[match[2] ?? 'm'] ?? 60_000);
}

export interface Args {
  quick: boolean;
  only: string[];
  soakMs?: number;
  out: string | undefined;
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, only: [], out: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--quick') args.quick = true;
    else if (arg === '--only') args.only.push(...(argv[++i] ?? '').split(',').filter(Boolean));
    else if (arg === '--soak') args.soakMs = parseDuration(argv[++i] ?? '');
    else if (arg === '--out') args.out = argv[++i];
    else
      throw new Error(
        `unknown argument ${arg} (--quick, --only <fault>[,<fault>], --soak <duration>, --out <dir>)`,
      );
  }
  for (const name of args.only)
    if (!FAULT_NAMES.includes(name))
      throw new Error(`unknown fault "${name}"; the faults are ${FAULT_NAMES.join(', ')}`);
  return args;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  const started = Date.now();
  const result = await runSuite({
    quick: args.quick,
    only: args.only,
    ...(args.soakMs !== undefined ? { soakMs: args.soakMs } : {}),
    progress: (message) =>
      console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`),
  });
  const dir = args.out ?? join(__dirname, '..', 'results');
  writeReport(dir, result, ['npm run faults --', ...argv].join(' '));
  console.log(`\nreport: ${join(dir, 'latest.md')}`);
  for (const f of result.faults)
    console.log(
      `${f.ok ? '✔' : '✘'} ${f.name}${
        f.ok
          ? ''
          : `: ${f.checks
              .filter((c) => !c.ok)
              .map((c) => c.name)
              .join('; ')}`
      }`,
    );
  if (result.soak) console.log(`${result.soak.ok ? '✔' : '✘'} soak`);
  process.exitCode = result.ok ? 0 : 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(2);
  });
}
