// Reloads the policy file when it changes (debounced directory watch); an invalid new
// policy is refused and the one in force kept.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Policy } from '../core/policy/schema.js';
import { watchDirectories } from './debounced-watch.js';
import { parsePolicy } from './policy-file.js';

export type ReloadResult = 'applied' | 'rejected' | 'unchanged';

export interface PolicyWatcherOptions {
  file: string;
  /** Text of the policy currently in force (a reload with the same text is a no-op). */
  initialText: string;
  onApplied(policy: Policy): void;
  onRejected(error: Error): void;
  /** Called after every attempt; for metrics. */
  onResult?(result: ReloadResult): void;
  debounceMs?: number;
  /** Safety net for file systems where watch events get lost (0 = off). */
  pollMs?: number;
}

export interface PolicyWatcher {
  /** Re-reads the file now (tests, SIGHUP). */
  reload(): Promise<ReloadResult>;
  close(): void;
}

export function watchPolicyFile(opts: PolicyWatcherOptions): PolicyWatcher {
  let lastText = opts.initialText;
  let rejectedText: string | undefined;
  let busy: Promise<unknown> = Promise.resolve();

  const attempt = async (): Promise<ReloadResult> => {
    let result: ReloadResult;
    let text: string | undefined;
    try {
      text = await readFile(opts.file, 'utf8');
      // The same broken text is reported once, not on every event or poll.
      if (text === lastText || text === rejectedText) {
        result = 'unchanged';
      } else {
        const policy = parsePolicy(text, opts.file);
        lastText = text;
        rejectedText = undefined;
        opts.onApplied(policy);
        result = 'applied';
      }
    } catch (err) {
      rejectedText = text;
      opts.onRejected(err instanceof Error ? err : new Error(String(err)));
      result = 'rejected';
    }
    opts.onResult?.(result);
    return result;
  };

  // Attempts run one after another so an older read never overwrites a newer policy.
  const reload = (): Promise<ReloadResult> => {
    const next = busy.then(attempt, attempt);
    busy = next.catch(() => undefined);
    return next;
  };

  const watcher = watchDirectories([dirname(opts.file)], () => void reload(), { debounceMs: opts.debounceMs, pollMs: opts.pollMs });

  return {
    reload,
    close: () => watcher.close(),
  };
}
