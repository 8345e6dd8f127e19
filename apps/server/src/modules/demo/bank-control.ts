import { type Fault, type FaultRequest, InvalidFaultError, parseFaultRequest } from "@vigie/demo-bank";
import { DemoBankUnavailableError, NotFoundError, ValidationError } from "../../errors.js";

/** Fault control of a demo bank, through its admin API (the bank may run in this process or elsewhere). */
export interface BankControl {
  readonly url: string;
  inject(request: FaultRequest): Promise<Fault>;
  list(): Promise<Fault[]>;
  lift(id: string): Promise<void>;
  clear(): Promise<number>;
}

/** Talks to the demo bank's admin API at `url`. */
export function createBankControl(options: {
  url: string;
  adminToken?: string;
  fetch?: typeof fetch;
}): BankControl {
  const doFetch = options.fetch ?? fetch;
  const call = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.adminToken) headers.authorization = `Bearer ${options.adminToken}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await doFetch(`${options.url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
    } catch (error) {
      throw new DemoBankUnavailableError(
        `The demo bank at ${options.url} cannot be reached (${(error as Error).message}).`,
      );
    }
    const json = response.status === 204 ? {} : await response.json().catch(() => ({}));
    if (response.status === 404)
      throw new NotFoundError(String((json as { detail?: string }).detail ?? "Not found."));
    if (response.status >= 400) {
      throw new DemoBankUnavailableError(`The demo bank answered ${response.status} to ${method} ${path}.`);
    }
    return json as Record<string, unknown>;
  };
  return {
    url: options.url,
    async inject(request) {
      try {
        parseFaultRequest(request); // refused here with a clear problem rather than by the bank
      } catch (error) {
        if (error instanceof InvalidFaultError) {
          throw new ValidationError(`Invalid fault: ${error.message}`, [
            { index: 0, field: error.field, reason: error.message },
          ]);
        }
        throw error;
      }
      return (await call("POST", "/admin/faults", request)) as unknown as Fault;
    },
    async list() {
      return ((await call("GET", "/admin/faults")).faults ?? []) as Fault[];
    },
    async lift(id) {
      await call("DELETE", `/admin/faults/${encodeURIComponent(id)}`);
    },
    async clear() {
      return Number((await call("DELETE", "/admin/faults")).lifted ?? 0);
    },
  };
}
