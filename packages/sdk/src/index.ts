/**
 * @vigie/sdk — emit `vigie.step` CloudEvents from your applications to Vigie.
 *
 * Batched, retried with capped exponential backoff and jitter, bounded in memory (drop-oldest,
 * counted), stable event ids (a retried send is never counted twice), flushed on shutdown, and it
 * never throws into your application.
 */
export { createVigieClient, type VigieClient } from "./client.js";
export type {
  ClientStats,
  OutcomeOptions,
  ProspectDetails,
  RunHandle,
  RunOptions,
  StepCloudEvent,
  StepEventData,
  StepHandle,
  StepOutcome,
  VigieClientOptions,
  VigieSdkError,
} from "./types.js";
