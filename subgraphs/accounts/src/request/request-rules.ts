import { DAY_MS, isPhoneNumber, textProblem } from '@lic/shared';

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

export interface ActivationFileRequestSubmission {
  firstName: string;
  lastName: string;
  endUserAccount: string;
  soldToAccount: string;
  garn: string;
  requestType: RequestType;
  category?: RequestCategory | null | undefined;
  fileType?: RequestFileType | null | undefined;
  subject: string;
  description: string;
  urgent?: boolean | null | undefined;
  dateNeeded?: Date | null | undefined;
  dateReason?: string | null | undefined;
  corporateEmail: string;
  confirmCorporateEmail: string;
  additionalRecipients?: readonly string[] | null | undefined;
  workPhone: string;
  employer: string;
  primaryHostId?: string | null | undefined;
  backupHostId?: string | null | undefined;
  deploymentType?: DeploymentType | null | undefined;
  implementationType?: ImplementationType | null | undefined;
  soPoNumber?: string | null | undefined;
  thirdPartyFileType?: string | null | undefined;
}

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
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string): void => {
    problems.push({ field, message });
  };
  const line = (
    field: string,
    label: string,
    raw: string | null | undefined,
    max: number,
    required: boolean,
  ): string | null => {
    const value = (raw ?? '').trim();
    if (value === '') {
      if (required) problem(field, `${label} is required`);
      return null;
    }
    const wrong = textProblem(value, { max });
    if (wrong) problem(field, `${label} ${wrong}`);
    return value;
  };
  const email = (field: string, label: string, raw: string): string | null => {
    const value = raw.trim();
    const match = EMAIL.exec(value);
    if (!match || value.length > 254) {
      problem(field, `${label} must be an e-mail address`);
      return null;
    }
    return value;
  };

  const isFileRequest = input.requestType === RequestType.ACTIVATION_FILE_REQUEST;
  const onlyForFileRequests = (field: string, label: string, present: boolean) => {
    if (present && !isFileRequest)
      problem(field, `${label} is only for activation file requests, not for questions`);
  };

  const firstName = line('firstName', 'First name', input.firstName, 100, true);
  const lastName = line('lastName', 'Last name', input.lastName, 100, true);
  const endUserAccount = line('endUserAccount', 'The end-user account', input.endUserAccount, 200, true);
  const soldToAccount = line('soldToAccount', 'The sold-to account', input.soldToAccount, 200, true);
  const garn = line('garn', 'The end-user GARN', input.garn, 40, true)?.toUpperCase() ?? null;
  if (garn !== null && !GARN.test(garn))
    problem('garn', 'The GARN must be letters, digits and dashes (e.g. GARN-100001)');

  if (!Object.values(RequestType).includes(input.requestType))
    problem('requestType', 'The request type must be QUESTION or ACTIVATION_FILE_REQUEST');
  const category = input.category ?? null;
  const fileType = input.fileType ?? null;
  onlyForFileRequests('category', 'The activation file category', category !== null);
  onlyForFileRequests('fileType', 'The activation file type', fileType !== null);
  if (isFileRequest && category === null)
    problem('category', 'Choose the activation file category (GENESYS, THIRD_PARTY or PAY_PER_USE_HOSTED)');
  if (isFileRequest && fileType === null)
    problem('fileType', 'Choose the activation file type (new deployment, evaluation, upgrade, ...)');

  const subject = line('subject', 'The subject', input.subject, 200, true);
  const descriptionRaw = (input.description ?? '').trim();
  if (descriptionRaw === '') problem('description', 'The description is required');
  else {
    const wrong = textProblem(descriptionRaw, { max: 10_000, multiline: true });
    if (wrong) problem('description', `The description ${wrong}`);
  }

  const urgent = input.urgent ?? false;
  onlyForFileRequests('urgent', 'Urgent', urgent);

  const dateNeeded = input.dateNeeded ?? null;
  const dateReason = line('dateReason', 'The reason for the date', input.dateReason, 500, false);
  if (dateNeeded !== null) {
    const startOfToday = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
    if (Number.isNaN(dateNeeded.getTime())) problem('dateNeeded', 'The date needed must be a valid date');
    else if (dateNeeded.getTime() < startOfToday)
      problem('dateNeeded', 'The date needed must not be in the past');
    if (dateReason === null) problem('dateReason', 'Say why the file or answer is needed by that date');
  } else if (dateReason !== null) {
    problem('dateNeeded', 'Give the date needed, or leave its reason empty');
  }

  const corporateEmail = email('corporateEmail', 'The corporate e-mail', input.corporateEmail ?? '');
  if (corporateEmail !== null && isFreeMailDomain(corporateEmail.split('@')[1] ?? '')) {
    problem('corporateEmail', 'Use your corporate e-mail address: free-mail domains are not accepted');
  }
  const confirm = (input.confirmCorporateEmail ?? '').trim();
  if (confirm === '') problem('confirmCorporateEmail', 'Enter the corporate e-mail a second time');
  else if (corporateEmail !== null && confirm.toLowerCase() !== corporateEmail.toLowerCase()) {
    problem('confirmCorporateEmail', 'The two corporate e-mail addresses do not match');
  }
  const recipients = (input.additionalRecipients ?? []).map((r) => r.trim()).filter((r) => r !== '');
  if (recipients.length > MAX_ADDITIONAL_RECIPIENTS) {
    problem('additionalRecipients', `At most ${MAX_ADDITIONAL_RECIPIENTS} additional recipients`);
  }
  recipients.forEach((r, i) => email(`additionalRecipients.${i}`, 'An additional recipient', r));

  const workPhone = line('workPhone', 'The work phone', input.workPhone, 40, true);
  if (workPhone !== null && !isPhoneNumber(workPhone))
    problem('workPhone', 'The work phone must be a phone number (digits, spaces, + ( ) . -)');
  const employer = line('employer', 'The employer', input.employer, 200, true);

  // Type-specific fields: they appear only for activation file requests, depending on the category.
  const primaryHostId = line('primaryHostId', 'The primary host ID', input.primaryHostId, 256, false);
  const backupHostId = line('backupHostId', 'The backup host ID', input.backupHostId, 256, false);
  const deploymentType = input.deploymentType ?? null;
  const implementationType = input.implementationType ?? null;
  const soPoNumber = line('soPoNumber', 'The SO or PO number', input.soPoNumber, 60, false);
  const thirdPartyFileType = line(
    'thirdPartyFileType',
    'The third-party file type',
    input.thirdPartyFileType,
    100,
    false,
  );
  onlyForFileRequests('primaryHostId', 'The primary host ID', primaryHostId !== null);
  onlyForFileRequests('backupHostId', 'The backup host ID', backupHostId !== null);
  onlyForFileRequests('deploymentType', 'The deployment type', deploymentType !== null);
  onlyForFileRequests('implementationType', 'The implementation type', implementationType !== null);
  onlyForFileRequests('soPoNumber', 'The SO or PO number', soPoNumber !== null);
  onlyForFileRequests('thirdPartyFileType', 'The third-party file type', thirdPartyFileType !== null);
  if (isFileRequest) {
    if (category === RequestCategory.THIRD_PARTY) {
      if (thirdPartyFileType === null)
        problem('thirdPartyFileType', 'Name the third-party file type (e.g. Nuance, Zoom)');
    } else if (thirdPartyFileType !== null) {
      problem('thirdPartyFileType', 'The third-party file type is only for third-party activation files');
    }
    if (category === RequestCategory.GENESYS) {
      if (primaryHostId === null)
        problem('primaryHostId', 'Give the host ID of the production (primary) server');
      if (deploymentType === null) problem('deploymentType', 'Choose the deployment type');
      if (implementationType === null) problem('implementationType', 'Choose the implementation type');
    }
    if (category === RequestCategory.PAY_PER_USE_HOSTED) {
      if (deploymentType === null) problem('deploymentType', 'Choose the deployment type');
      if (soPoNumber === null)
        problem('soPoNumber', 'Give the sales or purchase order number of the hosting contract');
    }
    if (backupHostId !== null && primaryHostId === null)
      problem('backupHostId', 'A backup host ID needs the primary host ID');
    if (
      backupHostId !== null &&
      primaryHostId !== null &&
      backupHostId.toLowerCase() === primaryHostId.toLowerCase()
    ) {
      problem('backupHostId', 'The backup (switchover) server must have another host ID than the primary');
    }
  }

  return {
    problems,
    value: {
      firstName: firstName ?? '',
      lastName: lastName ?? '',
      endUserAccount: endUserAccount ?? '',
      soldToAccount: soldToAccount ?? '',
      garn: garn ?? '',
      requestType: input.requestType,
      category,
      fileType,
      subject: subject ?? '',
      description: descriptionRaw,
      urgent,
      dateNeeded,
      dateReason,
      corporateEmail: corporateEmail ?? '',
      additionalRecipients: recipients,
      workPhone: workPhone ?? '',
      employer: employer ?? '',
      primaryHostId,
      backupHostId,
      deploymentType,
      implementationType,
      soPoNumber,
      thirdPartyFileType,
    },
  };
}
