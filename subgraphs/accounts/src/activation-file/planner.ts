import {
  DomainError,
  ErrorCode,
  type LicenseKeyQuantity,
  type LicenseMachine,
  type LicenseModel,
  type LicenseType,
  type SwitchoverMachine,
  VIRTUAL_CLOUD_KEY,
  badInput,
  forbidden,
  isSubscriptionOnlyKey,
  parseInput,
} from '@lic/shared';
import { type z } from 'zod';
import { type CatalogPart, PartKind } from '../part/part-catalog.js';
import { expandOrderLine } from '../part/expand.js';
import { type Catalog } from '../part/catalog.js';
import { FileItemRole } from './activation-file.entity.js';
import {
  activationFileItemSchema,
  type generateActivationFileSchema,
  gracePeriodDaysSchema,
  machineSchema,
  productSchema,
  productVersionSchema,
  rampDateSchema,
  serverItemSchema,
  switchoverMachineSchema,
} from './activation-file.inputs.js';
import {
  DEFAULT_GRACE_PERIOD_DAYS,
  SU_ALLOWED_KEY,
  SWITCHOVER_KEY,
  type ServerTier,
  type Validity,
  developmentKeys,
  developmentSize,
  hostIdOptional,
  isDevelopment,
  isNonOrderedDevelopment,
  isProductionServer,
  licenseValidity,
  maintenancePaid,
  minimumVersionProblem,
  nonOrderedDevelopmentSizeOf,
  orderedDevelopmentSizeOf,
  releaseRank,
  serverTier,
  sumKeys,
} from './rules.js';

export type MachineInput = z.input<typeof machineSchema>;
export type SwitchoverInput = z.input<typeof switchoverMachineSchema>;

/** An item as given, or as stored (a stored item may lack its pooled quantity: 0). */
export type FileItemInput = Omit<z.input<typeof activationFileItemSchema>, 'pooledQuantity'> & {
  pooledQuantity?: number | null | undefined;
};

/** Everything docs/domain.md lists as input of the New Activation File tab (items as FileItemInput). */
export type FileSpecification = Omit<z.input<typeof generateActivationFileSchema>, 'items' | 'addOnItems'> & {
  items?: readonly FileItemInput[] | null | undefined;
  addOnItems?: readonly FileItemInput[] | null | undefined;
};

/** One part a file holds, and whether its quantities come out of the ordered items. */
export interface Take {
  role: FileItemRole;
  partNumber: string;
  licenseModel: LicenseModel;
  assigned: number;
  pooled: number;
  taken: boolean;
}

export interface OrderTerms {
  licenseModel: LicenseModel;
  maintenancePaid: boolean;
  maintenancePaidUntil: Date | null;
  rampDate: Date | null;
  gracePeriodDays: number | null;
}

export interface Entitlement {
  partNumber: string;
  licenseModel: LicenseModel;
  productVersion: string | null;
}

export interface PlanContext {
  catalog: Catalog;
  /** The end user's orders (they decide licence model, maintenance, virtual-cloud terms). */
  orders: readonly OrderTerms[];
  entitlements: readonly Entitlement[];
  caller: { admin: boolean; partner: boolean };
  /** The licensing team fulfilling a request may issue what the tool may not (bundles). */
  viaRequest: boolean;
  now: Date;
  /** On update: the file keeps its type, model, generation instant and validity. */
  keep?: { licenseModel: LicenseModel; generatedAt: Date; validity: Validity; partnerDevelopment: boolean };
  /** On update: the virtual-cloud terms the file already carries, used unless the input sets new ones. */
  terms?: { rampDate: Date | null; gracePeriodDays: number | null };
}

export interface FilePlan {
  licenseModel: LicenseModel;
  licenseType: LicenseType;
  product: string;
  productVersion: string;
  generatedAt: Date;
  validity: Validity;
  machine: LicenseMachine;
  serverItem: string;
  switchover: (SwitchoverMachine & { partNumber: string }) | undefined;
  provideSwitchoverLater: boolean;
  virtualCloud: { rampDate: Date; gracePeriodDays: number } | undefined;
  keys: LicenseKeyQuantity[];
  takes: Take[];
  tier: ServerTier | undefined;
  partnerDevelopment: boolean;
}

