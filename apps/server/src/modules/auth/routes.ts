import type { FastifyInstance } from "fastify";
import { AppError, NotFoundError } from "../../errors.js";
import { setSessionCookie } from "../sessions/cookie.js";
import type { OidcSignIn } from "./oidc.js";

// Binds a single sign-on attempt to the browser that started it; SameSite=Lax lets it come back
// with the provider's top-level redirect.
const STATE_COOKIE = "vigie_oidc_state";

/** How one signs in (for the sign-in page), and the single sign-on redirects. */
export async function authRoutes(
  app: FastifyInstance,
  opts: { oidc: () => Promise<OidcSignIn | undefined> },
) {
  app.get(
    "/api/v1/auth/methods",
    {
      config: { access: "public" },
      schema: {
        tags: ["sessions"],
        summary: "Sign-in methods offered: password, and single sign-on when configured",
        response: {
          200: {
            type: "object",
            properties: {
              password: { type: "boolean" },
              oidc: {
                type: ["object", "null"],
                properties: { label: { type: "string" }, startUrl: { type: "string" } },
              },
            },
          },
        },
      },
    },
    async () => {
      const oidc = await opts.oidc();
      return {
        password: true,
        oidc: oidc ? { label: oidc.label, startUrl: "/api/v1/auth/oidc/start" } : null,
      };
    },
  );

  app.get(
    "/api/v1/auth/oidc/start",
    {
      config: { access: "public" },
      schema: { tags: ["sessions"], summary: "Start single sign-on: redirects to the OpenID provider" },
    },
    async (request, reply) => {
      const oidc = await opts.oidc();
      if (!oidc) throw new NotFoundError("Single sign-on is not configured.");
      const { url, state } = await oidc.start();
      reply.setCookie(STATE_COOKIE, state, {
        path: "/api/v1/auth/oidc",
        httpOnly: true,
        sameSite: "lax",
        secure: request.protocol === "https",
        maxAge: 600,
      });
      return reply.redirect(url.href, 302);
    },
  );

  app.get(
    "/api/v1/auth/oidc/callback",
    {
      config: { access: "public" },
      schema: {
        tags: ["sessions"],
        summary:
          "Single sign-on callback: opens a session and redirects to the app (or to the sign-in page with an error)",
      },
    },
    async (request, reply) => {
      const oidc = await opts.oidc();
      if (!oidc) throw new NotFoundError("Single sign-on is not configured.");
      const query = request.url.includes("?") ? request.url.slice(request.url.indexOf("?")) : "";
      reply.clearCookie(STATE_COOKIE, { path: "/api/v1/auth/oidc" });
      try {
        const { token } = await oidc.finish({
          query,
          browserState: request.cookies[STATE_COOKIE],
          address: request.ip,
        });
        setSessionCookie(request, reply, token);
        return reply.redirect("/", 302);
      } catch (error) {
        if (!(error instanceof AppError)) request.log.error({ err: error }, "single sign-on failed");
        const code = error instanceof AppError ? error.code : "sso_failed";
        return reply.redirect(`/sign-in?error=${encodeURIComponent(code)}`, 302);
      }
    },
  );
}
