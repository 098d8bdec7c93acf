// The JSON of a streamed answer, parsed as far as it has arrived. Incremental: each piece is
// scanned once (the scanner keeps its state between pieces), and the partial value is the prefix
// cut at the last place where it can be closed, closed, and read by the runtime's JSON.parse. A
// benchmark (bench/structured.bench.ts) chose this over partial-json, which re-parses the whole
// text in JavaScript at every update: 20 KB in 4-character updates took it seconds.
//
// What a partial value shows: unfinished strings (as far as they go, an unfinished escape left
// out), arrays and objects; a member whose key is unfinished or whose value has not started is
// left out; a number or a `true`/`false`/`null` shows only once whole (a partial `33` of `330`
// would be a wrong value, not an unfinished one).

interface Frame {
  readonly object: boolean;
  /** Where the text can be cut and this container closed: after its last whole member. */
  safe: number;
  expect: "key" | "colon" | "value" | "comma";
  /** Whether a member has started: `{}` and `[]` close only when empty or after a whole member. */
  started: boolean;
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const LITERALS = new Set(["true", "false", "null"]);

export class PartialJson {
  #text = "";
  #stack: Frame[] = [];
  /** A string being read: whether it is a key, and where an unfinished escape starts (-1: none). */
  #string: { key: boolean; escape: number; hex: number } | undefined;
  /** A number or literal being read, from `start`. */
  #token: { number: boolean; start: number } | undefined;
  #rootStarted = false;
  /** The end of the root value once whole; -1 before. */
  #rootEnd = -1;
  #broken = false;

  /** The text so far. */
  get text(): string {
    return this.#text;
  }

  /** False once the text cannot be JSON, whatever comes next. */
  get valid(): boolean {
    return !this.#broken;
  }

  /** Adds the next piece of the text. */
  push(piece: string): void {
    const start = this.#text.length;
    this.#text += piece;
    for (let i = start; i < this.#text.length && !this.#broken; i++) this.#scan(i);
  }

  /**
   * The text so far made whole (cut where it can be, then closed), or `undefined` when nothing is
   * there to show yet (or the text cannot be JSON). `JSON.parse` of it is the partial value.
   */
  completed(): string | undefined {
    if (this.#broken) return undefined;
    const text = this.#text;
    const string = this.#string;
    if (this.#stack.length === 0) {
      if (this.#rootEnd >= 0) return text.slice(0, this.#rootEnd);
      if (string !== undefined) return `${text.slice(0, string.escape >= 0 ? string.escape : text.length)}"`;
      return undefined;
    }
    let closers = "";
    for (let i = this.#stack.length - 1; i >= 0; i--) closers += this.#stack[i].object ? "}" : "]";
    if (string !== undefined && !string.key) {
      return `${text.slice(0, string.escape >= 0 ? string.escape : text.length)}"${closers}`;
    }
    return text.slice(0, this.#stack[this.#stack.length - 1].safe) + closers;
  }

  /** The partial value, or `undefined`. */
  value(): unknown {
    const completed = this.completed();
    return completed === undefined ? undefined : JSON.parse(completed);
  }

  #scan(i: number): void {
    const c = this.#text[i];
    const string = this.#string;
    if (string !== undefined) {
      if (string.hex > 0) {
        if (!/[0-9a-fA-F]/.test(c)) return this.#break();
        if (--string.hex === 0) string.escape = -1;
      } else if (string.escape >= 0) {
        if (c === "u") string.hex = 4;
        else if ('"\\/bfnrt'.includes(c)) string.escape = -1;
        else this.#break();
      } else if (c === "\\") {
        string.escape = i;
      } else if (c === '"') {
        this.#string = undefined;
        if (string.key) this.#top()!.expect = "colon";
        else this.#valueEnd(i + 1);
      }
      return;
    }
    const token = this.#token;
    if (token !== undefined && !token.number && /[a-z]/.test(c)) {
      // A literal is whole as soon as its last letter is read.
      const word = this.#text.slice(token.start, i + 1);
      if (LITERALS.has(word)) {
        this.#token = undefined;
        this.#valueEnd(i + 1);
      } else if (word.length >= 5) this.#break();
      return;
    }
    if (token !== undefined) {
      if (token.number && /[0-9+\-.eE]/.test(c)) return;
      const word = this.#text.slice(token.start, i);
      this.#token = undefined;
      if (token.number ? !NUMBER.test(word) : !LITERALS.has(word)) return this.#break();
      this.#valueEnd(i);
    }
    if (c === " " || c === "\n" || c === "\r" || c === "\t") return;
    const top = this.#top();
    const atValue = top === undefined ? !this.#rootStarted : top.expect === "value";
    if (
      atValue &&
      (c === "{" || c === "[" || c === '"' || c === "-" || (c >= "0" && c <= "9") || /[tfn]/.test(c))
    ) {
      if (top === undefined) this.#rootStarted = true;
      if (top !== undefined) top.started = true;
      if (c === "{" || c === "[")
        this.#stack.push({
          object: c === "{",
          safe: i + 1,
          expect: c === "{" ? "key" : "value",
          started: false,
        });
      else if (c === '"') this.#string = { key: false, escape: -1, hex: 0 };
      else this.#token = { number: !/[tfn]/.test(c), start: i };
      return;
    }
    if (top === undefined) return this.#break();
    if (c === '"' && top.object && top.expect === "key") {
      top.started = true;
      this.#string = { key: true, escape: -1, hex: 0 };
    } else if (c === ":" && top.expect === "colon") top.expect = "value";
    else if (c === "," && top.expect === "comma") top.expect = top.object ? "key" : "value";
    else if (c === (top.object ? "}" : "]") && (top.expect === "comma" || !top.started)) {
      this.#stack.pop();
      this.#valueEnd(i + 1);
    } else this.#break();
  }

  #top(): Frame | undefined {
    return this.#stack[this.#stack.length - 1];
  }

  #valueEnd(end: number): void {
    const top = this.#top();
    if (top === undefined) {
      this.#rootEnd = end;
      return;
    }
    top.safe = end;
    top.expect = "comma";
  }

  #break(): void {
    this.#broken = true;
  }
}
