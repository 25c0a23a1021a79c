/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query PlatformOverview {\n  accounts {\n    id\n    name\n    garn\n    kind\n    servers {\n      id\n      name\n      enforcementStatus {\n        applicable\n        stage\n        stageName\n      }\n    }\n    currentBillingPeriod {\n      start\n      end\n      uploadDeadline\n    }\n  }\n}\n\nmutation CreateAccount($input: CreateAccountInput!) {\n  createAccount(input: $input) {\n    id\n    name\n    garn\n    kind\n  }\n}\n\nmutation RegisterServer($input: RegisterServerInput!) {\n  registerServer(input: $input) {\n    id\n    name\n  }\n}": typeof types.PlatformOverviewDocument,
};
const documents: Documents = {
    "query PlatformOverview {\n  accounts {\n    id\n    name\n    garn\n    kind\n    servers {\n      id\n      name\n      enforcementStatus {\n        applicable\n        stage\n        stageName\n      }\n    }\n    currentBillingPeriod {\n      start\n      end\n      uploadDeadline\n    }\n  }\n}\n\nmutation CreateAccount($input: CreateAccountInput!) {\n  createAccount(input: $input) {\n    id\n    name\n    garn\n    kind\n  }\n}\n\nmutation RegisterServer($input: RegisterServerInput!) {\n  registerServer(input: $input) {\n    id\n    name\n  }\n}": types.PlatformOverviewDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PlatformOverview {\n  accounts {\n    id\n    name\n    garn\n    kind\n    servers {\n      id\n      name\n      enforcementStatus {\n        applicable\n        stage\n        stageName\n      }\n    }\n    currentBillingPeriod {\n      start\n      end\n      uploadDeadline\n    }\n  }\n}\n\nmutation CreateAccount($input: CreateAccountInput!) {\n  createAccount(input: $input) {\n    id\n    name\n    garn\n    kind\n  }\n}\n\nmutation RegisterServer($input: RegisterServerInput!) {\n  registerServer(input: $input) {\n    id\n    name\n  }\n}"): (typeof documents)["query PlatformOverview {\n  accounts {\n    id\n    name\n    garn\n    kind\n    servers {\n      id\n      name\n      enforcementStatus {\n        applicable\n        stage\n        stageName\n      }\n    }\n    currentBillingPeriod {\n      start\n      end\n      uploadDeadline\n    }\n  }\n}\n\nmutation CreateAccount($input: CreateAccountInput!) {\n  createAccount(input: $input) {\n    id\n    name\n    garn\n    kind\n  }\n}\n\nmutation RegisterServer($input: RegisterServerInput!) {\n  registerServer(input: $input) {\n    id\n    name\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;