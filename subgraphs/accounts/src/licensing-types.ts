import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LICENSE_MODELS, LICENSE_TYPES, type LicenseModel, type LicenseType } from '@lic/shared';
import { PartKind } from './catalog/index.js';

function enumOf<T extends string>(values: readonly T[]): { [K in T]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
}

/** The GraphQL enums mirror the licence-file vocabulary in @lic/shared, so the two can never disagree. */
export const LicenseModelEnum = enumOf<LicenseModel>(LICENSE_MODELS);
export const LicenseTypeEnum = enumOf<LicenseType>(LICENSE_TYPES);

registerEnumType(LicenseModelEnum, {
  name: 'LicenseModel',
  description: 'PERPETUAL (paid once, capped by the file) or SUBSCRIPTION (usage billed monthly)',
});
registerEnumType(LicenseTypeEnum, {
  name: 'LicenseType',
  description: 'What an activation file may be used for, which decides its validity dates',
});
registerEnumType(PartKind, {
  name: 'PartKind',
  description: 'What the units of a part become in an activation file',
});

export const ActiveFilter = { YES: 'YES', NO: 'NO', ALL: 'ALL' } as const;
export type ActiveFilter = (typeof ActiveFilter)[keyof typeof ActiveFilter];
registerEnumType(ActiveFilter, {
  name: 'ActiveFilter',
  description: 'YES: active only; NO: inactive only; ALL: both',
});

// Named apart from allocation's own key/quantity type: value types of one name in two subgraphs must be
// declared @shareable in both, and these evolve separately.
@ObjectType('GrantedKey', { description: 'A licence key and how many of it are granted' })
export class LicenseKeyQuantity {
  @Field()
  key!: string;

  @Field(() => Int)
  quantity!: number;
}
