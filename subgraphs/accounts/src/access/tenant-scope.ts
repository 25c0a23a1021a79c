/** The shared tenant scope (the accounts subgraph looks `soldTo` up in its own sales orders). */
export { type SoldToLookup, TenantScope } from '@lic/shared';
