import type { Server } from "node:http";
import Provider from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, startTestApp, type TestApp, testConfig } from "../../../test/harness.js";
import { freePort } from "../../../test/setup-embedded-postgres.js";
import { roleFromClaim } from "./oidc.js";
import { MASK } from "./secrets.js";

/** Groups of the accounts of the local OpenID provider. */
const ACCOUNTS: Record<string, string[]> = {
  "alice.ops": ["staff", "vigie-operators"],
  "bruno.admin": ["vigie-admins", "vigie-operators"],
  "carla.nobody": ["staff"],
};

/** A cookie jar per host, enough to walk the provider's pages like a browser. */
class Browser {
  private cookies = new Map<string, Map<string, string>>();

  cookieFor(url: URL, name: string): string | undefined {
    return this.cookies.get(url.host)?.get(name);
  }

  async request(url: URL, init: { method?: string; form?: Record<string, string> } = {}) {
    const jar = this.cookies.get(url.host) ?? new Map<string, string>();
    this.cookies.set(url.host, jar);
    const response = await fetch(url, {
      method: init.method ?? "GET",
      redirect: "manual",
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
        ...(init.form ? { "content-type": "application/x-www-form-urlencoded", origin: url.origin } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(";");
      const at = (pair as string).indexOf("=");
      const name = (pair as string).slice(0, at);
      const value = (pair as string).slice(at + 1);
      if (value === "" || /expires=Thu, 01 Jan 1970/i.test(header)) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }

  /**
   * Follows redirects and fills the provider's login and consent forms until the browser lands
   * back on Vigie's callback; returns Vigie's final answer to the callback.
   */
  async signInThrough(start: URL, login: string, vigieOrigin: string) {
    let url = start;
    let method = "GET";
    let form: Record<string, string> | undefined;
    for (let hop = 0; hop < 20; hop += 1) {
      const response = await this.request(url, { method, ...(form ? { form } : {}) });
      if (url.origin === vigieOrigin && url.pathname.endsWith("/callback")) return response;
      const location = response.headers.get("location");
      if (location) {
        url = new URL(location, url);
        method = "GET";
        form = undefined;
        await response.body?.cancel();
        continue;
      }
      const html = await response.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="([a-z]+)"/.exec(html)?.[1];
      if (!action || !prompt) throw new Error(`unexpected page at ${url}: ${html.slice(0, 300)}`);
      url = new URL(action, url);
      method = "POST";
      form = prompt === "login" ? { prompt, login, password: "any" } : { prompt };
    }
    throw new Error("too many hops");
  }
}

describe("single sign-on with OpenID Connect", () => {
  let provider: Server;
  let vigie: TestApp;
  let base: string;

  beforeAll(async () => {
    const vigiePort = await freePort();
    const redirectUri = `http://127.0.0.1:${vigiePort}/api/v1/auth/oidc/callback`;
    const providerPort = await freePort();
    const issuer = `http://127.0.0.1:${providerPort}`;
    const oidc = new Provider(issuer, {
      clients: [
        {
          client_id: "vigie",
          client_secret: "vigie-client-secret-0123456789",
          redirect_uris: [redirectUri],
          grant_types: ["authorization_code"],
          response_types: ["code"],
        },
      ],
      claims: { openid: ["sub"], profile: ["name", "preferred_username"], groups: ["groups"] },
      scopes: ["openid", "profile", "groups"],
      async findAccount(_ctx, sub) {
        return {
          accountId: sub,
          async claims() {
            return { sub, name: sub, preferred_username: sub, groups: ACCOUNTS[sub] ?? [] };
          },
        };
      },
    });
    provider = await new Promise<Server>((resolve) => {
      const server = oidc.listen(providerPort, "127.0.0.1", () => resolve(server));
    });
    vigie = await startTestApp(
      testConfig({
        server: { port: vigiePort },
        auth: {
          oidc: {
            issuer,
            clientId: "vigie",
            clientSecret: "vigie-client-secret-0123456789",
            redirectUri,
            scopes: "openid profile groups",
            roleClaim: "groups",
            roleMapping: { "vigie-admins": "admin", "vigie-operators": "operator" },
            allowHttpIssuer: true,
          },
        },
      }),
    );
    await vigie.app.listen({ host: "127.0.0.1", port: vigiePort });
    base = `http://127.0.0.1:${vigiePort}`;
  });
  afterAll(async () => {
    await vigie?.close();
    await new Promise((resolve) => provider?.close(resolve));
  });

  async function signIn(login: string) {
    const browser = new Browser();
    const answer = await browser.signInThrough(new URL("/api/v1/auth/oidc/start", base), login, base);
    const session = browser.cookieFor(new URL(base), "vigie_session");
    return { answer, browser, session };
  }

  it("signs a user in through the local provider with the role mapped from their groups", async () => {
    const { answer, session } = await signIn("alice.ops");
    expect(answer.status).toBe(302);
    expect(answer.headers.get("location")).toBe("/");
    const me = await fetch(`${base}/api/v1/me`, { headers: { cookie: `vigie_session=${session}` } });
    expect(await me.json()).toMatchObject({
      user: { username: "alice.ops", role: "operator", singleSignOn: true },
    });
  });

  it("gives the most powerful role when several groups map", async () => {
    const { session } = await signIn("bruno.admin");
    const me = await fetch(`${base}/api/v1/me`, { headers: { cookie: `vigie_session=${session}` } });
    expect(((await me.json()) as { user: { role: string } }).user.role).toBe("admin");
  });

  it("refuses a user whose groups map to no role", async () => {
    const { answer, session } = await signIn("carla.nobody");
    expect(answer.headers.get("location")).toBe("/sign-in?error=access_denied");
    expect(session).toBeUndefined();
  });

  it("refuses a callback that this browser did not start (login CSRF)", async () => {
    const attacker = new Browser();
    const start = await attacker.request(new URL("/api/v1/auth/oidc/start", base));
    const providerUrl = new URL(start.headers.get("location") as string);
    // The attacker walks the provider, then hands the callback link to a victim's browser.
    let url = providerUrl;
    let answer: Response | undefined;
    const victim = new Browser();
    const walker = attacker as unknown as { request: Browser["request"] };
    for (let hop = 0; hop < 20 && !answer; hop += 1) {
      const response = await walker.request(url);
      const location = response.headers.get("location");
      if (location && new URL(location, url).pathname.endsWith("/callback")) {
        answer = await victim.request(new URL(location, url));
        break;
      }
      if (location) {
        url = new URL(location, url);
        continue;
      }
      const html = await response.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] as string;
      const prompt = /name="prompt" value="([a-z]+)"/.exec(html)?.[1] as string;
      const posted = await walker.request(new URL(action, url), {
        method: "POST",
        form: prompt === "login" ? { prompt, login: "bruno.admin", password: "x" } : { prompt },
      });
      url = new URL(posted.headers.get("location") as string, url);
    }
    expect(answer?.headers.get("location")).toMatch(/^\/sign-in\?error=/);
    expect(victim.cookieFor(new URL(base), "vigie_session")).toBeUndefined();
  });

  it("offers single sign-on on the sign-in page", async () => {
    const methods = await (await fetch(`${base}/api/v1/auth/methods`)).json();
    expect(methods).toMatchObject({ password: true, oidc: { startUrl: "/api/v1/auth/oidc/start" } });
  });

  it("maps a claim to the most powerful role, and none when nothing matches", () => {
    const mapping = { ops: "operator", boss: "admin", sellers: "sales" } as const;
    expect(roleFromClaim(["sellers", "ops"], mapping)).toBe("operator");
    expect(roleFromClaim("boss", mapping)).toBe("admin");
    expect(roleFromClaim(["staff"], mapping)).toBeUndefined();
    expect(roleFromClaim(undefined, mapping)).toBeUndefined();
  });
});

describe("single sign-on settings saved by an admin", () => {
  let vigie: TestApp;
  beforeAll(async () => {
    vigie = await startTestApp();
  });
  afterAll(async () => {
    await vigie?.close();
  });

  const settings = {
    issuer: "https://login.bank.example/realms/staff",
    clientId: "vigie",
    clientSecret: "the-real-client-secret",
    redirectUri: "https://vigie.bank.example/api/v1/auth/oidc/callback",
    roleMapping: { "vigie-admins": "admin" },
  };

  async function save(body: unknown) {
    return vigie.app.inject({
      method: "PUT",
      url: "/api/v1/settings/sso",
      headers: await authHeaders(vigie, "admin"),
      payload: { settings: body },
    });
  }

  it("never shows the client secret, only a mask", async () => {
    const saved = await save(settings);
    expect(saved.statusCode).toBe(200);
    expect(saved.body).not.toContain("the-real-client-secret");
    const shown = await vigie.app.inject({
      method: "GET",
      url: "/api/v1/settings/sso",
      headers: await authHeaders(vigie, "admin"),
    });
    expect(shown.json().settings.clientSecret).toBe(MASK);
  });

  it("keeps the stored secret when the masked value is saved back", async () => {
    await save(settings);
    const shown = (await (await save({ ...settings, clientSecret: MASK, label: "Bank SSO" })).json())
      .settings;
    expect(shown.label).toBe("Bank SSO");
    const { settings: stored } = await vigie.auth.sso.current();
    expect(stored?.clientSecret).toBe("the-real-client-secret");
  });

  it("takes a newly typed secret", async () => {
    await save(settings);
    await save({ ...settings, clientSecret: "a-rotated-secret" });
    expect((await vigie.auth.sso.current()).settings?.clientSecret).toBe("a-rotated-secret");
  });

  it("audits the change by field name, never the secret's value", async () => {
    await save({ ...settings, clientSecret: "another-secret-value" });
    const [entry] = await vigie.auth.audit.list({ action: "config.sso_changed" });
    expect(entry?.details.changed).toContain("clientSecret");
    expect(JSON.stringify(entry)).not.toContain("another-secret-value");
  });
});
