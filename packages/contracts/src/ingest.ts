/** Body of a 2xx answer of `POST /api/v1/events`. */
export interface IngestResult {
  /** Events stored by this request. */
  accepted: number;
  /** Events already stored before (same `source` + `id`), or repeated within the request. */
  duplicates: number;
}

/** One rejected event in a problem answer. */
export interface EventRejection {
  /** Position of the event in the request (0 for a single event). */
  index: number;
  /** Path of the offending field, e.g. `data.step`; empty for the event as a whole. */
  field: string;
  reason: string;
}

/** An RFC 9457 problem body as Vigie sends it. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: EventRejection[];
}
