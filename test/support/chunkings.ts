// Ways to cut a byte stream into network reads, shared by the tests and the benchmarks
// (style.md 2.8 item 10): fixed sizes, chosen cut points, every single cut, one byte per read, and
// fast-check arbitraries of random cuts that always include cuts inside multi-byte characters.
import fc from "fast-check";

/** Cuts `bytes` at the given offsets (any order, duplicates and out-of-range ones ignored). */
export function splitAt(bytes: Uint8Array, cuts: Iterable<number>): Uint8Array[] {
  const sorted = [...new Set(cuts)].filter((cut) => cut > 0 && cut < bytes.length).sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const cut of sorted) {
    pieces.push(bytes.slice(start, cut));
    start = cut;
  }
  pieces.push(bytes.slice(start));
  return pieces;
}

/**
 * Pieces of `size` bytes, each in its own ArrayBuffer (as a network read would be), so multi-byte
 * characters get split wherever they fall. `Infinity` gives one piece.
 */
export function fixedSize(bytes: Uint8Array, size: number): Uint8Array[] {
  if (!(size < bytes.length)) return [bytes.slice()];
  const pieces: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += size) pieces.push(bytes.slice(start, start + size));
  return pieces;
}

/** One byte per read. */
export function oneByteReads(bytes: Uint8Array): Uint8Array[] {
  return fixedSize(bytes, 1);
}

/** Every way of cutting `bytes` once: a pair of pieces for each offset from 1 to length − 1. */
export function* everySingleCut(bytes: Uint8Array): Generator<{ cut: number; pieces: Uint8Array[] }> {
  for (let cut = 1; cut < bytes.length; cut++) yield { cut, pieces: [bytes.slice(0, cut), bytes.slice(cut)] };
}

/** Offsets that fall inside a multi-byte UTF-8 character (before a continuation byte). */
export function multiByteCuts(bytes: Uint8Array): number[] {
  const cuts: number[] = [];
  for (let i = 1; i < bytes.length; i++) if ((bytes[i] & 0xc0) === 0x80) cuts.push(i);
  return cuts;
}

/**
 * Random sets of cut points for `bytes`, always including at least one cut inside a multi-byte
 * character when the bytes hold any (quality.md Q2).
 */
export function arbitraryCuts(bytes: Uint8Array, maxCuts = 64): fc.Arbitrary<number[]> {
  const inside = multiByteCuts(bytes);
  const random = fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), {
    maxLength: maxCuts,
  });
  if (inside.length === 0) return random;
  return fc
    .tuple(random, fc.constantFrom(...inside))
    .map(([cuts, multiByte]) => [...cuts, multiByte].sort((a, b) => a - b));
}
