import { Server } from './server/server.entity.js';

export const entities = [Server];
