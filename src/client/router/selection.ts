// Which deployment gets the next attempt (issue 14), as a pure function: priority first (lower
// first), then within the best priority a strategy: weighted random (`priority`, the default),
// the fewest in flight (`least-busy`, ties by weight), or a weighted rotation (`round-robin`,
// nginx's smooth weighted round-robin). Deployments cooling down are skipped; when all are, the
// caller learns which one is available soonest and when.

/** How a router spreads calls within one priority. */
export type RoutingStrategy = "priority" | "least-busy" | "round-robin";

/** The known strategies. */
export const ROUTING_STRATEGIES: readonly RoutingStrategy[] = Object.freeze([
  "priority",
  "least-busy",
  "round-robin",
]);

/** What selection reads of a deployment. */
export interface Candidate {
  readonly priority: number;
  /** A positive number; a deployment of weight 2 gets twice the calls of one of weight 1. */
  readonly weight: number;
  readonly inFlight: number;
  /** Epoch milliseconds until which it cools down (0 or past: available). */
  readonly coolingUntilMs: number;
  /** The smooth round-robin's running weight (mutated by `choose` for `round-robin`). */
  rotation: number;
}

export type Choice =
  | { readonly available: true; readonly index: number }
  /** Every candidate cools down: `index` is available first, in `waitMs`. */
  | { readonly available: false; readonly index: number; readonly waitMs: number };

/** Picks among `candidates` (at least one). `random` is in [0, 1). */
export function choose(
  candidates: readonly Candidate[],
  strategy: RoutingStrategy,
  nowMs: number,
  random: number,
): Choice {
  let best = Infinity;
  for (const c of candidates) if (c.coolingUntilMs <= nowMs && c.priority < best) best = c.priority;
  if (best === Infinity) {
    let soonest = 0;
    candidates.forEach((c, i) => {
      const s = candidates[soonest];
      if (
        c.coolingUntilMs < s.coolingUntilMs ||
        (c.coolingUntilMs === s.coolingUntilMs && c.priority < s.priority)
      )
        soonest = i;
    });
    return { available: false, index: soonest, waitMs: candidates[soonest].coolingUntilMs - nowMs };
  }
  const tier: number[] = [];
  candidates.forEach((c, i) => {
    if (c.coolingUntilMs <= nowMs && c.priority === best) tier.push(i);
  });
  if (tier.length === 1) return { available: true, index: tier[0] };
  switch (strategy) {
    case "least-busy": {
      const fewest = Math.min(...tier.map((i) => candidates[i].inFlight));
      const idle = tier.filter((i) => candidates[i].inFlight === fewest);
      return { available: true, index: weightedPick(candidates, idle, random) };
    }
    case "round-robin":
      return { available: true, index: rotate(candidates, tier) };
    default:
      return { available: true, index: weightedPick(candidates, tier, random) };
  }
}

function weightedPick(candidates: readonly Candidate[], among: readonly number[], random: number): number {
  let total = 0;
  for (const i of among) total += candidates[i].weight;
  let point = random * total;
  for (const i of among) {
    point -= candidates[i].weight;
    if (point < 0) return i;
  }
  return among[among.length - 1];
}

/**
 * Smooth weighted round-robin: each turn every candidate gains its weight, the richest is chosen
 * and pays the total. Weights 5, 1, 1 give a a b a c a a, not a a a a a b c.
 */
function rotate(candidates: readonly Candidate[], among: readonly number[]): number {
  let total = 0;
  let chosen = among[0];
  for (const i of among) {
    const c = candidates[i];
    c.rotation += c.weight;
    total += c.weight;
    if (c.rotation > candidates[chosen].rotation) chosen = i;
  }
  candidates[chosen].rotation -= total;
  return chosen;
}
