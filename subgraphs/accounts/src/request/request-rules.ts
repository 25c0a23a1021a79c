import { DAY_MS, isPhoneNumber, textProblem } from '@lic/shared';
import type { ActivationFileRequestSubmission } from './request.inputs.js';

/** The Genesys Activation File Request Tool's vocabulary and rules (docs/domain.md, "Activation file requests"). */

export const RequestType = {
  QUESTION: 'QUESTION',
  ACTIVATION_FILE_REQUEST: 'ACTIVATION_FILE_REQUEST',
} as const;
export type RequestType = (typeof RequestType)[keyof typeof RequestType];

export const RequestCategory = {
  GENESYS: 'GENESYS',
  THIRD_PARTY: 'THIRD_PARTY',
  PAY_PER_USE_HOSTED: 'PAY_PER_USE_HOSTED',
} as const;
export type RequestCategory = (typeof RequestCategory)[keyof typeof RequestCategory];

export const RequestFileType = {
  NEW_DEPLOYMENT: 'NEW_DEPLOYMENT',
  ADD_ON: 'ADD_ON',
  UPGRADE: 'UPGRADE',
  MIGRATION: 'MIGRATION',
  REALLOCATION: 'REALLOCATION',
  EVALUATION: 'EVALUATION',
  TRIAL: 'TRIAL',
  TEMPORARY: 'TEMPORARY',
  SUBSCRIPTION: 'SUBSCRIPTION',
  MIXED_ESTATE: 'MIXED_ESTATE',
  OTHER: 'OTHER',
} as const;
export type RequestFileType = (typeof RequestFileType)[keyof typeof RequestFileType];

export const DeploymentType = {
  PRODUCTION: 'PRODUCTION',
  LAB: 'LAB',
  TEST: 'TEST',
  DISASTER_RECOVERY_COLD_STANDBY: 'DISASTER_RECOVERY_COLD_STANDBY',
  DISASTER_RECOVERY_HOT_STANDBY: 'DISASTER_RECOVERY_HOT_STANDBY',
} as const;
export type DeploymentType = (typeof DeploymentType)[keyof typeof DeploymentType];

export const ImplementationType = {
  ADD_ON: 'ADD_ON',
  MIGRATION: 'MIGRATION',
  NEW_DEPLOYMENT: 'NEW_DEPLOYMENT',
  REALLOCATION: 'REALLOCATION',
  TEMPORARY: 'TEMPORARY',
  UPGRADE: 'UPGRADE',
} as const;
export type ImplementationType = (typeof ImplementationType)[keyof typeof ImplementationType];

export const RequestStatus = {
  SUBMITTED: 'SUBMITTED',
  INFORMATION_REQUESTED: 'INFORMATION_REQUESTED',
  ANSWERED: 'ANSWERED',
  FULFILLED: 'FULFILLED',
} as const;
export type RequestStatus = (typeof RequestStatus)[keyof typeof RequestStatus];

export const OPEN_STATUSES: readonly RequestStatus[] = [
  RequestStatus.SUBMITTED,
  RequestStatus.INFORMATION_REQUESTED,
];

/** The request form as submitted: its shape is the schema's (request.inputs.ts), its rules are here. */
export type { ActivationFileRequestSubmission };

