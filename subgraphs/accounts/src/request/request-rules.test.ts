import { type ActivationFileRequestSubmission, checkSubmission, isFreeMailDomain } from './request-rules.js';

const now = new Date('2021-03-01T12:00:00.000Z');

const question: ActivationFileRequestSubmission = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  endUserAccount: 'Acme Contact Centre',
  soldToAccount: 'Acme Contact Centre',
  garn: 'GARN-100001',
  requestType: 'QUESTION',
  subject: 'Where is my file?',
  description: 'We cannot find the file for our second site.',
  corporateEmail: 'ada@acme.example',
  confirmCorporateEmail: 'ADA@acme.example',
  workPhone: '+1 (317) 555-0100',
  employer: 'Acme',
};

const fileRequest: ActivationFileRequestSubmission = {
  ...question,
  requestType: 'ACTIVATION_FILE_REQUEST',
  category: 'GENESYS',
  fileType: 'NEW_DEPLOYMENT',
  urgent: true,
  dateNeeded: new Date('2021-03-05T00:00:00.000Z'),
  dateReason: 'Go-live on the 6th',
  primaryHostId: '00-15-5D-01-02-03',
  backupHostId: '00-15-5D-01-02-04',
  deploymentType: 'PRODUCTION',
  implementationType: 'NEW_DEPLOYMENT',
  soPoNumber: 'PO-4711',
};

const fieldsOf = (input: ActivationFileRequestSubmission) =>
  checkSubmission(input, now).problems.map((p) => p.field);

describe('activation file request rules', () => {
  it('accepts a complete question and a complete file request', () => {
    expect(fieldsOf(question)).toEqual([]);
    expect(fieldsOf(fileRequest)).toEqual([]);
    expect(fieldsOf({ ...fileRequest, category: 'THIRD_PARTY', thirdPartyFileType: 'Nuance' })).toEqual([]);
    expect(
      fieldsOf({
        ...fileRequest,
        category: 'PAY_PER_USE_HOSTED',
        primaryHostId: null,
        backupHostId: null,
        implementationType: null,
      }),
    ).toEqual([]);
  });

  it.each<[string, Partial<ActivationFileRequestSubmission>, string]>([
    ['a missing first name', { firstName: ' ' }, 'firstName'],
    ['a missing last name', { lastName: '' }, 'lastName'],
    ['a missing end-user account', { endUserAccount: '' }, 'endUserAccount'],
    ['a missing sold-to account', { soldToAccount: '' }, 'soldToAccount'],
    ['a malformed GARN', { garn: 'GARN 1' }, 'garn'],
    ['a missing subject', { subject: '' }, 'subject'],
    ['a missing description', { description: '  ' }, 'description'],
    ['a category on a question', { category: 'GENESYS' }, 'category'],
    ['a file type on a question', { fileType: 'UPGRADE' }, 'fileType'],
    ['an urgent question', { urgent: true }, 'urgent'],
    ['a host ID on a question', { primaryHostId: 'H' }, 'primaryHostId'],
    [
      'a past date needed',
      { dateNeeded: new Date('2021-02-28T00:00:00.000Z'), dateReason: 'x' },
      'dateNeeded',
    ],
    ['a date needed without its reason', { dateNeeded: new Date('2021-03-02T00:00:00.000Z') }, 'dateReason'],
    ['a reason without a date', { dateReason: 'soon' }, 'dateNeeded'],
    [
      'a malformed corporate e-mail',
      { corporateEmail: 'ada-at-acme', confirmCorporateEmail: 'ada-at-acme' },
      'corporateEmail',
    ],
    [
      'a free-mail address',
      { corporateEmail: 'ada@gmail.com', confirmCorporateEmail: 'ada@gmail.com' },
      'corporateEmail',
    ],
    [
      'a country free-mail address',
      { corporateEmail: 'ada@yahoo.co.uk', confirmCorporateEmail: 'ada@yahoo.co.uk' },
      'corporateEmail',
    ],
    ['a confirmation that differs', { confirmCorporateEmail: 'eve@acme.example' }, 'confirmCorporateEmail'],
    ['a missing confirmation', { confirmCorporateEmail: '' }, 'confirmCorporateEmail'],
    [
      'a bad extra recipient',
      { additionalRecipients: ['ok@acme.example', 'nope'] },
      'additionalRecipients.1',
    ],
    ['a malformed phone', { workPhone: 'call me' }, 'workPhone'],
    ['a missing employer', { employer: '' }, 'employer'],
  ])('refuses %s on its field', (_name, change, field) => {
    expect(fieldsOf({ ...question, ...change })).toEqual([field]);
  });

  it.each<[string, Partial<ActivationFileRequestSubmission>, string[]]>([
    ['no category', { category: null }, ['category']],
    ['no file type', { fileType: null }, ['fileType']],
    [
      'a Genesys file without host, deployment and implementation types',
      { primaryHostId: null, backupHostId: null, deploymentType: null, implementationType: null },
      ['primaryHostId', 'deploymentType', 'implementationType'],
    ],
    ['a third-party file without its file type', { category: 'THIRD_PARTY' }, ['thirdPartyFileType']],
    ['a third-party file type on a Genesys file', { thirdPartyFileType: 'Zoom' }, ['thirdPartyFileType']],
    [
      'a hosted file without its order number',
      { category: 'PAY_PER_USE_HOSTED', soPoNumber: null },
      ['soPoNumber'],
    ],
    ['the same host twice', { backupHostId: '00-15-5d-01-02-03' }, ['backupHostId']],
  ])('refuses a file request with %s', (_name, change, fields) => {
    expect(fieldsOf({ ...fileRequest, ...change })).toEqual(fields);
  });

  it('reports every problem at once, in the form order', () => {
    expect(
      fieldsOf({
        ...question,
        firstName: '',
        corporateEmail: 'x@hotmail.com',
        confirmCorporateEmail: 'y@hotmail.com',
        workPhone: '',
      }),
    ).toEqual(['firstName', 'corporateEmail', 'confirmCorporateEmail', 'workPhone']);
  });

  it.each([
    ['gmail.com', true],
    ['mail.yahoo.com', true],
    ['hotmail.fr', true],
    ['outlook.com.au', true],
    ['proton.me', true],
    ['genesys.com', false],
    ['acme.example', false],
    ['notgmail.com', false],
  ])('%s is free mail: %s', (domain, free) => expect(isFreeMailDomain(domain)).toBe(free));
});
