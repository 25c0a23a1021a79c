import { type AddressInfo } from 'node:net';
import { serveBareProxy } from './bare-proxy.js';

// Started by startBareProxy: argv[2] is the upstream URL; the chosen port goes back over IPC.
void serveBareProxy(process.argv[2]!).then((server) => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