/** A submission with every text trimmed and every absent optional value as null. */
export interface NormalisedSubmission {
  firstName: string;
  lastName: string;
  endUserAccount: string;
  soldToAccount: string;
  garn: string;
  requestType: RequestType;
  category: RequestCategory | null;
  fileType: RequestFileType | null;
  subject: string;
  description: string;
  urgent: boolean;
  dateNeeded: Date | null;
  dateReason: string | null;
  corporateEmail: string;
  additionalRecipients: string[];
  workPhone: string;
  employer: string;
  primaryHostId: string | null;
  backupHostId: string | null;
  deploymentType: DeploymentType | null;
  implementationType: ImplementationType | null;
  soPoNumber: string | null;
  thirdPartyFileType: string | null;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** Consumer mail providers: the tool needs a corporate address. Subdomains count (mail.yahoo.co.uk). */
const FREE_MAIL_DOMAINS = [
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'ymail.com',
  'rocketmail.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'msn.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'mail.com',
  'gmx.com',
  'gmx.net',
  'gmx.de',
  'web.de',
  'yandex.com',
  'yandex.ru',
  'mail.ru',
  'protonmail.com',
  'proton.me',
  'pm.me',
  'zoho.com',
  'tutanota.com',
  'fastmail.com',
  'hushmail.com',
  'inbox.com',
  'qq.com',
  '163.com',
  '126.com',
];
/** Country variants of the big providers: yahoo.co.uk, hotmail.fr, outlook.de, live.com.au ... */
const FREE_MAIL_BRANDS = /(^|\.)(yahoo|hotmail|outlook|live|aol|gmx|yandex)\.[a-z]{2,3}(\.[a-z]{2})?$/;

export function isFreeMailDomain(domain: string): boolean {
  const d = domain.toLowerCase();
  return FREE_MAIL_DOMAINS.some((free) => d === free || d.endsWith(`.${free}`)) || FREE_MAIL_BRANDS.test(d);
}

const EMAIL =
  /^[^\s@<>(),;:"[\]]{1,64}@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+)$/;
const GARN = /^[A-Za-z0-9-]{1,40}$/;

export const MAX_ADDITIONAL_RECIPIENTS = 10;

/**
 * Checks a submission field by field, in the form's order, and returns every problem (each naming
 * its input field) together with the normalised values. `now` decides whether the date needed has passed.
 */
export function checkSubmission(
  input: ActivationFileRequestSubmission,
  now: Date,
): { problems: FieldProblem[]; value: NormalisedSubmission } {
  // Each part covers a stretch of the form; called in the form's order, so that the problems are too.
  const identity = checkIdentity(input);
  const kind = checkKind(input);
  const message = checkMessage(input);
  const timing = checkTiming(input, now);
  const contacts = checkContacts(input);
  const file = checkFileDetails(input);
  return {
    problems: [
      ...identity.problems,
      ...kind.problems,
      ...message.problems,
      ...timing.problems,
      ...contacts.problems,
      ...file.problems,
    ],
    value: {
      ...identity.value,
      ...kind.value,
      ...message.value,
      ...timing.value,
      ...contacts.value,
      ...file.value,
    },
  };
}

/** One part of the form: its problems, in order, and its fields normalised. */
interface Checked<K extends keyof NormalisedSubmission> {
  problems: FieldProblem[];
  value: Pick<NormalisedSubmission, K>;
}

/** What one part of the form found, in the order it looked at its fields. */
class Findings {
  readonly problems: FieldProblem[] = [];
  private readonly isFileRequest: boolean;

  constructor(input: ActivationFileRequestSubmission) {
    this.isFileRequest = isFileRequest(input);
  }

  add(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  /** A one-line text, trimmed; null when empty (a problem if required). */
  line(
    field: string,
    label: string,
    raw: string | null | undefined,
    max: number,
    required: boolean,
  ): string | null {
    const value = (raw ?? '').trim();
    if (value === '') {
      if (required) this.add(field, `${label} is required`);
      return null;
    }
    const wrong = textProblem(value, { max });
    if (wrong) this.add(field, `${label} ${wrong}`);
    return value;
  }

  email(field: string, label: string, raw: string): string | null {
    const value = raw.trim();
    const match = EMAIL.exec(value);
    if (!match || value.length > 254) {
      this.add(field, `${label} must be an e-mail address`);
      return null;
    }
    return value;
  }

  /** A question carries none of a file request's fields: each one given is a problem of its own. */
  onlyForFileRequests(field: string, label: string, present: boolean): void {
    if (present && !this.isFileRequest)
      this.add(field, `${label} is only for activation file requests, not for questions`);
  }
}

function isFileRequest(input: ActivationFileRequestSubmission): boolean {
  return input.requestType === RequestType.ACTIVATION_FILE_REQUEST;
}

/** Who asks, and for which account. */
function checkIdentity(
  input: ActivationFileRequestSubmission,
): Checked<'firstName' | 'lastName' | 'endUserAccount' | 'soldToAccount' | 'garn'> {
  const found = new Findings(input);
  const firstName = found.line('firstName', 'First name', input.firstName, 100, true);
  const lastName = found.line('lastName', 'Last name', input.lastName, 100, true);
  const endUserAccount = found.line(
    'endUserAccount',
    'The end-user account',
    input.endUserAccount,
    200,
    true,
  );
  const soldToAccount = found.line('soldToAccount', 'The sold-to account', input.soldToAccount, 200, true);
  const garn = found.line('garn', 'The end-user GARN', input.garn, 40, true)?.toUpperCase() ?? null;
  if (garn !== null && !GARN.test(garn))
    found.add('garn', 'The GARN must be letters, digits and dashes (e.g. GARN-100001)');
  return {
    problems: found.problems,
    value: {
      firstName: firstName ?? '',
      lastName: lastName ?? '',
      endUserAccount: endUserAccount ?? '',
      soldToAccount: soldToAccount ?? '',
      garn: garn ?? '',
    },
  };
}

/** A question, or an activation file request with its category and file type. */
function checkKind(input: ActivationFileRequestSubmission): Checked<'requestType' | 'category' | 'fileType'> {
  const found = new Findings(input);
  if (!Object.values(RequestType).includes(input.requestType))
    found.add('requestType', 'The request type must be QUESTION or ACTIVATION_FILE_REQUEST');
  const category = input.category ?? null;
  const fileType = input.fileType ?? null;
  found.onlyForFileRequests('category', 'The activation file category', category !== null);
  found.onlyForFileRequests('fileType', 'The activation file type', fileType !== null);
  if (isFileRequest(input) && category === null)
    found.add('category', 'Choose the activation file category (GENESYS, THIRD_PARTY or PAY_PER_USE_HOSTED)');
  if (isFileRequest(input) && fileType === null)
    found.add('fileType', 'Choose the activation file type (new deployment, evaluation, upgrade, ...)');
  return { problems: found.problems, value: { requestType: input.requestType, category, fileType } };
}

/** The subject line, and the description: the one field that may span lines. */
function checkMessage(input: ActivationFileRequestSubmission): Checked<'subject' | 'description'> {
  const found = new Findings(input);
  const subject = found.line('subject', 'The subject', input.subject, 200, true);
  const description = (input.description ?? '').trim();
  if (description === '') found.add('description', 'The description is required');
  else {
    const wrong = textProblem(description, { max: 10_000, multiline: true });
    if (wrong) found.add('description', `The description ${wrong}`);
  }
  return { problems: found.problems, value: { subject: subject ?? '', description } };
}

/** Urgency and the date needed: a date needs its reason, and a reason its date. */
function checkTiming(
  input: ActivationFileRequestSubmission,
  now: Date,
): Checked<'urgent' | 'dateNeeded' | 'dateReason'> {
  const found = new Findings(input);
  const urgent = input.urgent ?? false;
  found.onlyForFileRequests('urgent', 'Urgent', urgent);

  const dateNeeded = input.dateNeeded ?? null;
  const dateReason = found.line('dateReason', 'The reason for the date', input.dateReason, 500, false);
  if (dateNeeded !== null) {
    const startOfToday = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
    if (Number.isNaN(dateNeeded.getTime())) found.add('dateNeeded', 'The date needed must be a valid date');
    else if (dateNeeded.getTime() < startOfToday)
      found.add('dateNeeded', 'The date needed must not be in the past');
    if (dateReason === null) found.add('dateReason', 'Say why the file or answer is needed by that date');
  } else if (dateReason !== null) {
    found.add('dateNeeded', 'Give the date needed, or leave its reason empty');
  }
  return { problems: found.problems, value: { urgent, dateNeeded, dateReason } };
}

/** How to reach the requester: a corporate e-mail (twice), further recipients, phone and employer. */
function checkContacts(
  input: ActivationFileRequestSubmission,
): Checked<'corporateEmail' | 'additionalRecipients' | 'workPhone' | 'employer'> {
  const found = new Findings(input);
  const corporateEmail = found.email('corporateEmail', 'The corporate e-mail', input.corporateEmail ?? '');
  if (corporateEmail !== null && isFreeMailDomain(corporateEmail.split('@')[1] ?? '')) {
    found.add('corporateEmail', 'Use your corporate e-mail address: free-mail domains are not accepted');
  }
  const confirm = (input.confirmCorporateEmail ?? '').trim();
  if (confirm === '') found.add('confirmCorporateEmail', 'Enter the corporate e-mail a second time');
  else if (corporateEmail !== null && confirm.toLowerCase() !== corporateEmail.toLowerCase()) {
    found.add('confirmCorporateEmail', 'The two corporate e-mail addresses do not match');
  }
  const recipients = (input.additionalRecipients ?? []).map((r) => r.trim()).filter((r) => r !== '');
  if (recipients.length > MAX_ADDITIONAL_RECIPIENTS) {
    found.add('additionalRecipients', `At most ${MAX_ADDITIONAL_RECIPIENTS} additional recipients`);
  }
  recipients.forEach((r, i) => found.email(`additionalRecipients.${i}`, 'An additional recipient', r));

  const workPhone = found.line('workPhone', 'The work phone', input.workPhone, 40, true);
  if (workPhone !== null && !isPhoneNumber(workPhone))
    found.add('workPhone', 'The work phone must be a phone number (digits, spaces, + ( ) . -)');
  const employer = found.line('employer', 'The employer', input.employer, 200, true);
  return {
    problems: found.problems,
    value: {
      corporateEmail: corporateEmail ?? '',
      additionalRecipients: recipients,
      workPhone: workPhone ?? '',
      employer: employer ?? '',
    },
  };
}

type FileDetail =
  | 'primaryHostId'
  | 'backupHostId'
  | 'deploymentType'
  | 'implementationType'
  | 'soPoNumber'
  | 'thirdPartyFileType';

/** Type-specific fields: they appear only for activation file requests, depending on the category. */
function checkFileDetails(input: ActivationFileRequestSubmission): Checked<FileDetail> {
  const found = new Findings(input);
  const primaryHostId = found.line('primaryHostId', 'The primary host ID', input.primaryHostId, 256, false);
  const backupHostId = found.line('backupHostId', 'The backup host ID', input.backupHostId, 256, false);
  const deploymentType = input.deploymentType ?? null;
  const implementationType = input.implementationType ?? null;
  const soPoNumber = found.line('soPoNumber', 'The SO or PO number', input.soPoNumber, 60, false);
  const thirdPartyFileType = found.line(
    'thirdPartyFileType',
    'The third-party file type',
    input.thirdPartyFileType,
    100,
    false,
  );
  found.onlyForFileRequests('primaryHostId', 'The primary host ID', primaryHostId !== null);
  found.onlyForFileRequests('backupHostId', 'The backup host ID', backupHostId !== null);
  found.onlyForFileRequests('deploymentType', 'The deployment type', deploymentType !== null);
  found.onlyForFileRequests('implementationType', 'The implementation type', implementationType !== null);
  found.onlyForFileRequests('soPoNumber', 'The SO or PO number', soPoNumber !== null);
  found.onlyForFileRequests('thirdPartyFileType', 'The third-party file type', thirdPartyFileType !== null);
  const value = {
    primaryHostId,
    backupHostId,
    deploymentType,
    implementationType,
    soPoNumber,
    thirdPartyFileType,
  };
  if (isFileRequest(input)) checkCategoryNeeds(found, input.category ?? null, value);
  return { problems: found.problems, value };
}

/** What each category of activation file needs of the type-specific fields, and the host pair's rule. */
function checkCategoryNeeds(
  found: Findings,
  category: RequestCategory | null,
  details: Pick<NormalisedSubmission, FileDetail>,
): void {
  const { primaryHostId, backupHostId, deploymentType, implementationType, soPoNumber, thirdPartyFileType } =
    details;
  if (category === RequestCategory.THIRD_PARTY) {
    if (thirdPartyFileType === null)
      found.add('thirdPartyFileType', 'Name the third-party file type (e.g. Nuance, Zoom)');
  } else if (thirdPartyFileType !== null) {
    found.add('thirdPartyFileType', 'The third-party file type is only for third-party activation files');
  }
  if (category === RequestCategory.GENESYS) {
    if (primaryHostId === null)
      found.add('primaryHostId', 'Give the host ID of the production (primary) server');
    if (deploymentType === null) found.add('deploymentType', 'Choose the deployment type');
    if (implementationType === null) found.add('implementationType', 'Choose the implementation type');
  }
  if (category === RequestCategory.PAY_PER_USE_HOSTED) {
    if (deploymentType === null) found.add('deploymentType', 'Choose the deployment type');
    if (soPoNumber === null)
      found.add('soPoNumber', 'Give the sales or purchase order number of the hosting contract');
  }
  if (backupHostId !== null && primaryHostId === null)
    found.add('backupHostId', 'A backup host ID needs the primary host ID');
  if (
    backupHostId !== null &&
    primaryHostId !== null &&
    backupHostId.toLowerCase() === primaryHostId.toLowerCase()
  ) {
    found.add('backupHostId', 'The backup (switchover) server must have another host ID than the primary');
  }
}
