// Calls `onChange` (debounced) when anything changes in the given directories. Watches
// directories, not files: Kubernetes ConfigMap/Secret volumes swap a `..data` symlink,
// which a watch on the file itself never sees. An optional poll covers lost events.
import { watch, type FSWatcher } from 'node:fs';

export interface DebouncedWatchOptions {
  debounceMs?: number;
  /** Also fire every pollMs (0/undefined = no polling). */
  pollMs?: number | undefined;
}

export interface DebouncedWatch {
  close(): void;
}

export function watchDirectories(dirs: Iterable<string>, onChange: () => void, opts: DebouncedWatchOptions = {}): DebouncedWatch {
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const schedule = (): void => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, opts.debounceMs ?? 250);
    timer.unref();
  };
  const watchers: FSWatcher[] = [];
  for (const dir of new Set(dirs)) {
    try {
      const w = watch(dir, { persistent: false }, schedule);
      w.on('error', () => undefined);
      watchers.push(w);
    } catch {
      // Directory missing: the poll (if any) still notices files appearing later.
    }
  }
  const poll = opts.pollMs ? setInterval(schedule, opts.pollMs) : undefined;
  poll?.unref();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      for (const w of watchers) w.close();
    },
  };
}