interface Line {
  part: CatalogPart;
  role: FileItemRole;
  assigned: number;
  pooled: number;
}

const ITEM_KINDS: readonly PartKind[] = [
  PartKind.ACCESS,
  PartKind.FEATURE,
  PartKind.SESSION,
  PartKind.BUNDLE,
];
const ADD_ON_KINDS: readonly PartKind[] = [PartKind.ADDON, PartKind.BUNDLE];

function onlyThroughRequest(): DomainError {
  return forbidden(
    'Subscription and mixed-estate activation files come only through an activation file request (submitActivationFileRequest): only the licensing team generates them',
  );
}

function resolveModel(spec: FileSpecification, ctx: PlanContext, partnerDevelopment: boolean): LicenseModel {
  const models = [...new Set(ctx.orders.map((o) => o.licenseModel))];
  let model: LicenseModel;
  if (ctx.keep) {
    model = ctx.keep.licenseModel;
  } else if (spec.licenseModel) {
    if (models.length > 0 && !models.includes(spec.licenseModel)) {
      throw badInput(`This account has no ${spec.licenseModel} orders`, 'licenseModel');
    }
    model = spec.licenseModel;
  } else if (models.length === 1) {
    model = models[0]!;
  } else if (models.length === 0) {
    model = 'PERPETUAL';
  } else {
    throw badInput(
      'This account has perpetual and subscription orders (a mixed estate): choose licenseModel',
      'licenseModel',
    );
  }
  if (!ctx.caller.admin && !partnerDevelopment && (model === 'SUBSCRIPTION' || models.length > 1)) {
    throw onlyThroughRequest();
  }
  return model;
}

function serverPartFor(type: LicenseType, partNumber: string, catalog: Catalog): CatalogPart {
  const part = catalog.find(partNumber);
  if (!part) throw badInput(`Unknown part number ${partNumber}`, 'serverItem');
  const size = developmentSize(type);
  const partOfKind = (kind: PartKind) =>
    catalog.parts.filter((p) => p.kind === kind).map((p) => p.partNumber);
  if (type === 'PRODUCTION' || type === 'TRIAL') {
    if (part.kind !== PartKind.SERVER) {
      throw badInput(
        `${partNumber} is not a server item (one of ${partOfKind(PartKind.SERVER).join(', ')})`,
        'serverItem',
      );
    }
  } else if (type === 'EVALUATION') {
    if (part.kind !== PartKind.EVALUATION) {
      throw badInput(
        `An evaluation file is generated from an evaluation part (${partOfKind(PartKind.EVALUATION).join(', ')})`,
        'serverItem',
      );
    }
  } else if (isNonOrderedDevelopment(type)) {
    if (nonOrderedDevelopmentSizeOf(part) !== size) {
      throw badInput(
        size === 'SMALL'
          ? 'A small non-ordered development file comes with a Basic or Intermediate production server item'
          : 'A large non-ordered development file comes with an Advanced production server item',
        'serverItem',
      );
    }
  } else if (orderedDevelopmentSizeOf(part) !== size) {
    const expected = catalog.parts
      .filter((p) => orderedDevelopmentSizeOf(p) === size)
      .map((p) => p.partNumber);
    throw badInput(
      `An ordered ${size?.toLowerCase() ?? ''} development file uses the part ${expected.join(' or ')}`,
      'serverItem',
    );
  }
  return part;
}

