/**
 * Ports: the small async verbs the use cases need from the outside world.
 * Adapters implement them (src/files, src/store, src/engines, …); src/app wires them.
 */

/** Random-access bytes of one artifact (a file on disk, a container member in memory, a blob). */
export interface ByteSource {
  readonly size: number;
  /** Reads up to `buffer.length` bytes at `position`; resolves to the number of bytes read (0 at end). */
  read(buffer: Uint8Array, position: number): Promise<number>;
}

/** Reports progress of long work; the CLI draws a bar on a TTY and nothing when piped. */
export interface ProgressSink {
  start(total: number, label: string): void;
  tick(detail: string): void;
  stop(): void;
}
