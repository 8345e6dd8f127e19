import { ROLES } from "../../access.js";

/** JSON Schema of a user in API answers. */
export const userSchema = {
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    username: { type: "string" },
    displayName: { type: "string" },
    role: { type: "string", enum: [...ROLES] },
    disabled: { type: "boolean" },
    totpEnabled: { type: "boolean" },
    mustChangePassword: { type: "boolean" },
    hasPassword: { type: "boolean" },
    singleSignOn: { type: "boolean" },
    createdAt: { type: "string", format: "date-time" },
  },
  required: ["id", "username", "displayName", "role", "disabled", "totpEnabled"],
} as const;

export const roleSchema = { type: "string", enum: [...ROLES] } as const;

export const idParams = {
  type: "object",
  properties: { id: { type: "string", maxLength: 64 } },
  required: ["id"],
} as const;
