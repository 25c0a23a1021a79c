import type DataLoader from 'dataloader';
import { loaderByGroup, loaderById } from '../loader-helpers.js';
import {
  type ActivationFileRequest,
  type ActivationFileRequestAttachment,
  type ActivationFileRequestMessage,
} from './request.entity.js';
import { type ActivationFileRequestService } from './request.service.js';

export interface RequestLoaders {
  request: DataLoader<string, ActivationFileRequest | null>;
  messagesByRequest: DataLoader<string, ActivationFileRequestMessage[]>;
  attachmentsByRequest: DataLoader<string, ActivationFileRequestAttachment[]>;
}

export function createRequestLoaders(service: ActivationFileRequestService): RequestLoaders {
  return {
    request: loaderById(
      (ids) => service.byIds(ids),
      (r) => r.id,
    ),
    messagesByRequest: loaderByGroup(
      (ids) => service.messagesByRequestIds(ids),
      (m) => [m.requestId],
    ),
    attachmentsByRequest: loaderByGroup(
      (ids) => service.attachmentsByRequestIds(ids),
      (a) => [a.requestId],
    ),
  };
}
