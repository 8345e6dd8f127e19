/**
 * Answers of Vigie's read API on journey analytics (runs, availability, incidents, funnel, volumes,
 * latency, divergence). Times are ISO 8601 strings in UTC; ratios are fractions in [0, 1] (not
 * percentages); `null` means "no data to compute it from", never zero.
 */

/** One page of a list: `?page=1&pageSize=50&sort=field:asc|desc`. Pages start at 1. */
export interface Page<T> {
  items: T[];
  /** Items matching the filters, all pages together. */
  total: number;
  page: number;
  pageSize: number;
}

/** The two accounting methods of availability (see docs/availability.md). */
export type AvailabilityMethod = "traffic" | "time";

/** How a run ended (or not yet). */
export type RunOutcome = "completed" | "failed" | "rejected" | "abandoned" | "in_progress";

/** Confirmed probe state of a journey or step: `unknown` when no recent probe run was judged. */
export type ProbeState = "up" | "down" | "unknown";

/** Summary state of a journey on the board, worst first. */
export type JourneyState = "down" | "degraded" | "under_exposed" | "up" | "no_data";

/** Success rate of real traffic: `ok` and `rejected` step outcomes are good, `error` is bad. */
export interface TrafficAvailability {
  method: "traffic";
  /** good / (good + bad); null when there was no step outcome. */
  ratio: number | null;
  good: number;
  bad: number;
}

/** Time-based availability from confirmed probe state. */
export interface TimeAvailability {
  method: "time";
  /** upSeconds / (upSeconds + downSeconds); null when nothing was measured. */
  ratio: number | null;
  upSeconds: number;
  downSeconds: number;
  /** Time without a judged probe run (before the first, or probes silent for too long). */
  unknownSeconds: number;
  /** Maintenance windows and, when business hours only, time outside them. */
  excludedSeconds: number;
}

/** Both methods side by side, as every report states them. */
export interface AvailabilityPair {
  traffic: TrafficAvailability;
  time: TimeAvailability;
}

// ---------------------------------------------------------------- board

/** Real runs in the last complete hour against the same weekday and hour of past weeks. */
export interface VolumeCheck {
  /** Real runs started in the hour. */
  actual: number;
  /** Median of the same weekday and hour over past weeks; null without history. */
  expected: number | null;
  /** Robust spread (1.4826 × median absolute deviation). */
  spread: number | null;
  underExposed: boolean;
}

/** One journey on the live board (`GET /api/v1/board`). */
export interface BoardJourney {
  key: string;
  name: { fr: string; en: string };
  state: JourneyState;
  /** Why the state is what it is, in plain words (English), e.g. "probe down at identity". */
  reasons: string[];
  probe: { state: ProbeState; since: string | null; failingStep: string | null };
  availability: {
    /** Since local midnight in the board's timezone. */
    today: AvailabilityPair;
    last7Days: AvailabilityPair;
    /** Availability objective of the journey (fraction). */
    objective: number;
  };
  volume: VolumeCheck;
  openIncidents: number;
  /** Real runs started in the last hour, and how many of them completed, failed or were rejected so far. */
  lastHour: { started: number; completed: number; failed: number; rejected: number };
  /** Per step: probe state and real-traffic success rate over the last 15 minutes. */
  steps: {
    key: string;
    probe: ProbeState;
    traffic: TrafficAvailability;
  }[];
}

/** `GET /api/v1/board?tz=` */
export interface Board {
  generatedAt: string;
  timezone: string;
  journeys: BoardJourney[];
}

// ---------------------------------------------------------------- availability

export type Bucket = "hour" | "day" | "week" | "month";

/** Availability of one bucket (local boundaries in the requested timezone). */
export interface AvailabilityBucket {
  /** Start of the bucket (UTC instant of the local boundary). */
  start: string;
  end: string;
  traffic: TrafficAvailability;
  time: TimeAvailability;
}

export interface AvailabilitySeries {
  total: AvailabilityPair;
  buckets: AvailabilityBucket[];
}

/** `GET /api/v1/journeys/:key/availability?from&to&tz&bucket&method` */
export interface JourneyAvailability {
  journey: string;
  from: string;
  to: string;
  timezone: string;
  bucket: Bucket;
  /** Methods computed (both when `method` was not given). */
  methods: AvailabilityMethod[];
  journeyLevel: AvailabilitySeries;
  steps: ({ step: string } & AvailabilitySeries)[];
}

// ---------------------------------------------------------------- funnel

export interface FunnelStep {
  step: string;
  /** Runs that reached the step (had any event at it or at a later step). */
  reached: number;
  /** reached / runs started; null when no run started. */
  conversionFromStart: number | null;
  /** reached / reached at the previous step; null for the first step or no runs. */
  conversionFromPrevious: number | null;
  /** Runs whose furthest step is this one and that did not complete, by why they stopped. */
  dropOff: { technicalFailure: number; businessRejection: number; abandonment: number; inProgress: number };
}

export interface FunnelFigures {
  started: number;
  completed: number;
  /** completed / started; null when none started. */
  conversion: number | null;
  /** Completed runs whose path had a technical error they recovered from. */
  recoveredFailures: number;
  /** Time from first to completing event, estimated from fixed buckets; null when none completed. */
  timeToConvertMs: { p50: number | null; p90: number | null };
  steps: FunnelStep[];
}

/** Attributes a funnel can be broken down by: those the run cohorts keep. */
export type FunnelAttribute = "product" | "channel";