function readLines(
  list: readonly FileItemInput[],
  listField: 'items' | 'addOnItems',
  ctx: PlanContext,
  seen: Set<string>,
): Line[] {
  const allowed = listField === 'items' ? ITEM_KINDS : ADD_ON_KINDS;
  const role = listField === 'items' ? FileItemRole.ITEM : FileItemRole.ADD_ON;
  return list.map((item, i) => {
    const path = `${listField}.${i}`;
    const part = ctx.catalog.find(item.partNumber);
    if (!part) throw badInput(`Unknown part number ${item.partNumber}`, `${path}.partNumber`);
    if (!allowed.includes(part.kind)) {
      const hint =
        part.kind === PartKind.ADDON
          ? 'it is an add-on: list it under addOnItems'
          : part.kind === PartKind.SERVER
            ? 'a file holds exactly one server item: use serverItem (and switchover.serverItem)'
            : listField === 'addOnItems'
              ? 'it is not an add-on: list it under items'
              : `it is the server item of ${part.kind === PartKind.EVALUATION ? 'an evaluation' : 'an ordered development'} file`;
      throw badInput(`${part.partNumber} cannot be listed here: ${hint}`, `${path}.partNumber`);
    }
    if (part.kind === PartKind.BUNDLE && !(ctx.caller.admin && ctx.viaRequest)) {
      throw badInput(
        `${part.partNumber} is a bundle: trial and add-on bundles are issued only by the licensing team through an activation file request`,
        `${path}.partNumber`,
      );
    }
    if (part.keys.includes(SU_ALLOWED_KEY)) {
      throw badInput(
        `${SU_ALLOWED_KEY} follows maintenance: every file holds it while maintenance is paid`,
        `${path}.partNumber`,
      );
    }
    if (seen.has(part.partNumber)) throw badInput(`${part.partNumber} is listed twice`, `${path}.partNumber`);
    seen.add(part.partNumber);
    const { assignedQuantity: assigned, pooledQuantity: pooled } = parseInput(
      activationFileItemSchema,
      { ...item, pooledQuantity: item.pooledQuantity ?? 0 },
      path,
    );
    if (pooled > 0 && part.kind !== PartKind.ACCESS && part.kind !== PartKind.ADDON) {
      throw badInput(
        `${part.partNumber} is a ${part.kind} part: only access and add-on licences can be pooled`,
        `${path}.pooledQuantity`,
      );
    }
    if (assigned + pooled === 0)
      throw badInput(`The line for ${part.partNumber} holds nothing`, `${path}.assignedQuantity`);
    return { part, role, assigned, pooled };
  });
}

function readMachine(input: MachineInput, serverItem: string): LicenseMachine {
  const m = parseInput(machineSchema, input, 'machine');
  return {
    hostId: m.hostId ?? '',
    machineName: m.machineName,
    systemType: m.systemType,
    ...(m.mailConnector !== null ? { mailConnector: m.mailConnector } : {}),
    serverItem,
  };
}

function readSwitchover(
  s: SwitchoverInput,
  ctx: PlanContext,
  primaryName: string,
): SwitchoverMachine & { partNumber: string } {
  const part = ctx.catalog.find(s.serverItem);
  if (!part || !isProductionServer(part)) {
    throw badInput(
      'The switchover server item must be a Basic, Intermediate or Advanced production server',
      'switchover.serverItem',
    );
  }
  const { machineName, systemType, hostId } = parseInput(switchoverMachineSchema, s, 'switchover');
  if (machineName.toLowerCase() === primaryName.toLowerCase()) {
    throw badInput(
      'The switchover machine must be another machine than the primary',
      'switchover.machineName',
    );
  }
  return {
    hostId: hostId ?? '',
    machineName,
    ...(systemType !== null ? { systemType } : {}),
    serverItem: ctx.catalog.describe(part.partNumber),
    partNumber: part.partNumber,
  };
}

function unitKeys(part: CatalogPart): LicenseKeyQuantity[] {
  return part.keys.map((key) => ({ key, quantity: 1 }));
}

function hostIdRequired(field: string): DomainError {
  return new DomainError(
    ErrorCode.HOST_ID_REQUIRED,
    'A host ID is required: only a SUBSCRIPTION file holding I3_FEATURE_VIRTUAL_CLOUD for 2020 R2 or later may leave it empty',
    { field },
  );
}

/**
 * Usage tracking and virtual cloud each require a subscription agreement: a PERPETUAL file never
 * holds them. Names the first part that brings one in.
 */
function refuseSubscriptionOnly(
  keys: readonly LicenseKeyQuantity[],
  lines: readonly Line[],
  serverPart: CatalogPart,
): void {
  const key = keys.find((k) => isSubscriptionOnlyKey(k.key))?.key;
  if (key === undefined) return;
  const line = lines.find((l) => l.part.keys.includes(key));
  const partNumber = line?.part.partNumber ?? serverPart.partNumber;
  const list = line?.role === FileItemRole.ADD_ON ? 'addOnItems' : 'items';
  const index = line ? lines.filter((l) => l.role === line.role).indexOf(line) : -1;
  throw new DomainError(
    ErrorCode.SUBSCRIPTION_REQUIRED,
    `${partNumber} brings ${key}: usage tracking and virtual cloud require a subscription agreement, so a PERPETUAL file cannot hold them`,
    { field: line ? `${list}.${index}.partNumber` : 'serverItem', partNumber, key },
  );
}

