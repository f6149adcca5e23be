// Child processes of the harness: each runs in its own process group so stop() takes its
// children with it, output goes to a log file, and a process-exit safety net kills
// whatever a failed test left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';

export interface Managed {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** True while the process has not exited. */
  alive(): boolean;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<string>;
  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
  /** Last `chars` characters of the log, for error messages. */
  logTail(chars?: number): string;
}

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let netInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function installSafetyNet(): void {
  if (netInstalled) return;
  netInstalled = true;
  // 'exit' handlers must be synchronous: SIGKILL the groups, remove the directories.
  process.on('exit', () => {
    for (const child of live) killGroup(child, 'SIGKILL');
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1)));
  }
}

/** Registers a directory to delete at process exit if nobody removed it before. */
export function trackTempDir(dir: string): void {
  installSafetyNet();
  tempDirs.add(dir);
}

export function removeTempDir(dir: string): void {
  tempDirs.delete(dir);
  if (process.env.PGT_E2E_KEEP === '1') {
    process.stderr.write(`PGT_E2E_KEEP=1: kept ${dir}\n`);
    return;
  }
  rmSync(dir, { recursive: true, force: true });
}

export function startProcess(name: string, command: string, args: string[], opts: { logFile: string; env?: NodeJS.ProcessEnv; cwd?: string }): Managed {
  installSafetyNet();
  const fd = openSync(opts.logFile, 'a');
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', fd, fd],
    detached: true, // own process group
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  // A test that forgets stop() must not hang its file: let the process end, the exit hook kills the group.
  child.unref();
  live.add(child);
  let running = true;
  const exited = new Promise<string>((resolve) => {
    const done = (how: string): void => {
      running = false;
      live.delete(child);
      resolve(how);
    };
    child.once('exit', (code, signal) => done(signal ?? `exit code ${code ?? '?'}`));
    child.once('error', (err) => done(`error ${err.message}`));
  });
  const logTail = (chars = 3000): string => {
    try {
      const text = readFileSync(opts.logFile, 'utf8');
      return text.slice(-chars);
    } catch {
      return '';
    }
  };
  const stop = async (graceMs = 5000): Promise<void> => {
    if (!running) return;
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
    // Children that ignored SIGTERM in the group go too.
    killGroup(child, 'SIGKILL');
  };
  return { name, pid: child.pid, logFile: opts.logFile, alive: () => running, exited, stop, logTail };
}

/** Polls `probe` every `intervalMs` until it returns true; fails after `timeoutMs` or when `proc` exits. */
export async function waitFor(what: string, probe: () => Promise<boolean>, opts: { timeoutMs: number; intervalMs?: number; proc?: Managed }): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError = '';
  for (;;) {
    if (opts.proc && !opts.proc.alive()) {
      throw new Error(`${what}: ${opts.proc.name} exited (${await opts.proc.exited}) before it was ready; log tail:\n${opts.proc.logTail()}`);
    }
    try {
      if (await probe()) return;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      const tail = opts.proc ? `; log tail of ${opts.proc.name}:\n${opts.proc.logTail()}` : '';
      throw new Error(`${what}: not ready after ${opts.timeoutMs} ms${lastError ? ` (last error: ${lastError})` : ''}${tail}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}
