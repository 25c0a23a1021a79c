import { formatUtc } from './time.js';

/** The licence part of a server's status, as the API answers it. */
export interface LicenseStatusFacts {
  licenseExpiresAt?: string | null;
  licenseDaysLeft?: number | null;
  licenseExpiryWarning?: string | null;
  licenseExpired: boolean;
  unlicensed: boolean;
}

export interface ExpiryNote {
  /** 'unlicensed' is an alert (nothing can be acquired); the others warn 30, 7 and 1 days before. */
  level: 'unlicensed' | 'soon' | 'notice';
  text: string;
}

/** What the dashboard says about a server's licence: expired or unlicensed, or how soon it expires. */
export function expiryNote(facts: LicenseStatusFacts | null | undefined): ExpiryNote | null {
  if (!facts) return null;
  const at = formatUtc(facts.licenseExpiresAt);
  if (facts.licenseExpired) {
    return {
      level: 'unlicensed',
      text: `Licence expired ${at}: the server is unlicensed until a new licence file is loaded`,
    };
  }
  if (facts.unlicensed) {
    return { level: 'unlicensed', text: 'Unlicensed: nothing can be acquired until enforcement stage 1' };
  }
  const days = facts.licenseDaysLeft;
  if (!facts.licenseExpiryWarning || days === null || days === undefined) return null;
  const left = days === 1 ? '1 day' : `${days} days`;
  return {
    level: facts.licenseExpiryWarning === 'DAYS_30' ? 'notice' : 'soon',
    text: `Licence expires in ${left} (${at})`,
  };
}