/**
 * Turns the inputs of a new (or updated) activation file into its content and the quantities it
 * takes, applying every rule that needs no database: licence model and type, server items, items and
 * add-ons, maintenance, virtual cloud, host IDs, switchover, entitled versions and validity.
 */
export function planActivationFile(spec: FileSpecification, ctx: PlanContext): FilePlan {
  // Each step may refuse the file: one with several faults is refused for the first in this order.
  const file = readSpecification(spec, ctx);
  const keys = planKeys(file, ctx);
  const virtualCloud = planVirtualCloud(spec, ctx, file.entitledOrders, keys);
  refuseMissingHostIds(file, keys);
  const takes = planTakes(file);
  refuseUnentitledVersions(file, takes, ctx);
  return assemblePlan(file, ctx, keys, takes, virtualCloud);
}

/** The specification once read and checked on its own: what the rules about its content work on. */
interface ReadSpecification {
  type: LicenseType;
  partnerDevelopment: boolean;
  licenseModel: LicenseModel;
  /** The end user's orders of the file's licence model: maintenance and virtual-cloud terms. */
  entitledOrders: readonly OrderTerms[];
  product: string;
  productVersion: string;
  rank: number;
  serverPart: CatalogPart;
  machine: LicenseMachine;
  switchover: FilePlan['switchover'];
  provideSwitchoverLater: boolean;
  lines: Line[];
}

function readSpecification(spec: FileSpecification, ctx: PlanContext): ReadSpecification {
  const type = spec.licenseType;
  const partnerDevelopment = ctx.keep
    ? ctx.keep.partnerDevelopment
    : ctx.caller.partner && !ctx.caller.admin && isNonOrderedDevelopment(type);
  const licenseModel = resolveModel(spec, ctx, partnerDevelopment);
  if (type === 'TRIAL' && ctx.orders.length === 0) {
    throw badInput('Trial licences are for existing customers: this account has no orders', 'licenseType');
  }
  const { product, productVersion, rank } = readProduct(spec);
  const serverPart = serverPartFor(
    type,
    parseInput(serverItemSchema, spec.serverItem, 'serverItem'),
    ctx.catalog,
  );
  const machine = readMachine(spec.machine, ctx.catalog.describe(serverPart.partNumber));
  const switchover = spec.switchover ? readSwitchover(spec.switchover, ctx, machine.machineName) : undefined;
  const lines = readItems(spec, ctx);
  return {
    type,
    partnerDevelopment,
    licenseModel,
    entitledOrders: ctx.orders.filter((o) => o.licenseModel === licenseModel),
    product,
    productVersion,
    rank,
    serverPart,
    machine,
    switchover,
    provideSwitchoverLater: spec.provideSwitchoverLater ?? false,
    lines,
  };
}

function readProduct(spec: FileSpecification): { product: string; productVersion: string; rank: number } {
  const product = parseInput(productSchema, spec.product, 'product');
  const { version: productVersion, rank } = parseInput(
    productVersionSchema,
    spec.productVersion,
    'productVersion',
  );
  return { product, productVersion, rank };
}

/** Items, then add-ons; evaluation and development files have fixed content and take neither. */
function readItems(spec: FileSpecification, ctx: PlanContext): Line[] {
  const type = spec.licenseType;
  const fixedContent = isDevelopment(type) || type === 'EVALUATION';
  const seen = new Set<string>();
  const items = spec.items ?? [];
  const addOnItems = spec.addOnItems ?? [];
  if (fixedContent && items.length + addOnItems.length > 0) {
    const what =
      type === 'EVALUATION'
        ? 'an evaluation is a predefined configuration'
        : 'a development file holds every feature and a fixed number of access and session licences';
    throw badInput(`No components may be added: ${what}`, items.length > 0 ? 'items' : 'addOnItems');
  }
  return [...readLines(items, 'items', ctx, seen), ...readLines(addOnItems, 'addOnItems', ctx, seen)];
}

