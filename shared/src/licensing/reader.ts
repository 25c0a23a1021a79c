/** Decodes the fields of a body, strictly: whatever the writer would not have produced is refused. */
import { invalidLicenseFile, writeBody } from './format.js';
import { readLicenseFileEnvelope } from './envelope.js';
import { isLicenseKey } from './keys.js';
import { contentProblem } from './rules.js';
import {
  LICENSE_MODELS,
  LICENSE_TYPES,
  type LicenseFileContent,
  type LicenseKeyQuantity,
  type LicenseMachine,
  type SwitchoverMachine,
} from './types.js';
import {
  MAX_GRACE_PERIOD_DAYS,
  MAX_KEY_QUANTITY,
  MAX_REVISION,
  idProblem,
  parseDecimal,
  parseInstant,
  textProblem,
} from './values.js';

const FIELD_NAMES = new Set([
  'File-Id',
  'Revision',
  'Account-Id',
  'Install-Site-Id',
  'License-Model',
  'License-Type',
  'Product',
  'Product-Version',
  'Generated-At',
  'Expires-At',
  'Re-Register-By',
  'Machine-Host-Id',
  'Machine-Name',
  'Machine-System-Type',
  'Machine-Mail-Connector',
  'Machine-Server-Item',
  'Switchover-Host-Id',
  'Switchover-Name',
  'Switchover-System-Type',
  'Switchover-Server-Item',
  'Ramp-Date',
  'Grace-Period-Days',
  'Keys',
]);

class FieldReader {
  private index = 1;

  constructor(private readonly lines: readonly string[]) {}

  private get lineNumber(): number {
    return this.index + 1;
  }

  private fail(detail: string): never {
    throw invalidLicenseFile(`line ${this.lineNumber}: ${detail}`, { line: this.lineNumber });
  }

  private peekName(): string | undefined {
    const line = this.lines[this.index];
    if (line === undefined) return undefined;
    return /^([A-Z][A-Za-z-]*):/.exec(line)?.[1];
  }

  has(name: string): boolean {
    return this.peekName() === name;
  }

  private take(name: string): string {
    const line = this.lines[this.index];
    if (line === undefined) this.fail(`expected "${name}" but the file ends`);
    const found = this.peekName();
    if (found === undefined) {
      this.fail(line === '' ? `empty line (expected "${name}")` : `malformed line (expected "${name}: ...")`);
    }
    if (found !== name) {
      this.fail(
        FIELD_NAMES.has(found)
          ? `field "${found}" is repeated or out of order (expected "${name}")`
          : `unknown field "${found}" (expected "${name}")`,
      );
    }
    const rest = line.slice(name.length + 1);
    if (rest !== '' && (!rest.startsWith(' ') || rest === ' ')) {
      this.fail(`"${name}:" must be followed by one space and the value, or by nothing`);
    }
    return rest.slice(1);
  }

  private value<T>(name: string, decode: (text: string) => T | undefined, expected: string): T {
    const text = this.take(name);
    const decoded = decode(text);
    if (decoded === undefined) this.fail(`"${name}" ${expected}`);
    this.index += 1;
    return decoded;
  }

  text(name: string, allowEmpty = false): string {
    const text = this.take(name);
    const problem = textProblem(text, allowEmpty);
    if (problem) this.fail(`"${name}" ${problem}`);
    this.index += 1;
    return text;
  }

  id(name: string): string {
    return this.value(
      name,
      (t) => (idProblem(t) === undefined ? t : undefined),
      'must be 1 to 128 printable ASCII characters without spaces',
    );
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const isAllowed = (t: string): t is T => (allowed as readonly string[]).includes(t);
    return this.value(name, (t) => (isAllowed(t) ? t : undefined), `must be one of ${allowed.join(', ')}`);
  }

  instant(name: string): Date {
    return this.value(name, parseInstant, 'must be a UTC instant like 2020-06-01T00:00:00.000Z');
  }

  integer(name: string, min: number, max: number): number {
    const inRange = (t: string): number | undefined => {
      const n = parseDecimal(t);
      return n !== undefined && n >= min && n <= max ? n : undefined;
    };
    return this.value(name, inRange, `must be a whole number from ${min} to ${max}, without leading zeros`);
  }

