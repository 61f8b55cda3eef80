/**
 * The article's business question — where should France's goalkeeper kick? — answered from a
 * probability map: the ranked zones (zones.ts) and the coach's sentence (coach-sentence.ts).
 */
import type { UncertaintyMethod } from "../core/mc-dropout.js";
import type { ProbabilityMap, Zone } from "../plot/probability-map.js";
import type { View } from "../plot/view.js";
import { coachSentence } from "./coach-sentence.js";
import { recommendZones, type ZoneOptions } from "./zones.js";

export interface Recommendation {
  method: UncertaintyMethod;
  samples: number;
  threshold: number;
  /** What the per-cell bounds are: e.g. "5th–95th percentile of 100 MC-dropout passes". */
  bounds: string;
  view: View;
  grid: { nx: number; ny: number; cellArea: number };
  zones: Zone[];
  sentence: string;
}

/** Zones and the coach's sentence for a probability map. */
export function recommend(map: ProbabilityMap, options: ZoneOptions = {}): Recommendation {
  const threshold = options.threshold ?? 0.8;
  const zones = recommendZones(map, options);
  const what = map.method === "mc-dropout" ? "MC-dropout passes" : "ensemble members";
  return {
    method: map.method,
    samples: map.samples,
    threshold,
    bounds: `${Math.round(100 * map.lowQuantile)}th–${Math.round(100 * map.highQuantile)}th percentile of ${map.samples} ${what}`,
    view: map.view,
    grid: {
      nx: map.nx,
      ny: map.ny,
      cellArea: ((map.view.xMax - map.view.xMin) / map.nx) * ((map.view.yMax - map.view.yMin) / map.ny),
    },
    zones,
    sentence: coachSentence(zones, map, {
      threshold,
      method: map.method,
      samples: map.samples,
      lowQuantile: map.lowQuantile,
      pitch: options.pitch !== undefined,
    }),
  };
}
