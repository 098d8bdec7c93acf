// The stop strings of a plain-text generation (plain-generation.ts): the request's `stop` and the
// chat template's textual end-of-turn markers. Text is released the moment it can no longer be
// the start of a stop string, so a stop string split across tokens is never emitted, and nothing
// is held back longer than it could still turn into one.

/** Holds back the text that may be the start of a stop string; reports the first one found. */
export class StopStringFilter {
  private held = "";
  private readonly longest: number;
  /** Every proper prefix of every stop string: the suffixes of the text worth holding. */
  private readonly prefixes = new Set<string>();
  /** Whether a stop string was found: everything from it on is dropped. */
  stopped = false;

  constructor(private readonly stops: readonly string[]) {
    this.longest = Math.max(0, ...stops.map((stop) => stop.length));
    for (const stop of stops) {
      for (let length = 1; length < stop.length; length++) this.prefixes.add(stop.slice(0, length));
    }
  }

  /** Takes the next piece of text; returns the text now certain to be part of the reply. */
  push(piece: string): string {
    if (this.stopped) return "";
    const text = this.held + piece;
    let cut = -1;
    for (const stop of this.stops) {
      const index = text.indexOf(stop);
      if (index !== -1 && (cut === -1 || index < cut)) cut = index;
    }
    if (cut !== -1) {
      this.stopped = true;
      this.held = "";
      return text.slice(0, cut);
    }
    const keep = this.partialStopLength(text);
    this.held = keep === 0 ? "" : text.slice(text.length - keep);
    return keep === 0 ? text : text.slice(0, text.length - keep);
  }

  /** Ends the text without a stop string: what was held is part of the reply after all. */
  flush(): string {
    const rest = this.held;
    this.held = "";
    return rest;
  }

  /** The length of the longest end of `text` that a stop string starts with. */
  private partialStopLength(text: string): number {
    for (let length = Math.min(text.length, this.longest - 1); length > 0; length--) {
      if (this.prefixes.has(text.slice(text.length - length))) return length;
    }
    return 0;
  }
}

/**
 * Holds back trailing whitespace, which a JSON grammar's reply drops at its end (node-llama-cpp's
 * `trimWhitespaceSuffix`): released only once more text follows it, so what was streamed is
 * exactly the reply.
 */
export class TrailingSpaceFilter {
  private held = "";

  push(text: string): string {
    const all = this.held + text;
    const end = all.trimEnd().length;
    this.held = all.slice(end);
    return all.slice(0, end);
  }
}
