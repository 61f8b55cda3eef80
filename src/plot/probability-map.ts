/**
 * What a kick map draws: a probability map over a grid of cells and the zones found on it.
 * Types only — experiments/zones.ts computes them, plot/kick-map.ts draws them.
 */
import type { Uncertainty } from "../core/mc-dropout.js";
import type { View } from "./view.js";

/** An uncertainty summary sampled at the centres of an nx × ny grid of cells over `view`. */
export interface ProbabilityMap extends Uncertainty {
  readonly view: View;
  readonly nx: number;
  readonly ny: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface Zone {
  /** 1 = best. */
  rank: number;
  /** Grid cells in the zone. */
  cells: number;
  /** Area in data units² (cells × cell area). */
  area: number;
  /** Area in m² when a pitch box was given. */
  areaSquareMetres?: number;
  /** Centroid of the zone's cells (data units); may fall outside a curved zone. */
  centre: Point;
  /**
   * Where to aim: the zone's cell centre farthest from the zone's edge (and from the edge of the
   * map), so that a kick off by up to `clearance` in any direction still lands in the zone.
   */
  target: Point;
  /** Distance from `target` to the zone's edge: metres with a pitch box, else data units. */
  clearance: number;
  /** The win probability at `target`: mean of the passes and the cell's lower/upper bounds. */
  targetProbability: { mean: number; low: number; high: number };
  /** With data: the training examples inside the zone and how many were class 1 (French wins). */
  examples?: { count: number; class1: number };
  /** Bounding box of the zone's cells. */
  boundingBox: View;
  /** Mean over passes of the zone's average win probability. */
  meanProbability: number;
  /** sd(p_t)/√T, the standard error of meanProbability. */
  standardError: number;
  /** 95 % confidence interval of meanProbability (shrinks like 1/√T). */
  interval: { low: number; high: number };
  /** 5th–95th percentile of the zone's average probability across passes (the model's spread). */
  spread: { low: number; high: number };
  /** The smallest per-cell lower bound inside the zone (≥ the threshold by construction). */
  minLowerBound: number;
  /** Ranking score: area × meanProbability. */
  score: number;
  /** Where the target lies on the pitch, in metres, when a pitch box was given. */
  pitch?: PitchPosition;
}

export interface PitchPosition {
  /** Metres from France's goal line (the box's left edge, xMin), along the pitch. */
  fromOwnGoalLine: number;
  /** Metres from the top touchline of the map (yMax). */
  fromTopTouchline: number;
}
