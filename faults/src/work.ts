import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { graphqlData } from '@lic/shared';
import { encodeRecords, encryptUsageFile, type UsageRecord } from '@lic/billing';
import { sleep } from './infra.js';
import { type Check, type Store, query } from './invariants.js';
import { type Answer, post } from './load.js';
import { CLIENT_KEY, type Platform } from './platform.js';

const GENERATE = `mutation($input: GenerateActivationFileInput!) { generateActivationFile(input: $input) { id } }`;
const UPLOAD = `mutation($serverId: ID!, $fileName: String!, $content: String!) {
  uploadUsageFile(serverId: $serverId, fileName: $fileName, content: $content) { id records ingestedRecords }
}`;

interface Generated {
  told: Answer['told'];
  id?: string;
  code?: string;
}

interface Uploaded {
  told: Answer['told'];
  eventIds: string[];
  code?: string;
}

/**
 * The rest of the mixed load: activation files generated (accounts) and usage files uploaded
 * (billing), each about once a second, every answer recorded.
 */
export class Work {
  readonly generated: Generated[] = [];
  readonly uploaded: Uploaded[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly agent = new Agent({ keepAlive: true });
  private sequence = 0;

  private constructor(
    private readonly platform: Platform,
    private readonly installSiteId: string,
    readonly usageServerId: string,
  ) {}

  /** An install site and a sales order to generate from, and a server whose usage files are uploaded. */
  static async prepare(platform: Platform): Promise<Work> {
    const { admin } = platform.tokens;
    const { accountId } = platform.fixture;
    const { createInstallSite } = await graphqlData<{ createInstallSite: { id: string } }>(
      platform.gatewayUrl,
      'mutation($input: CreateInstallSiteInput!) { createInstallSite(input: $input) { id } }',
      { input: { accountId, name: 'Faults HQ' } },
      admin,
    );
    await graphqlData(
      platform.gatewayUrl,
      'mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { id } }',
      {
        input: {
          endUserAccountId: accountId,
          licenseModel: 'PERPETUAL',
          productVersion: '2020 R2',
          maintenancePaid: true,
          lines: [
            { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 1_000_000 },
            { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1_000_000 },
          ],
        },
      },
      admin,
    );
    const usageServerId = await platform.addServer('faults-usage-1', {
      keys: [{ key: `${CLIENT_KEY}_CONCURRENT`, quantity: 5 }],
    });
    return new Work(platform, createInstallSite.id, usageServerId);
  }

  start(): void {
    this.running = true;
    this.loops = [this.generateLoop(), this.uploadLoop()];
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  close(): void {
    this.agent.destroy();
  }

  private async generateLoop(): Promise<void> {
    while (this.running) {
      const n = randomUUID().slice(0, 8);
      const answer = await post(
        this.agent,
        this.platform.gatewayUrl,
        GENERATE,
        {
          input: {
            installSiteId: this.installSiteId,
            product: 'PureConnect CIC',
            productVersion: '2020 R2',
            licenseType: 'PRODUCTION',
            machine: {
              hostId: '00-15-5D-4A-10-02',
              machineName: `faults-gen-${n}`,
              systemType: 'Media Server Based',
            },
            serverItem: 'SW-003-4.0-SV01',
            items: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 1 }],
          },
        },
        this.platform.tokens.admin,
      );
      const id = (answer.data?.['generateActivationFile'] as { id?: string } | undefined)?.id;
      this.generated.push({
        told: answer.told,
        ...(id ? { id } : {}),
        ...(answer.code ? { code: answer.code } : {}),
      });
      await sleep(1000);
    }
  }

  private async uploadLoop(): Promise<void> {
    while (this.running) {
      this.sequence += 1;
      const day = new Date().toISOString().slice(0, 10);
      const base = Date.now() - 60_000;
      const records: UsageRecord[] = [0, 1].flatMap((u) => [
        {
          type: 'logon',
          userId: `usage-user-${u}`,
          licenses: [CLIENT_KEY],
          occurredAt: new Date(base + u),
          eventId: randomUUID(),
          application: 'Interaction Connect',
        },
        {
          type: 'logoff',
          userId: `usage-user-${u}`,
          licenses: [CLIENT_KEY],
          occurredAt: new Date(base + 1000 + u),
          eventId: randomUUID(),
          application: 'Interaction Connect',
        },
      ]);
      const content = encryptUsageFile(encodeRecords(records), this.platform.usageFileKey, {
        serverId: this.usageServerId,
        day,
        sequence: this.sequence,
      });
      const fileName = /^File-Name: (\S+)$/m.exec(content)?.[1] ?? `usage-${this.sequence}.usg`;
      const answer = await post(
        this.agent,
        this.platform.gatewayUrl,
        UPLOAD,
        { serverId: this.usageServerId, fileName, content },
        this.platform.tokens.admin,
      );
      this.uploaded.push({
        told: answer.told,
        eventIds: records.map((r) => r.eventId),
        ...(answer.code ? { code: answer.code } : {}),
      });
      await sleep(1000);
    }
  }

  /** Every file told generated is in accounts' database; every upload told ok is ingested, none told failed is. */
  async check(store: Store, fromGenerated: number, fromUploaded: number): Promise<Check[]> {
    const generated = this.generated.slice(fromGenerated);
    const ids = generated.filter((g) => g.told === 'ok' && g.id).map((g) => g.id!);
    const found = ids.length
      ? await query<{ id: string }>(
          store.url,
          `${store.prefix}_accounts`,
          `SELECT id FROM activation_file WHERE id IN (${ids.map(() => '?').join(',')})`,
          ids,
        )
      : [];
    const uploaded = this.uploaded.slice(fromUploaded);
    const events = await query<{ event_id: string }>(
      store.url,
      `${store.prefix}_billing`,
      'SELECT event_id FROM usage_event WHERE server_id = ?',
      [this.usageServerId],
    );
    const stored = events.map((e) => e.event_id);
    const has = (eventId: string) => stored.some((s) => s === eventId || s.endsWith(eventId));
    const okFiles = uploaded.filter((u) => u.told === 'ok');
    const missing = okFiles.filter((u) => !u.eventIds.every(has)).length;
    const failedIngested = uploaded.filter((u) => u.told === 'failed' && u.eventIds.some(has)).length;
    const codes = (list: Array<{ told: string; code?: string }>) => {
      const m = new Map<string, number>();
      for (const x of list.filter((x) => x.told !== 'ok'))
        m.set(x.code ?? '?', (m.get(x.code ?? '?') ?? 0) + 1);
      return [...m].map(([c, n]) => `${c}×${n}`).join(', ');
    };
    return [
      {
        name: 'activation files told generated are stored',
        ok: found.length === ids.length,
        figures: `${generated.length} generations, ${ids.length} told ok, ${ids.length - found.length} missing${codes(generated) ? `; refused: ${codes(generated)}` : ''}`,
      },
      {
        name: 'usage files: told ingested ⇒ stored, told failed ⇒ nothing',
        ok: missing === 0 && failedIngested === 0,
        figures: `${uploaded.length} uploads, ${okFiles.length} told ok, ${missing} not (fully) stored, ${failedIngested} told failed but stored${codes(uploaded) ? `; refused: ${codes(uploaded)}` : ''}`,
      },
    ];
  }
}
