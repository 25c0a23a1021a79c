import { ACD_MEDIA_1, ACD_MEDIA_2, ACD_MEDIA_3_PLUS, licenseOf } from './keys.js';

/*
 * ACD media levels (docs/domain.md section 2, reference "ACD workgroup queues"): a user is queued at
 * most as many interaction types as the level allows, and a logon whose workgroups carry more
 * gets a warning and only the allowed types, rather than being refused.
 */

export type AcdMediaLevel = 'NONE' | 'MEDIA_1' | 'MEDIA_2' | 'MEDIA_3_PLUS';

export interface AcdMediaAllowance {
  level: AcdMediaLevel;
  /** How many interaction types may be queued to the user; null means any number. */
  maxTypes: number | null;
}

/** Highest first, so holding MEDIA_1 next to MEDIA_3_PLUS (SPEC's Jane) allows any type. */
const LEVELS: readonly { key: string; allowance: AcdMediaAllowance }[] = [
  { key: ACD_MEDIA_3_PLUS, allowance: { level: 'MEDIA_3_PLUS', maxTypes: null } },
  { key: ACD_MEDIA_2, allowance: { level: 'MEDIA_2', maxTypes: 2 } },
  { key: ACD_MEDIA_1, allowance: { level: 'MEDIA_1', maxTypes: 1 } },
];

const NO_ACD: AcdMediaAllowance = { level: 'NONE', maxTypes: 0 };

export function acdMediaAllowance(licenses: readonly string[]): AcdMediaAllowance {
  const held = new Set(licenses.map(licenseOf));
  return LEVELS.find(({ key }) => held.has(key))?.allowance ?? NO_ACD;
}

export interface QueuedTypes {
  allowed: string[];
  warning?: string;
}

/**
 * `requestedTypes` are the interaction types the user's workgroup queues carry; `chosenTypes`
 * are the types an administrator picked for a MEDIA_1/MEDIA_2 user. Without a choice the first
 * types requested win, so the outcome is deterministic for a given workgroup order.
 */
export function filterQueuedTypes(
  licenses: readonly string[],
  requestedTypes: readonly string[],
  chosenTypes?: readonly string[],
): QueuedTypes {
  const requested = [...new Set(requestedTypes)];
  const { level, maxTypes } = acdMediaAllowance(licenses);
  if (maxTypes === null) return { allowed: requested };

  const candidates = chosenTypes === undefined ? requested : [...new Set(chosenTypes)];
  const permitted = new Set(candidates.slice(0, maxTypes));
  const allowed = requested.filter((type) => permitted.has(type));
  if (allowed.length === requested.length) return { allowed };

  const refused = requested.filter((type) => !permitted.has(type)).join(', ');
  const warning =
    level === 'NONE'
      ? `No ACD media licence: interactions of type ${refused} will not be queued to this user`
      : `ACD media licence ${level} allows ${maxTypes} interaction type${maxTypes === 1 ? '' : 's'}: ${refused} will not be queued to this user`;
  return { allowed, warning };
}