/** `GET /api/v1/journeys/:key/funnel?from&to&tz&by=<attribute>&compare=previous` (real runs started in range). */
export interface Funnel {
  journey: string;
  from: string;
  to: string;
  timezone: string;
  figures: FunnelFigures;
  /** Same figures for the period of the same length just before `from`, when `compare=previous`. */
  previous?: { from: string; to: string; figures: FunnelFigures };
  /** When `by` is given (product or channel): one entry per attribute value ("" when absent). */
  breakdown?: { attribute: FunnelAttribute; groups: { value: string; figures: FunnelFigures }[] };
}

// ---------------------------------------------------------------- volumes

export interface VolumeHour {
  /** Start of the hour (UTC). */
  start: string;
  starts: number;
  completions: number;
  /** Same weekday and local hour over the previous `weeks` weeks. */
  baseline: {
    starts: { median: number | null; spread: number | null; samples: number[] };
    completions: { median: number | null; spread: number | null; samples: number[] };
  };
  underExposed: boolean;
}

/** `GET /api/v1/journeys/:key/volumes?from&to&tz&weeks=4` (real runs only). */
export interface Volumes {
  journey: string;
  from: string;
  to: string;
  timezone: string;
  weeks: number;
  hours: VolumeHour[];
}

// ---------------------------------------------------------------- latency

export interface StepLatency {
  step: string;
  count: number;
  /** Estimated from fixed histogram buckets (upper bound of the bucket holding the quantile). */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** The step's objective, when declared. */
  objectiveMs: number | null;
}

/** `GET /api/v1/journeys/:key/latency?from&to&origin=real|synthetic` */
export interface Latency {
  journey: string;
  from: string;
  to: string;
  origin: "real" | "synthetic";
  steps: StepLatency[];
}

// ---------------------------------------------------------------- divergence

export interface StepDivergence {
  step: string;
  probe: ProbeState;
  /** Real traffic over the recent window: failing when its error rate is above the journey threshold. */
  traffic: "ok" | "failing" | "no_traffic";
  trafficErrorRate: number | null;
  diverges: boolean;
}

/** `GET /api/v1/divergence` (all journeys) and `GET /api/v1/journeys/:key/divergence`. */
export interface JourneyDivergence {
  journey: string;
  probe: ProbeState;
  traffic: "ok" | "failing" | "no_traffic";
  diverges: boolean;
  /** Plain-words explanation, e.g. "probes up while real prospects fail at identity". */
  summary: string | null;
  steps: StepDivergence[];
}

// ---------------------------------------------------------------- incidents

export type IncidentSignal = "probes" | "traffic";

/** `GET /api/v1/incidents` items and `GET /api/v1/incidents/:id`. */
export interface Incident {
  id: number;
  journey: string;
  status: "open" | "closed";
  startedAt: string;
  /** null while open. */
  endedAt: string | null;
  failingStep: string | null;
  topErrorCodes: { code: string; count: number }[];
  runsAffected: number;
  prospectsAffected: number;
  /** Which sources saw it: probes, real traffic, or both. */
  seenBy: IncidentSignal[];
  updatedAt: string;
  /** When Vigie first detected it (the analytics pass that opened it). */
  createdAt: string;
  /** The first acknowledgement; null while nobody acknowledged it. */
  acknowledged: IncidentAcknowledgement | null;
}

/** Who acknowledged an incident, and when. */
export interface IncidentAcknowledgement {
  at: string;
  by: { id: string; name: string } | null;
}

/** `GET /api/v1/incidents?journey&status&seenBy&step&acknowledged&from&to&page&pageSize&sort` (sort: startedAt, endedAt, journey, runsAffected). */
export type IncidentPage = Page<Incident>;

// ---------------------------------------------------------------- runs

export interface RunStepTime {
  step: string;
  firstAt: string;
  lastOutcome: "started" | "ok" | "error" | "rejected";
}

/** `GET /api/v1/runs` items. */
export interface RunSummary {
  journey: string;
  runId: string;
  synthetic: boolean;
  outcome: RunOutcome;
  startedAt: string;
  lastActivityAt: string;
  /** Furthest step reached (journey order). */
  furthestStep: string;
  /** Step where the run failed or was rejected, when it did. */
  stoppedAtStep: string | null;
  errorCode: string | null;
  /** Technical errors seen, including recovered ones. */
  errorCount: number;
  /** An error happened and the run went on past it. */
  recoveredFailure: boolean;
  completedAt: string | null;
  attributes: Record<string, string>;
}

/**
 * `GET /api/v1/runs?journey&outcome&step&errorCode&attribute=name:value&synthetic&from&to&page&pageSize&sort`
 * (sort: startedAt, lastActivityAt, journey, outcome; `from`/`to` filter on startedAt).
 */
export type RunPage = Page<RunSummary>;

/** `GET /api/v1/runs/:journey/:runId`: the run with its events in time order. */
export interface RunDetail extends RunSummary {
  steps: RunStepTime[];
  events: {
    id: string;
    source: string;
    time: string;
    step: string;
    outcome: "started" | "ok" | "error" | "rejected";
    durationMs: number | null;
    errorCode: string | null;
    errorMessage: string | null;
  }[];
}

// ---------------------------------------------------------------- overview

/** One journey over a chosen range: both availabilities and real-run counts. */
export interface OverviewJourney {
  key: string;
  availability: AvailabilityPair;
  /** Real runs started in the range, and those of them completed. */
  started: number;
  completed: number;
}

/** `GET /api/v1/overview?from&to&tz`: every journey over one range (e.g. last 24 h or last 30 days). */
export interface Overview {
  from: string;
  to: string;
  timezone: string;
  journeys: OverviewJourney[];
}
