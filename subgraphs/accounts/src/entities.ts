import { Account } from './account/account.entity.js';

export const entities = [Account];
