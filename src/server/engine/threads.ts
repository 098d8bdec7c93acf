// llama.cpp's own thread default is catastrophically slow on small machines (S2.3): on two cores
// it ran about 4 tokens/s against 600+ with one thread, as threads fight over the cores.
import { availableParallelism } from "node:os";

/**
 * The default thread count: 1 on a machine of two or fewer logical cores, else the physical
 * cores (`mathCores`, which node-llama-cpp measures once it is loaded).
 */
export function defaultThreadCount(logicalCores: number, mathCores: number | undefined): number {
  if (logicalCores <= 2) return 1;
  return Math.max(1, mathCores ?? Math.floor(logicalCores / 2));
}

/** The logical cores this process may use. */
export function logicalCoreCount(): number {
  return availableParallelism();
}
