// Types of gen-api.mjs, for src/api-types.test.ts.

/** The text of src/api-types.ts for the OpenAPI document at `spec` (default: openapi.json). */
export function generateApiTypes(spec?: URL): Promise<string>;
