/**
 * The kick map a coach reads: axes in metres from France's goal line, the goal and the keeper's
 * kick point marked, the zone shaded (not just outlined), where the model has no data washed out,
 * and the recommendation written under the map.
 */
import { describe, expect, it } from "vitest";
import { summarizePasses } from "../../src/core/mc-dropout.js";
import { generateDataset } from "../../src/data/generators.js";
import { recommend } from "../../src/experiments/recommend.js";
import { probabilityMap, zoneMembership } from "../../src/experiments/zones.js";
import { plotKickMap } from "../../src/plot/kick-map.js";
import type { ProbabilityMap } from "../../src/plot/probability-map.js";
import { FOOTBALL_VIEW } from "../../src/plot/view.js";
import { parseXml } from "./xml.js";

/** A made-up map from 20 passes: sure wins on the left third of the pitch, losses elsewhere. */
function leftWins(n = 40): ProbabilityMap {
  const T = 20;
  return probabilityMap(
    (X) => {
      const m = X.cols;
      const values = new Float64Array(T * m);
      for (let t = 0; t < T; t++)
        for (let j = 0; j < m; j++) values[t * m + j] = (X.data[j] < -0.37 ? 0.97 : 0.1) + 0.001 * t;
      return summarizePasses({ method: "mc-dropout", samples: T, points: m, values });
    },
    FOOTBALL_VIEW,
    n,
  );
}

describe("the kick map", () => {
  const map = leftWins();
  const data = generateDataset("football");
  const rec = recommend(map, { threshold: 0.8, pitch: FOOTBALL_VIEW, data: data.train });
  const svg = plotKickMap(map, rec.zones, {
    threshold: 0.8,
    membership: zoneMembership(map, rec.zones, 0.8),
    pitch: true,
    metres: true,
    data: data.train,
    classNames: ["other team wins", "French player wins"],
    areaUnit: "m2",
    caption: rec.sentence,
  });

  it("is well-formed, labels its axes in metres and marks France's goal and the kick point", () => {
    expect(parseXml(svg).root).toBe("svg");
    expect(svg).toContain("metres from France&apos;s goal line");
    expect(svg).toContain("metres across the pitch");
    expect(svg).toMatch(/>100</); // a metre tick along the 105 m pitch
    expect(svg).toContain("keeper kicks from here");
    expect(svg).toContain("France&apos;s goal<");
  });

  it("shades the zone and washes out where there is no training data, and says so in the legend", () => {
    expect(svg).toMatch(/<g class="zone-fill"[^>]*>.*?<path d="M\d/s);
    expect(svg).toMatch(/<g class="no-data"/);
    expect(svg).toContain("recommended zone (shaded)");
    expect(svg).toContain("no training data within 8 m");
  });

  it("carries the coach's sentence under the map", () => {
    expect(rec.sentence).toMatch(/^Aim the goalkeeper's kicks/);
    const caption = /<g class="caption"[^>]*>(.*?)<\/g>/s.exec(svg)![1];
    const words = [...caption.matchAll(/>([^<]+)</g)].map((m) => m[1]).join(" ");
    expect(words.replace(/&apos;/g, "'")).toBe(rec.sentence);
  });
});
