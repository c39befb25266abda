/** Loads data for a page; `reload` fetches again (after an action). Stale answers of an earlier key are dropped. */
import { useCallback, useEffect, useState } from 'react';

export type Loaded<T> = { state: 'loading' } | { state: 'error'; message: string; status: number } | { state: 'ready'; data: T };

export function useData<T>(load: () => Promise<T>, key: string): [Loaded<T>, () => void] {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setResult({ state: 'ready', data }),
      (error: unknown) => {
        if (!live) return;
        const e = error as { message?: unknown; status?: unknown };
        setResult({ state: 'error', message: typeof e.message === 'string' ? e.message : 'request failed', status: typeof e.status === 'number' ? e.status : 0 });
      },
    );
    return () => {
      live = false;
    };
    // `load` is a fresh closure on each render; `key` says when it means something else.
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return [result, reload];
}
