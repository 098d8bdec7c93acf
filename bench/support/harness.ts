// The benchmark method of spec/perf-anchors.md: contenders run interleaved in shuffled order each
// round, after warm-up rounds, with gc() before every timed run (node --expose-gc); medians per
// contender, and ratios taken round by round against a reference in the same process.
import { performance } from "node:perf_hooks";

export interface Contender {
  readonly name: string;
  /** One timed run. Return value is ignored; throw to abort the benchmark (correctness checks). */
  run(): unknown | Promise<unknown>;
  /** Untimed preparation before each run (fresh inputs for a run that consumes them). */
  setup?(): void;
}

export interface CompareOptions {
  title: string;
  /** The contender every ratio is taken against. */
  reference: string;
  contenders: readonly Contender[];
  rounds?: number;
  warmupRounds?: number;
}

export interface ContenderResult {
  name: string;
  medianMs: number;
  /** Median over rounds of (this round's time ÷ the reference's time in the same round). */
  ratio: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

export async function compare(options: CompareOptions): Promise<ContenderResult[]> {
  const { contenders, reference, rounds = 10, warmupRounds = 2 } = options;
  if (!contenders.some((c) => c.name === reference)) throw new Error(`No contender named ${reference}.`);
  const times = new Map(contenders.map((c) => [c.name, [] as number[]]));
  for (let round = 0; round < warmupRounds + rounds; round++) {
    for (const contender of shuffled(contenders)) {
      contender.setup?.();
      gc?.();
      const start = performance.now();
      await contender.run();
      const elapsed = performance.now() - start;
      if (round >= warmupRounds) times.get(contender.name)!.push(elapsed);
    }
  }
  const referenceTimes = times.get(reference)!;
  const results = contenders.map((c) => {
    const own = times.get(c.name)!;
    return { name: c.name, medianMs: median(own), ratio: median(own.map((t, i) => t / referenceTimes[i])) };
  });
  printTable(options.title, reference, results);
  return results;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

export function printTable(title: string, reference: string, results: readonly ContenderResult[]): void {
  console.log(`\n## ${title}\n`);
  console.log(`| contender | median ms | ÷ ${reference} |`);
  console.log("| --- | ---: | ---: |");
  for (const r of results) console.log(`| ${r.name} | ${r.medianMs.toFixed(2)} | ${r.ratio.toFixed(3)} |`);
}

/** Prints a target check line and returns whether it was met. */
export function target(label: string, value: number, comparison: "<=" | ">=", limit: number): boolean {
  const met = comparison === "<=" ? value <= limit : value >= limit;
  console.log(`${met ? "MET " : "MISS"} ${label}: ${value.toFixed(3)} (target ${comparison} ${limit})`);
  return met;
}

/** `--smoke` runs every benchmark with tiny sizes, to keep them working without measuring. */
export const smoke = process.argv.includes("--smoke");
