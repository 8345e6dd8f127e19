/**
 * The volume of simulated prospects over time: a pure function of the time and a seed, so that the
 * live traffic, the history backfill and the tests all see the same shape.
 */
import { isoWeekday, wallClockAt } from "@vigie/zoned-time";

/** Relative traffic by local hour (0-23): quiet nights, a morning climb, lunch and evening peaks. */
export const HOUR_FACTORS = [
  0.18, 0.1, 0.06, 0.05, 0.05, 0.08, 0.22, 0.55, 0.95, 1.3, 1.45, 1.55, 1.45, 1.4, 1.5, 1.5, 1.45, 1.4, 1.5,
  1.6, 1.65, 1.4, 0.95, 0.5,
] as const;

/** Relative traffic by local weekday, Monday first: Monday peak, Sunday low. */
export const DAY_FACTORS = [1.35, 1.15, 1.05, 1.0, 0.95, 0.85, 0.65] as const;

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const NORMALISER = mean(HOUR_FACTORS) * mean(DAY_FACTORS);

/** Local weekday (0 = Monday) and hour of an instant in a time zone (daylight saving included). */
export function localWeekdayAndHour(at: Date, timeZone: string): { weekday: number; hour: number } {
  const wall = wallClockAt(at.getTime(), timeZone);
  return { weekday: isoWeekday(wall) - 1, hour: wall.hour };
}

/** Expected prospects per hour at `at`; its mean over a week is `prospectsPerHour`. */
export function expectedProspectsPerHour(at: Date, prospectsPerHour: number, timeZone: string): number {
  const { weekday, hour } = localWeekdayAndHour(at, timeZone);
  return (prospectsPerHour * HOUR_FACTORS[hour]! * DAY_FACTORS[weekday]!) / NORMALISER;
}

/** A small, fast, seeded pseudo-random generator (mulberry32) returning numbers in [0, 1). */
export function seededRandom(...seeds: number[]): () => number {
  let state = 0x9e3779b9;
  for (const seed of seeds) {
    state = Math.imul(state ^ (seed | 0), 0x85ebca6b) ^ Math.imul((seed / 0x1_0000_0000) | 0, 0xc2b2ae35);
    state = (state ^ (state >>> 16)) >>> 0;
  }
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A Poisson-distributed count of mean `lambda`, drawn from `random`. */
export function poisson(lambda: number, random: () => number): number {
  if (lambda <= 0) return 0;
  if (lambda > 50) {
    // normal approximation (Box-Muller) where Knuth's product would need too many draws
    const u = Math.max(random(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(lambda + z * Math.sqrt(lambda)));
  }
  const limit = Math.exp(-lambda);
  let count = 0;
  let product = random();
  while (product > limit) {
    count += 1;
    product *= random();
  }
  return count;
}

export const MINUTE_MS = 60_000;

/** One simulated prospect's arrival: its minute and rank in that minute identify it for a seed. */
export interface Arrival {
  /** Minutes since the Unix epoch. */
  minute: number;
  index: number;
  at: Date;
}

/** Options of the arrival process. */
export interface ArrivalOptions {
  prospectsPerHour: number;
  timeZone: string;
  seed: number;
}

/**
 * The prospects arriving during one minute: their number follows the expected rate of that minute,
 * their instants are spread over it. Same minute and seed, same arrivals.
 */
export function arrivalsInMinute(minute: number, options: ArrivalOptions): Arrival[] {
  const start = minute * MINUTE_MS;
  const rate = expectedProspectsPerHour(
    new Date(start + MINUTE_MS / 2),
    options.prospectsPerHour,
    options.timeZone,
  );
  const random = seededRandom(options.seed, minute);
  const count = poisson(rate / 60, random);
  const offsets = Array.from({ length: count }, () => Math.floor(random() * MINUTE_MS)).sort((a, b) => a - b);
  return offsets.map((offset, index) => ({ minute, index, at: new Date(start + offset) }));
}

/** Every arrival in [from, to), minute by minute. */
export function* arrivalsBetween(from: Date, to: Date, options: ArrivalOptions): Generator<Arrival> {
  const first = Math.floor(from.getTime() / MINUTE_MS);
  const last = Math.ceil(to.getTime() / MINUTE_MS);
  for (let minute = first; minute < last; minute += 1) {
    for (const arrival of arrivalsInMinute(minute, options)) {
      if (arrival.at >= from && arrival.at < to) yield arrival;
    }
  }
}