/**
 * The keys the file holds: its lines, its server item (and the switchover's), a development file's
 * allowance or an evaluation's bundle, and the update key while maintenance is paid.
 */
function planKeys(file: ReadSpecification, ctx: PlanContext): LicenseKeyQuantity[] {
  const { type, lines, serverPart, switchover } = file;
  const size = developmentSize(type);
  // A non-ordered development file names its granting server but holds no server key of its own.
  const serverCounts = !isNonOrderedDevelopment(type);
  const keys = sumKeys(
    ...lines.map((l) => expandOrderLine(l.part, l.assigned, l.pooled, ctx.catalog.parts)),
    serverCounts ? unitKeys(serverPart) : [],
    size ? developmentKeys(ctx.catalog, size) : [],
    type === 'EVALUATION' ? (serverPart.bundle ?? []) : [],
  ).filter((k) => k.key !== SU_ALLOWED_KEY);
  if (maintenancePaid(file.entitledOrders, ctx.now)) keys.push({ key: SU_ALLOWED_KEY, quantity: 1 });

  if (file.licenseModel === 'PERPETUAL') refuseSubscriptionOnly(keys, lines, serverPart);
  refuseTooOld(file, keys);
  refuseSwitchoverMismatch(file, keys);
  if (switchover && serverCounts) {
    const part = ctx.catalog.find(switchover.partNumber);
    if (part) return sumKeys(keys, unitKeys(part));
  }
  return keys;
}

function holds(keys: readonly LicenseKeyQuantity[], key: string): boolean {
  return keys.some((k) => k.key === key);
}

function refuseTooOld(file: ReadSpecification, keys: readonly LicenseKeyQuantity[]): void {
  const { productVersion } = file;
  const tooOld = minimumVersionProblem(file.licenseModel, keys, productVersion);
  if (tooOld) {
    throw new DomainError(
      ErrorCode.PRODUCT_VERSION_TOO_OLD,
      `${tooOld.what} needs product version ${tooOld.since} or later, not ${productVersion}`,
      { field: 'productVersion', productVersion, minimum: tooOld.since },
    );
  }
}

/** A switchover machine (given now or later) and the Switchover feature come together or not at all. */
function refuseSwitchoverMismatch(file: ReadSpecification, keys: readonly LicenseKeyQuantity[]): void {
  const { switchover, provideSwitchoverLater } = file;
  if (switchover && provideSwitchoverLater) {
    throw badInput(
      'Either give the switchover machine or provide it later, not both',
      'provideSwitchoverLater',
    );
  }
  if ((switchover || provideSwitchoverLater) && !holds(keys, SWITCHOVER_KEY)) {
    throw badInput(
      `A switchover pair needs the Switchover feature (${SWITCHOVER_KEY}) in the file`,
      'switchover',
    );
  }
  if (file.type === 'PRODUCTION' && holds(keys, SWITCHOVER_KEY) && !switchover && !provideSwitchoverLater) {
    throw badInput(
      'The file holds the Switchover feature: give the switchover machine, or set provideSwitchoverLater',
      'switchover',
    );
  }
}

/**
 * A file holding virtual cloud carries a ramp date and grace period: the input's, else those the file
 * already has, else the latest order's that names any, else today and the default grace period.
 */
function planVirtualCloud(
  spec: FileSpecification,
  ctx: PlanContext,
  entitledOrders: readonly OrderTerms[],
  keys: readonly LicenseKeyQuantity[],
): FilePlan['virtualCloud'] {
  const grace = spec.gracePeriodDays;
  const graceGiven = grace !== null && grace !== undefined;
  if (!holds(keys, VIRTUAL_CLOUD_KEY)) {
    if (spec.rampDate || graceGiven) {
      throw badInput(
        `A ramp date and grace period belong only to files holding ${VIRTUAL_CLOUD_KEY}`,
        spec.rampDate ? 'rampDate' : 'gracePeriodDays',
      );
    }
    return undefined;
  }
  const terms = [...entitledOrders].reverse().find((o) => o.rampDate !== null || o.gracePeriodDays !== null);
  const rampDate = spec.rampDate
    ? parseInput(rampDateSchema, spec.rampDate, 'rampDate')
    : (ctx.terms?.rampDate ?? terms?.rampDate ?? ctx.now);
  const gracePeriodDays = graceGiven
    ? parseInput(gracePeriodDaysSchema, grace, 'gracePeriodDays')
    : (ctx.terms?.gracePeriodDays ?? terms?.gracePeriodDays ?? DEFAULT_GRACE_PERIOD_DAYS);
  return { rampDate, gracePeriodDays };
}

