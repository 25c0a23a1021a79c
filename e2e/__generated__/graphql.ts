/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** A direct customer, or a partner that resells */
export type AccountKind =
  /** An end user of the software */
  | 'CUSTOMER'
  /** A partner that resells to end users (sold-to account of their orders) */
  | 'PARTNER';

/** A new account */
export type CreateAccountInput = {
  /** Genesys Account Reference Number, unique */
  garn: string;
  /** CUSTOMER or PARTNER */
  kind: AccountKind;
  /** The account's name */
  name: string;
};

/** The six stages of virtual-cloud enforcement, 1 to 6 */
export type EnforcementStageName =
  /** Stage 5: call ports are limited */
  | 'CALL_PORTS_LIMITED'
  /** Stage 1: everything works */
  | 'FULLY_FUNCTIONAL'
  /** Stage 3: an obtrusive warning */
  | 'OBTRUSIVE_WARNING'
  /** Stage 4: the supervisor is disabled */
  | 'SUPERVISOR_DISABLED'
  /** Stage 6: the server is unlicensed */
  | 'UNLICENSED'
  /** Stage 2: a warning in the status bar */
  | 'WARNING';

/** A CIC server to register */
export type RegisterServerInput = {
  /** The account the server belongs to */
  accountId: string | number;
  /** PRODUCTION when not given; a development activation file loads only on DEVELOPMENT or TEST */
  environment?: ServerEnvironment | null | undefined;
  /** The install site the server runs at */
  installSiteId: string | number;
  /** The CIC machine name (the name licence files are issued for); unique within the account, ignoring case and surrounding spaces */
  name: string;
  /** The already registered server this one forms a switchover pair with */
  switchoverPartnerId?: string | number | null | undefined;
};

/** PRODUCTION servers refuse development activation files (DEVELOPMENT_* licence types) */
export type ServerEnvironment =
  /** A development server */
  | 'DEVELOPMENT'
  /** A production server */
  | 'PRODUCTION'
  /** A test server */
  | 'TEST';

export type PlatformOverviewQueryVariables = Exact<{ [key: string]: never; }>;


export type PlatformOverviewQuery = { accounts: Array<{ id: string, name: string, garn: string, kind: AccountKind, servers: Array<{ id: string, name: string, enforcementStatus: { applicable: boolean, stage: number, stageName: EnforcementStageName } | null }> | null, currentBillingPeriod: { start: string, end: string, uploadDeadline: string } | null }> };

export type CreateAccountMutationVariables = Exact<{
  input: CreateAccountInput;
}>;


export type CreateAccountMutation = { createAccount: { id: string, name: string, garn: string, kind: AccountKind } };

export type RegisterServerMutationVariables = Exact<{
  input: RegisterServerInput;
}>;


export type RegisterServerMutation = { registerServer: { id: string, name: string } };


export const PlatformOverviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PlatformOverview"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"garn"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"servers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"enforcementStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"applicable"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"stageName"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"currentBillingPeriod"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"uploadDeadline"}}]}}]}}]}}]} as unknown as DocumentNode<PlatformOverviewQuery, PlatformOverviewQueryVariables>;
export const CreateAccountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateAccount"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateAccountInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createAccount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"garn"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}}]}}]} as unknown as DocumentNode<CreateAccountMutation, CreateAccountMutationVariables>;
export const RegisterServerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RegisterServer"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterServerInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"registerServer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<RegisterServerMutation, RegisterServerMutationVariables>;