import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import {
  type Clock,
  type DomainError,
  type Principal,
  badInput,
  notFound,
  parseInput,
  isUniqueViolation,
  select,
} from '@lic/shared';
import { type Db } from '../db/db.js';
import { type Effects, ruleError } from '../effects.js';
import { NOTHING, PoolExhausted, reconfigure, type Configuration } from '../pool/assignments.js';
import { recordDenials } from '../pool/denials.js';
import { type PoolStore } from '../pool/pool.store.js';
import { checkServerPrerequisites, validateStationLicenses } from '../rules/licenses.js';
import { type Server } from '../server/server.entity.js';
import { type ServerService } from '../server/server.service.js';
import { exhausted } from '../user/user.service.js';
import { Station, type StationKind } from './station.entity.js';
import { type CreateStation, createStationSchema } from './station.inputs.js';

const assigned = (licenses: readonly string[]): Configuration => ({ method: 'ASSIGNED', licenses });

/** Stations: every kind of docs/domain.md, ASSIGNED licences only, Basic Station for stations only. */
export class StationService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly servers: ServerService,
    private readonly pools: PoolStore,
    private readonly effects: Effects,
  ) {}

  async byIds(ids: readonly string[]): Promise<Station[]> {
    if (ids.length === 0) return [];
    return this.db.read((m) => m.getRepository(Station).findBy({ id: In([...ids]) }));
  }

  async byServerIds(serverIds: readonly string[]): Promise<Station[]> {
    if (serverIds.length === 0) return [];
    return this.db.read((m) =>
      m.getRepository(Station).find({ where: { serverId: In([...serverIds]) }, order: { name: 'ASC' } }),
    );
  }

  /** The warnings a station's configuration carries (audio inactive without Basic Station, redundant IPA levels). */
  warnings(station: Pick<Station, 'kind' | 'licenses' | 'enabled'>): string[] {
    const result = validateStationLicenses({
      kind: station.kind,
      licenses: station.licenses,
      // A row TypeORM reloaded after an insert may carry the column's raw 0/1.
      enabled: Boolean(Number(station.enabled)),
    });
    return result.ok ? result.warnings : [];
  }

  private validate(server: Server, kind: StationKind, licenses: string[], enabled: boolean): string[] {
    const result = validateStationLicenses({ kind, licenses, enabled });
    if (!result.ok) throw ruleError(result);
    const prerequisite = checkServerPrerequisites(result.licenses, Object.keys(server.licenseKeys ?? {}));
    if (prerequisite) throw ruleError(prerequisite);
    return result.licenses;
  }

  async create(principal: Principal | undefined, input: CreateStation): Promise<Station> {
    const server = await this.servers.require(principal, input.serverId, 'configure');
    const { name, enabled } = parseInput(createStationSchema, input);
    const licenses = this.validate(server, input.kind, input.licenses, enabled);
    const station = Object.assign(new Station(), {
      id: randomUUID(),
      // A switchover pair's members share one station configuration: the unit's.
      serverId: server.unitId,
      accountId: server.accountId,
      name,
      kind: input.kind,
      enabled,
      licenses,
      createdAt: this.clock.now(),
    });
    await this.change(server.unitId, station.id, async (m) => {
      try {
        await m.insert(Station, { ...station });
      } catch (error) {
        if (isUniqueViolation(error))
          throw badInput(`A station named ${name} already exists on this server`, 'name');
        throw error;
      }
      return { before: NOTHING, after: assigned(licenses) };
    });
    return station;
  }

  async setLicenses(
    principal: Principal | undefined,
    stationId: string,
    licenses: string[],
    enabled?: boolean | null,
  ): Promise<Station> {
    const current = (await this.byIds([stationId]))[0];
    if (!current) throw notFound('Station', stationId);
    const server = await this.servers.requireUnit(principal, current.serverId, 'configure');
    const nextEnabled = enabled ?? current.enabled;
    const validated = this.validate(server, current.kind, licenses, nextEnabled);
    let saved: Station | undefined;
    await this.change(current.serverId, stationId, async (m) => {
      await select(m, `SELECT id FROM station WHERE id = ?${this.db.forUpdate}`, [stationId]);
      const station = await m.getRepository(Station).findOneBy({ id: stationId });
      if (!station) throw notFound('Station', stationId);
      // What the station held before is read before the row (and the object) change.
      const before = assigned([...station.licenses]);
      await m.update(Station, { id: stationId }, { licenses: validated, enabled: nextEnabled });
      saved = Object.assign(station, { licenses: validated, enabled: nextEnabled });
      return { before, after: assigned(validated) };
    });
    return saved!;
  }

  /** Deletes a station and gives back its licences; refused while a user is logged on at it. */
  async delete(principal: Principal | undefined, stationId: string): Promise<boolean> {
    const current = (await this.byIds([stationId]))[0];
    if (!current) throw notFound('Station', stationId);
    await this.servers.requireUnit(principal, current.serverId, 'configure');
    await this.change(current.serverId, stationId, async (m) => {
      // Locked first, as setLicenses does: of deletions and changes at once, one at a time
      // finds the station, so its licences are given back once.
      await select(m, `SELECT id FROM station WHERE id = ?${this.db.forUpdate}`, [stationId]);
      const station = await m.getRepository(Station).findOneBy({ id: stationId });
      if (!station) throw notFound('Station', stationId);
      const users = await select<{ id: string }>(m, 'SELECT id FROM cic_user WHERE station_id = ?', [
        stationId,
      ]);
      if (users.length > 0)
        throw badInput(`A user is logged on at station ${station.name}: log it off first`, 'id');
      await m.delete(Station, { id: stationId });
      return { before: assigned(station.licenses), after: NOTHING };
    });
    return true;
  }

  private async change(
    serverId: string,
    stationId: string,
    write: (m: EntityManager) => Promise<{ before: Configuration; after: Configuration }>,
  ): Promise<void> {
    try {
      await this.db.tx(async (m) => {
        const { before, after } = await write(m);
        await reconfigure(m, this.pools, serverId, before, after, this.clock.now());
        this.effects.afterCommit(m, [serverId], false);
      });
    } catch (error) {
      if (!(error instanceof PoolExhausted)) throw error;
      throw await this.refused(serverId, error.key, stationId);
    }
  }

  private async refused(serverId: string, key: string, stationId: string): Promise<DomainError> {
    await this.db.tx(async (m) => {
      const exists = await m.getRepository(Station).existsBy({ id: stationId });
      const at = this.clock.now();
      await recordDenials(
        m,
        this.pools,
        serverId,
        [{ key, reason: 'EXHAUSTED', stationId: exists ? stationId : null }],
        at,
      );
      this.effects.afterCommit(m, [serverId], false);
      this.effects.denied(m, serverId, [{ key, reason: 'EXHAUSTED' }], at);
    });
    return exhausted(key);
  }
}