function refuseMissingHostIds(file: ReadSpecification, keys: readonly LicenseKeyQuantity[]): void {
  const { machine, switchover } = file;
  const hostless = hostIdOptional(file.licenseModel, keys, file.productVersion);
  if (machine.hostId === '' && !hostless) throw hostIdRequired('machine.hostId');
  if (switchover && switchover.hostId === '' && !hostless) throw hostIdRequired('switchover.hostId');
}

/** The parts the file holds, in order (lines, server, switchover server), and which come out of orders. */
function planTakes(file: ReadSpecification): Take[] {
  const { type, partnerDevelopment, licenseModel, switchover } = file;
  const takenFromOrder = type !== 'TRIAL' && !partnerDevelopment;
  const takes: Take[] = file.lines.map((l) => ({
    role: l.role,
    partNumber: l.part.partNumber,
    licenseModel,
    assigned: l.assigned,
    pooled: l.pooled,
    taken: takenFromOrder,
  }));
  const serverRole =
    isNonOrderedDevelopment(type) && !partnerDevelopment
      ? FileItemRole.DEVELOPMENT_ALLOWANCE
      : FileItemRole.SERVER;
  takes.push({
    role: serverRole,
    partNumber: file.serverPart.partNumber,
    licenseModel,
    assigned: 1,
    pooled: 0,
    taken: takenFromOrder,
  });
  if (switchover) {
    takes.push({
      role: FileItemRole.SWITCHOVER_SERVER,
      partNumber: switchover.partNumber,
      licenseModel,
      assigned: 1,
      pooled: 0,
      taken: takenFromOrder && type === 'PRODUCTION',
    });
  }
  return takes;
}

/** A part taken from an order with an upgrade option is licensed only up to the version entitled. */
function refuseUnentitledVersions(file: ReadSpecification, takes: readonly Take[], ctx: PlanContext): void {
  const { licenseModel, productVersion, rank } = file;
  for (const take of takes) {
    const part = ctx.catalog.find(take.partNumber);
    if (!take.taken || !part?.hasUpgradeOption) continue;
    const entitled = ctx.entitlements.find(
      (e) => e.partNumber === take.partNumber && e.licenseModel === licenseModel,
    );
    if (entitled?.productVersion && rank > (releaseRank(entitled.productVersion) ?? Infinity)) {
      throw badInput(
        `${take.partNumber} is licensed up to ${entitled.productVersion}: upgrade the software (upgradeSoftware) before licensing ${productVersion}`,
        'productVersion',
      );
    }
  }
}

function assemblePlan(
  file: ReadSpecification,
  ctx: PlanContext,
  keys: readonly LicenseKeyQuantity[],
  takes: Take[],
  virtualCloud: FilePlan['virtualCloud'],
): FilePlan {
  const { type, partnerDevelopment, serverPart } = file;
  const tier = serverTier(serverPart);
  const generatedAt = ctx.keep?.generatedAt ?? ctx.now;
  const validity =
    ctx.keep?.validity ??
    licenseValidity(type, generatedAt, {
      partnerDevelopment,
      multiSiteAdministration: tier === 'MULTI_SITE',
    });
  return {
    licenseModel: file.licenseModel,
    licenseType: type,
    product: file.product,
    productVersion: file.productVersion,
    generatedAt,
    validity,
    machine: file.machine,
    serverItem: serverPart.partNumber,
    switchover: file.switchover,
    provideSwitchoverLater: file.provideSwitchoverLater,
    virtualCloud,
    keys: sumKeys(keys).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    takes,
    tier,
    partnerDevelopment,
  };
}
