import { Account } from './account/account.entity.js';
import { ApiKey } from './api-key/api-key.entity.js';
import { AuditEntry } from './audit/audit-entry.entity.js';
import { ActivationFile, ActivationFileItem } from './activation-file/activation-file.entity.js';
import { InstallSite } from './install-site/install-site.entity.js';
import { Part } from './part/part.entity.js';
import {
  ActivationFileRequest,
  ActivationFileRequestAttachment,
  ActivationFileRequestMessage,
} from './request/request.entity.js';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook/webhook.entity.js';
import { Counter, OrderedItem, SalesOrder, SalesOrderLine } from './sales-order/sales-order.entity.js';

export const entities = [
  Account,
  InstallSite,
  Part,
  SalesOrder,
  SalesOrderLine,
  OrderedItem,
  Counter,
  ActivationFile,
  ActivationFileItem,
  ActivationFileRequest,
  ActivationFileRequestMessage,
  ActivationFileRequestAttachment,
  WebhookEndpoint,
  WebhookDelivery,
  WebhookAttempt,
  ApiKey,
  AuditEntry,
];
