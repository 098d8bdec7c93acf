// Graceful shutdown on SIGINT/SIGTERM (S1.9), for the CLI and anyone hosting the server: the
// first signal closes the server (stop accepting, let in-flight work finish within the deadline,
// abort the rest, free the model); a second one aborts in-flight work at once.

/** What the helper needs of a server. */
export interface Closable {
  close(options?: { deadlineMs?: number }): Promise<void>;
}

/** What the helper needs of a process (injectable for tests). */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface CloseOnSignalsOptions {
  /** @default ["SIGINT", "SIGTERM"] */
  signals?: readonly NodeJS.Signals[];
  /** How long in-flight work may finish. @default the server's `shutdownDeadlineMs` */
  deadlineMs?: number;
  /** Told when a signal arrives (e.g. to print "shutting down"). */
  onSignal?: (signal: NodeJS.Signals) => void;
  /** Told when the server has closed, with the error if closing failed. */
  onClosed?: (error?: unknown) => void;
  /** @default process */
  process?: SignalSource;
}

/**
 * Closes `server` gracefully on the first SIGINT or SIGTERM. Returns a function that removes the
 * handlers. While installed, the signals no longer end the process by themselves: `onClosed`
 * decides what happens next (the CLI exits there).
 * @example
 * ```ts
 * closeOnSignals(server, { onClosed: (error) => process.exit(error ? 1 : 0) });
 * ```
 */
export function closeOnSignals(server: Closable, options: CloseOnSignalsOptions = {}): () => void {
  const source = options.process ?? process;
  const signals = options.signals ?? ["SIGINT", "SIGTERM"];
  let received = 0;
  const handler = (signal: NodeJS.Signals) => {
    received++;
    options.onSignal?.(signal);
    if (received > 1) {
      // A second signal means "now": in-flight work is aborted without waiting for the deadline.
      void server.close({ deadlineMs: 0 }).catch(() => undefined);
      return;
    }
    const deadlineMs = options.deadlineMs;
    server.close(deadlineMs === undefined ? {} : { deadlineMs }).then(
      () => options.onClosed?.(),
      (error: unknown) => options.onClosed?.(error),
    );
  };
  const listeners = signals.map((signal) => [signal, () => handler(signal)] as const);
  for (const [signal, listener] of listeners) source.on(signal, listener);
  return () => {
    for (const [signal, listener] of listeners) source.off(signal, listener);
  };
}