  keys(): LicenseKeyQuantity[] {
    const count = this.integer('Keys', 0, this.lines.length);
    const keys: LicenseKeyQuantity[] = [];
    for (let i = 0; i < count; i += 1) {
      const line = this.lines[this.index];
      if (line === undefined) this.fail(`expected ${count} key lines but the file ends after ${i}`);
      const match = /^([^ ]+) ([^ ]+)$/.exec(line);
      if (!match) this.fail('malformed key line (expected "KEY QUANTITY")');
      const [, key = '', quantityText = ''] = match;
      if (!isLicenseKey(key))
        this.fail(`"${key}" is not a licence key (upper-case letters, digits, underscores)`);
      const quantity = parseDecimal(quantityText);
      if (quantity === undefined || quantity < 1 || quantity > MAX_KEY_QUANTITY) {
        this.fail(`the quantity of ${key} must be a whole number from 1 to ${MAX_KEY_QUANTITY}`);
      }
      const previous = keys[keys.length - 1];
      if (previous && previous.key >= key) {
        this.fail(
          previous.key === key
            ? `key ${key} appears twice`
            : `key ${key} is out of order after ${previous.key}`,
        );
      }
      keys.push({ key, quantity });
      this.index += 1;
    }
    return keys;
  }

  end(): void {
    if (this.index < this.lines.length) {
      const name = this.peekName();
      this.fail(
        name !== undefined && !FIELD_NAMES.has(name)
          ? `unknown field "${name}" after the keys`
          : 'unexpected line after the keys (is the Keys count right?)',
      );
    }
  }
}

function readMachine(r: FieldReader): LicenseMachine {
  const hostId = r.text('Machine-Host-Id', true);
  const machineName = r.text('Machine-Name');
  const systemType = r.text('Machine-System-Type');
  const mailConnector = r.has('Machine-Mail-Connector') ? r.text('Machine-Mail-Connector') : undefined;
  const serverItem = r.text('Machine-Server-Item');
  return {
    hostId,
    machineName,
    systemType,
    ...(mailConnector !== undefined && { mailConnector }),
    serverItem,
  };
}

function readSwitchover(r: FieldReader): SwitchoverMachine {
  const hostId = r.text('Switchover-Host-Id', true);
  const machineName = r.text('Switchover-Name');
  const systemType = r.has('Switchover-System-Type') ? r.text('Switchover-System-Type') : undefined;
  const serverItem = r.text('Switchover-Server-Item');
  return { hostId, machineName, ...(systemType !== undefined && { systemType }), serverItem };
}

/** Decodes a body whose first line was already checked; every rule the writer applies is applied again. */
export function parseLicenseFileBody(body: string): LicenseFileContent {
  const lines = body.split('\n');
  lines.pop();
  const r = new FieldReader(lines);
  // Object literals evaluate in source order, which is the order the reader must walk the lines in.
  const content: LicenseFileContent = {
    fileId: r.id('File-Id'),
    ...(r.has('Revision') && { revision: r.integer('Revision', 1, MAX_REVISION) }),
    accountId: r.id('Account-Id'),
    installSiteId: r.id('Install-Site-Id'),
    licenseModel: r.oneOf('License-Model', LICENSE_MODELS),
    licenseType: r.oneOf('License-Type', LICENSE_TYPES),
    product: r.text('Product'),
    productVersion: r.text('Product-Version'),
    generatedAt: r.instant('Generated-At'),
    expiresAt: r.instant('Expires-At'),
    ...(r.has('Re-Register-By') && { reRegisterBy: r.instant('Re-Register-By') }),
    machine: readMachine(r),
    ...(r.has('Switchover-Host-Id') && { switchover: readSwitchover(r) }),
    ...(r.has('Ramp-Date') && {
      virtualCloud: {
        rampDate: r.instant('Ramp-Date'),
        gracePeriodDays: r.integer('Grace-Period-Days', 1, MAX_GRACE_PERIOD_DAYS),
      },
    }),
    keys: r.keys(),
  };
  r.end();
  const problem = contentProblem(content);
  if (problem) throw invalidLicenseFile(problem.message);
  // Belt and braces: one content, one spelling, so nothing unsigned-for can hide in an alternative form.
  if (writeBody(content) !== body) throw invalidLicenseFile('the file is not in canonical form');
  return content;
}

/**
 * Reads a licence file WITHOUT checking its signature or expiry: for diagnostics and tools only,
 * never to decide what a server may do. Accepts a signed file or an unsigned body.
 */
export function parseLicenseFileUnverified(input: string | Uint8Array): LicenseFileContent {
  return parseLicenseFileBody(readLicenseFileEnvelope(input, false).body);
}
