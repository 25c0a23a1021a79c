import { type Context } from '../context.js';
import { type Server } from './server.entity.js';

export async function resolveServerReference(
  reference: { id: string },
  context: Context,
): Promise<Server | null> {
  const server = await context.loaders.server.load(reference.id);
  return context.services.servers.visible(context.principal, server);
}
