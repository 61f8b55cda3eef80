/**
 * The recommendation in words a coach can act on: the best zone's aim point, how often French
 * players win there, and how far a kick may stray.
 */
import type { UncertaintyMethod } from "../core/mc-dropout.js";
import type { PitchPosition, Point, ProbabilityMap, Zone } from "../plot/probability-map.js";
import { bestCell } from "./zones.js";

/** A percentage for a sentence: whole numbers, one decimal from 99 % up, never "100%" below 1. */
function pct(p: number): string {
  if (p < 0.99) return `${Math.round(100 * p)}%`;
  if (p >= 1) return "100%";
  const v = Math.round(1000 * p) / 10;
  return v >= 100 ? ">99.9%" : `${v.toFixed(1)}%`;
}

/** An interval in percent, both ends with one decimal when either needs it. */
function pctRange(lo: number, hi: number): string {
  if (hi < 0.99) return `${pct(lo)}–${pct(hi)}`;
  const one = (p: number) => (p >= 1 ? "100%" : `${(Math.floor(1000 * p) / 10).toFixed(1)}%`);
  return `${one(lo)}–${one(hi)}`;
}

const num = (v: number) => (v < 0 ? `−${Math.abs(v).toFixed(2)}` : v.toFixed(2));

function place(p: Point, position: PitchPosition | undefined): string {
  const at = `(x = ${num(p.x)}, y = ${num(p.y)})`;
  if (!position) return at;
  const { fromOwnGoalLine, fromTopTouchline } = position;
  return `${at}, about ${Math.round(fromOwnGoalLine)} m out from France's goal line and ${Math.round(fromTopTouchline)} m below the top touchline of the map`;
}

export interface SentenceContext {
  threshold: number;
  method: UncertaintyMethod;
  samples: number;
  lowQuantile: number;
  /** With a pitch: distances in metres. */
  pitch?: boolean;
}

/**
 * A plain recommendation a coach can act on, from the ranked zones. With a pitch (the football
 * data) it speaks of kicks, headers and metres; otherwise of class 1 and data units.
 */
export function coachSentence(zones: readonly Zone[], map: ProbabilityMap, ctx: SentenceContext): string {
  const passes =
    ctx.method === "mc-dropout" ? `${ctx.samples} dropout passes` : `${ctx.samples} ensemble members`;
  const sure = 100 - Math.round(100 * ctx.lowQuantile);
  const football = ctx.pitch === true;
  if (zones.length === 0) {
    const b = bestCell(map);
    const what = football
      ? `do French players keep a ${pct(ctx.threshold)} chance of winning the header`
      : `does P(class 1) stay at ${pct(ctx.threshold)} or more`;
    return (
      `No zone qualifies: nowhere ${what} in ${sure}% of the ${passes}. The best spot, ${place(b.point, undefined)}, ` +
      `reaches ${pct(b.mean)} on average but only ${pct(b.low)} in a pessimistic pass — lower the threshold or collect more data.`
    );
  }
  const z1 = zones[0];
  const zoneMean = `${pct(z1.meanProbability)} on average over the zone (95% interval ${pctRange(z1.interval.low, z1.interval.high)})`;
  const atTarget = `${pct(z1.targetProbability.mean)} (at least ${pct(z1.targetProbability.low)} in ${sure}% of the ${passes})`;
  let s: string;
  if (football) {
    s =
      `Aim the goalkeeper's kicks at ${place(z1.target, z1.pitch)}, the middle of zone 1: a French player wins the header there ` +
      `${atTarget.replace(/^(\S+)/, "$1 of the time")}, and a kick that is off by up to ${Math.round(z1.clearance)} m in any direction ` +
      `still lands in the zone, where French players win ${zoneMean}.`;
    if (z1.examples && z1.examples.count > 0) {
      s += ` In the training data, French players won ${z1.examples.class1} of the ${z1.examples.count} headers that fell in this zone.`;
    }
  } else {
    s =
      `Class 1 is most reliable in zone 1, around ${place(z1.target, undefined)}: P(class 1) is ${atTarget} there, ` +
      `and ${zoneMean}; the point lies ${z1.clearance.toFixed(2)} from the zone's edge.`;
    if (z1.examples && z1.examples.count > 0) {
      s += ` ${z1.examples.class1} of the ${z1.examples.count} training examples in the zone are class 1.`;
    }
  }
  if (zones.length > 1) {
    const z2 = zones[1];
    s += ` Second choice: zone 2, around ${place(z2.target, undefined)}, ${pct(z2.meanProbability)} on average.`;
  }
  return s;
}
