import type { DistrictId } from '../../vocabulary/districts.ts';

/**
 * The 18 districts as a tile map: one equal tile each, laid out roughly as they lie (New Territories at
 * the top, Kowloon in the middle, Hong Kong Island below, Islands to the west), so a supervisor finds a
 * district where they expect it and no district's area outweighs its count. Shared by the HTML report and
 * the console, so both draw the same map.
 */
export const DISTRICT_TILES: Readonly<Record<DistrictId, { col: number; row: number }>> = {
  'yuen-long': { col: 1, row: 0 },
  north: { col: 2, row: 0 },
  'tai-po': { col: 3, row: 0 },
  'tuen-mun': { col: 0, row: 1 },
  'tsuen-wan': { col: 1, row: 1 },
  'sha-tin': { col: 2, row: 1 },
  'sai-kung': { col: 3, row: 1 },
  'kwai-tsing': { col: 1, row: 2 },
  'sham-shui-po': { col: 2, row: 2 },
  'wong-tai-sin': { col: 3, row: 2 },
  'kwun-tong': { col: 4, row: 2 },
  islands: { col: 0, row: 3 },
  'yau-tsim-mong': { col: 2, row: 3 },
  'kowloon-city': { col: 3, row: 3 },
  'central-and-western': { col: 1, row: 4 },
  'wan-chai': { col: 2, row: 4 },
  eastern: { col: 3, row: 4 },
  southern: { col: 2, row: 5 },
};
export const DISTRICT_MAP_GRID = { cols: 5, rows: 6 } as const;

/**
 * Sequential single-hue scale (ColorBrewer Blues), light to dark; a district with no enquiries gets the
 * neutral first colour. Tiles also carry the count as text, so colour is never the only cue.
 */
export const HEAT_COLOURS = ['#f2f2f2', '#deebf7', '#9ecae1', '#4292c6', '#08519c'] as const;
/** Colour levels whose text must be white to keep contrast (the two darkest). */
export const DARK_HEAT_LEVELS = 3;

/** 0 for no enquiries, else 1..4 by the count's share of the busiest district (quarters). */
export function heatLevel(count: number, max: number): number {
  if (!(count > 0) || !(max > 0)) return 0;
  return Math.min(HEAT_COLOURS.length - 1, 1 + Math.floor(((HEAT_COLOURS.length - 1) * count) / (max + 1e-9)));
}
