import { CREATE_ACCOUNT, type Harness, startAccounts } from '../../test/harness.js';

// The inputs of createAccount are checked by the service with the platform's one set of text rules
// (shared validation/text.ts): what is refused here is refused the same way for every other name.
describe('creating an account', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAccounts('sqlite');
  });
  afterAll(() => h.close());

  const create = (name: string, garn: string) =>
    h.fail(h.admin, CREATE_ACCOUNT, { input: { name, garn, kind: 'CUSTOMER' } });

  it.each([
    ['empty', '   ', 'name is required'],
    ['too long', 'x'.repeat(201), 'name must be at most 200 characters'],
    ['a control character', 'Acme\u0007Corp', 'name must be a single line without control characters'],
    ['a line break', 'Acme\nCorp', 'name must be a single line without control characters'],
    ['a direction override', 'Acme\u202eproC', 'name must not contain bidirectional formatting characters'],
  ])('refuses a name that is %s, on the field, with a stable code', async (_case, name, message) => {
    const failure = await create(name, 'GARN-TEXT-1');
    expect(failure).toMatchObject({ code: 'BAD_USER_INPUT', message, extensions: { field: 'name' } });
  });

  it('refuses a GARN that is not 1-40 letters, digits or dashes', async () => {
    for (const garn of ['', 'GARN 1', 'x'.repeat(41)]) {
      const failure = await create('Acme', garn);
      expect(failure).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'garn' } });
    }
  });

  it('creates an account from a trimmed name and an upper-cased GARN', async () => {
    const { createAccount } = await h.gql<{ createAccount: { name: string; garn: string } }>(
      h.admin,
      CREATE_ACCOUNT,
      { input: { name: '  Acme Corp  ', garn: 'garn-text-2', kind: 'PARTNER' } },
    );
    expect(createAccount).toMatchObject({ name: 'Acme Corp', garn: 'GARN-TEXT-2' });
  });
});
