import { registerEnumType } from 'type-graphql';
import { LICENSE_MODELS, LICENSE_TYPES, type LicenseModel, type LicenseType } from '@lic/shared';
import { PartKind } from './part/part-catalog.js';

function enumOf<T extends string>(values: readonly T[]): { [K in T]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
}

/** The GraphQL enums mirror the licence-file vocabulary in @lic/shared, so the two can never disagree. */
export const LicenseModelEnum = enumOf<LicenseModel>(LICENSE_MODELS);
export const LicenseTypeEnum = enumOf<LicenseType>(LICENSE_TYPES);

registerEnumType(LicenseModelEnum, {
  name: 'LicenseModel',
  description: 'PERPETUAL (paid once, capped by the file) or SUBSCRIPTION (usage billed monthly)',
  valuesConfig: {
    PERPETUAL: { description: 'Paid once, capped by the file' },
    SUBSCRIPTION: { description: 'Usage billed monthly' },
  },
});
registerEnumType(LicenseTypeEnum, {
  name: 'LicenseType',
  description: 'What an activation file may be used for, which decides its validity dates',
  valuesConfig: {
    PRODUCTION: { description: 'A production server' },
    DEVELOPMENT_NON_ORDERED_SMALL: {
      description: 'A small development server granted by a production server, not ordered',
    },
    DEVELOPMENT_NON_ORDERED_LARGE: {
      description: 'A large development server granted by a production server, not ordered',
    },
    DEVELOPMENT_ORDERED_SMALL: { description: 'A small development server, ordered' },
    DEVELOPMENT_ORDERED_LARGE: { description: 'A large development server, ordered' },
    TRIAL: { description: 'A trial' },
    EVALUATION: { description: 'An evaluation' },
  },
});
registerEnumType(PartKind, {
  name: 'PartKind',
  description: 'What the units of a part become in an activation file',
  valuesConfig: {
    ACCESS: { description: 'Client access licences' },
    ADDON: { description: 'An add-on for access licences' },
    FEATURE: { description: 'A server feature' },
    SERVER: { description: 'A server licence' },
    SESSION: { description: 'Session (interaction) licences' },
    DEVELOPMENT: { description: 'A development server' },
    EVALUATION: { description: 'An evaluation with a fixed configuration' },
    BUNDLE: { description: 'A bundle of other parts' },
  },
});

export const ActiveFilter = { YES: 'YES', NO: 'NO', ALL: 'ALL' } as const;
export type ActiveFilter = (typeof ActiveFilter)[keyof typeof ActiveFilter];
registerEnumType(ActiveFilter, {
  name: 'ActiveFilter',
  description: 'YES: active only; NO: inactive only; ALL: both',
  valuesConfig: {
    YES: { description: 'Active only' },
    NO: { description: 'Inactive only' },
    ALL: { description: 'Active and inactive' },
  },
});
