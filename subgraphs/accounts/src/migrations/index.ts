import { Accounts1700000000100 } from './1700000000100-Accounts.js';
import { Orders1700000000110 } from './1700000000110-Orders.js';
import { PartCatalog1700000000111 } from './1700000000111-PartCatalog.js';
import { SchemaSpelling1700000000112 } from './1700000000112-SchemaSpelling.js';
import { FileRevision1765000001100 } from './1765000001100-FileRevision.js';
import { ApiKeys1765000001700 } from './1765000001700-ApiKeys.js';
import { Webhooks1765000017000 } from './1765000017000-Webhooks.js';
import { ExpiryWarning1765000017100 } from './1765000017100-ExpiryWarning.js';
import { AuditLog1765100001700 } from './1765100001700-AuditLog.js';

/** In order; never edit one that has shipped: add another. */
export const migrations = [
  Accounts1700000000100,
  Orders1700000000110,
  PartCatalog1700000000111,
  SchemaSpelling1700000000112,
  FileRevision1765000001100,
  ApiKeys1765000001700,
  Webhooks1765000017000,
  ExpiryWarning1765000017100,
  AuditLog1765100001700,
];
