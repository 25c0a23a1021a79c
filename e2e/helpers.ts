import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { type TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { graphqlData } from '@lic/testing';

export { freePort } from '@lic/testing';

export const ROOT = join(__dirname, '..');

export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a real process and waits until its output matches `ready` (or fails with its output). */
export async function startProcess(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 30_000,
): Promise<RunningProcess> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: 'pipe',
  });
  let out = '';
  const append = (chunk: Buffer) => {
    out += chunk.toString();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${args.join(' ')} not ready in ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    const check = () => {
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code} before it was ready:\n${out}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { child, output: () => out, stop };
}

/** Sends a codegen-typed operation: the result type comes from the document. */
export function execute<TResult, TVariables extends Record<string, unknown>>(
  url: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  token: string,
): Promise<TResult> {
  return graphqlData<TResult>(url, print(document), variables, token);
}
