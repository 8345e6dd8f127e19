export { createDemoBank, type DemoBank, type DemoBankOptions } from "./bank.js";
export {
  FAULT_KINDS,
  type Fault,
  type FaultKind,
  type FaultRequest,
  InvalidFaultError,
  parseFaultRequest,
} from "./faults.js";
export {
  DEMO_JOURNEY,
  DEMO_SOURCE,
  OFFERS,
  type OfferKey,
  REJECTION_CODES,
  STEP_KEYS,
  STEPS,
  type StepKey,
  stepPath,
} from "./journey.js";
export type { ProspectRecord } from "./prospects.js";
