import { Worker } from 'node:worker_threads';
import { UsageError } from '../format/errors.js';
import { sha256Of } from '../servers/app.js';
import { readUserFile } from './user-file.js';

/** What the runner records of a user app. */
export interface AppInfo {
  /** Absolute path of the module. */
  file: string;
  sha256: string;
  /** How the tool serves it: a node:http server around a listener, or fastify around a plugin. */
  kind: 'http' | 'fastify';
}

/** How long loading the app and its trial request may take. */
export const APP_TRIAL_MS = 5000;
const TRIAL_THREAD = new URL('./user-app-trial.js', import.meta.url);

const bad = (file: string, why: string): UsageError => new UsageError(`invalid --app '${file}': ${why}`);

/** Read, load and try the app in `file`; one line (UsageError) naming what is wrong. */
export async function loadApp(file: string, timeoutMs = APP_TRIAL_MS): Promise<AppInfo> {
  const { abs, bytes } = readUserFile(file, (why) => bad(file, why));
  const answer = await new Promise<{ kind: 'http' | 'fastify'; status: number } | { error: string }>((resolve) => {
    const thread = new Worker(TRIAL_THREAD, { workerData: { file: abs }, stdout: true, stderr: true });
    const timer = setTimeout(() => {
      void thread.terminate();
      resolve({ error: `it did not load and answer a trial GET / within ${timeoutMs / 1000} s (an app that never answers?)` });
    }, timeoutMs);
    thread.once('message', (m) => {
      clearTimeout(timer);
      void thread.terminate();
      resolve(m);
    });
    thread.once('error', (err) => {
      clearTimeout(timer);
      resolve({ error: `it crashed its trial: ${err.message.split('\n')[0]}` });
    });
  });
  if ('error' in answer) throw bad(file, answer.error);
  return { file: abs, sha256: sha256Of(bytes), kind: answer.kind };
}
