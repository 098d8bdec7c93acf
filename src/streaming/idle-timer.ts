/**
 * The idle timeout of a stream (protocol.md P5.11), with one timer per stream rather than one per
 * read: a read only notes when it started waiting, and the timer, when it fires, either finds the
 * pending read too old or sleeps for the time that is left. Time spent by the caller between reads
 * does not count: only the service's silence does.
 */

/** setTimeout's largest delay; longer limits are reached in several steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class IdleTimer {
  readonly #limitMs: number;
  readonly #onIdle: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the pending read started (ms since the epoch), or -1 when no read is pending. */
  #waitingSince = -1;
  #stopped = false;

  /** @param limitMs 0 (or anything not a positive finite number) means no limit. */
  constructor(limitMs: number, onIdle: () => void) {
    this.#limitMs = Number.isFinite(limitMs) && limitMs > 0 ? limitMs : 0;
    this.#onIdle = onIdle;
  }

  /** A read starts waiting for bytes. */
  waiting(): void {
    if (this.#limitMs === 0 || this.#stopped) return;
    this.#waitingSince = Date.now();
    if (this.#timer === undefined) this.#arm(this.#limitMs);
  }

  /** The pending read settled: bytes, the end, or an error. */
  settled(): void {
    this.#waitingSince = -1;
  }

  /** For good. */
  stop(): void {
    this.#stopped = true;
    this.#waitingSince = -1;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(this.#fire, Math.min(delayMs, MAX_TIMER_MS));
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    // No read pending: the next one arms the timer again.
    if (this.#stopped || this.#waitingSince < 0) return;
    const silentMs = Date.now() - this.#waitingSince;
    if (silentMs < this.#limitMs) {
      this.#arm(this.#limitMs - silentMs);
      return;
    }
    this.#onIdle();
  };
}
