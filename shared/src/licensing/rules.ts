/** Content rules, applied by the writer to its input and by the reader to what it read. */
import { VIRTUAL_CLOUD_KEY, isLicenseKey, isSubscriptionOnlyKey } from './keys.js';
import {
  LICENSE_MODELS,
  LICENSE_TYPES,
  type LicenseFileContent,
  type LicenseMachine,
  type SwitchoverMachine,
} from './types.js';
import {
  MAX_GRACE_PERIOD_DAYS,
  MAX_KEY_QUANTITY,
  MAX_REVISION,
  enumProblem,
  idProblem,
  instantProblem,
  integerProblem,
  textProblem,
} from './values.js';

export interface Problem {
  /** Path in LicenseFileContent, for BAD_USER_INPUT's `field`. */
  field: string;
  /** What the problem reads as, starting with the field's name in the file. */
  message: string;
}

type Check = readonly [field: string, label: string, problem: string | undefined];

function machineChecks(prefix: 'machine' | 'switchover', m: LicenseMachine | SwitchoverMachine): Check[] {
  const label = prefix === 'machine' ? 'Machine' : 'Switchover';
  const checks: Check[] = [
    [`${prefix}.hostId`, `${label}-Host-Id`, textProblem(m.hostId, true)],
    [`${prefix}.machineName`, `${label}-Name`, textProblem(m.machineName)],
  ];
  if (prefix === 'machine' || m.systemType !== undefined) {
    checks.push([`${prefix}.systemType`, `${label}-System-Type`, textProblem(m.systemType)]);
  }
  if ('mailConnector' in m && m.mailConnector !== undefined) {
    checks.push([`${prefix}.mailConnector`, `${label}-Mail-Connector`, textProblem(m.mailConnector)]);
  }
  checks.push([`${prefix}.serverItem`, `${label}-Server-Item`, textProblem(m.serverItem)]);
  return checks;
}

function valueChecks(c: LicenseFileContent): Check[] {
  const checks: Check[] = [
    ['fileId', 'File-Id', idProblem(c.fileId)],
    [
      'revision',
      'Revision',
      c.revision === undefined ? undefined : integerProblem(c.revision, 1, MAX_REVISION),
    ],
    ['accountId', 'Account-Id', idProblem(c.accountId)],
    ['installSiteId', 'Install-Site-Id', idProblem(c.installSiteId)],
    ['licenseModel', 'License-Model', enumProblem(c.licenseModel, LICENSE_MODELS)],
    ['licenseType', 'License-Type', enumProblem(c.licenseType, LICENSE_TYPES)],
    ['product', 'Product', textProblem(c.product)],
    ['productVersion', 'Product-Version', textProblem(c.productVersion)],
    ['generatedAt', 'Generated-At', instantProblem(c.generatedAt)],
    ['expiresAt', 'Expires-At', instantProblem(c.expiresAt)],
  ];
  if (c.reRegisterBy !== undefined) {
    checks.push(['reRegisterBy', 'Re-Register-By', instantProblem(c.reRegisterBy)]);
  }
  checks.push(...machineChecks('machine', c.machine));
  if (c.switchover !== undefined) checks.push(...machineChecks('switchover', c.switchover));
  if (c.virtualCloud !== undefined) {
    checks.push(
      ['virtualCloud.rampDate', 'Ramp-Date', instantProblem(c.virtualCloud.rampDate)],
      [
        'virtualCloud.gracePeriodDays',
        'Grace-Period-Days',
        integerProblem(c.virtualCloud.gracePeriodDays, 1, MAX_GRACE_PERIOD_DAYS),
      ],
    );
  }
  c.keys.forEach((k, i) => {
    const keyProblem = isLicenseKey(String(k.key))
      ? undefined
      : `"${String(k.key)}" is not a licence key (upper-case letters, digits and underscores)`;
    checks.push([`keys.${i}.key`, 'Keys', keyProblem]);
    checks.push([
      `keys.${i}.quantity`,
      `Key ${String(k.key)}`,
      integerProblem(k.quantity, 1, MAX_KEY_QUANTITY),
    ]);
  });
  return checks;
}

/** Rules across fields; only meaningful once every value is well formed. */
function consistencyChecks(c: LicenseFileContent): Check[] {
  const seen = new Set<string>();
  const duplicate = c.keys.find((k) => (seen.has(k.key) ? true : (seen.add(k.key), false)));
  const hasVirtualCloud = seen.has(VIRTUAL_CLOUD_KEY);
  const hostless = hasVirtualCloud && c.licenseModel === 'SUBSCRIPTION';
  const emptyHostProblem = 'may be empty only in a SUBSCRIPTION file holding I3_FEATURE_VIRTUAL_CLOUD';
  const generated = c.generatedAt.getTime();
  const subscriptionOnly =
    c.licenseModel === 'PERPETUAL' ? c.keys.find((k) => isSubscriptionOnlyKey(k.key)) : undefined;
  return [
    ['keys', 'Keys', duplicate ? `list ${duplicate.key} more than once` : undefined],
    [
      'keys',
      'Keys',
      subscriptionOnly
        ? `hold ${subscriptionOnly.key}, which requires a subscription: a PERPETUAL file never holds usage tracking or virtual cloud`
        : undefined,
    ],
    [
      'expiresAt',
      'Expires-At',
      c.expiresAt.getTime() > generated ? undefined : 'must be later than Generated-At',
    ],
    [
      'reRegisterBy',
      'Re-Register-By',
      c.reRegisterBy === undefined ||
      (c.reRegisterBy.getTime() > generated && c.reRegisterBy.getTime() <= c.expiresAt.getTime())
        ? undefined
        : 'must be after Generated-At and not after Expires-At',
    ],
    [
      'virtualCloud',
      'Ramp-Date',
      hasVirtualCloud === (c.virtualCloud !== undefined)
        ? undefined
        : hasVirtualCloud
          ? 'and Grace-Period-Days are required in a file holding I3_FEATURE_VIRTUAL_CLOUD'
          : 'and Grace-Period-Days are allowed only in a file holding I3_FEATURE_VIRTUAL_CLOUD',
    ],
    [
      'machine.hostId',
      'Machine-Host-Id',
      c.machine.hostId === '' && !hostless ? emptyHostProblem : undefined,
    ],
    [
      'switchover.hostId',
      'Switchover-Host-Id',
      c.switchover?.hostId === '' && !hostless ? emptyHostProblem : undefined,
    ],
  ];
}

function firstProblem(checks: readonly Check[]): Problem | undefined {
  const found = checks.find(([, , problem]) => problem !== undefined);
  return found ? { field: found[0], message: `${found[1]} ${found[2] ?? ''}` } : undefined;
}

export function contentProblem(c: LicenseFileContent): Problem | undefined {
  return firstProblem(valueChecks(c)) ?? firstProblem(consistencyChecks(c));
}
