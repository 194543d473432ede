// Generates src/api-types.ts (the UI's API types) from openapi.json, the server's OpenAPI document.
// `npm run gen:api` writes the file; src/api-types.test.ts calls generateApiTypes() to check
// that the committed file is what this would write.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const SPEC = new URL('./openapi.json', import.meta.url);
const OUT = new URL('./src/api-types.ts', import.meta.url);

const HEADER = `// Generated from frontend/openapi.json by openapi-typescript: do not edit by hand.
// To regenerate after the document changes: \`cd frontend && npm run gen:api\`.
// src/api-types.test.ts fails while this file is stale.

`;

/** The text of src/api-types.ts for the document at `spec` (the same input gives the same text). */
export async function generateApiTypes(spec = SPEC) {
  const doc = JSON.parse(await readFile(spec, 'utf8'));
  // An object schema without properties (e.g. AuditEntry.payload) may hold anything: `unknown`
  // values rather than openapi-typescript's default `Record<string, never>`.
  const ast = await openapiTS(doc, { emptyObjectsUnknown: true, silent: true });
  return HEADER + astToString(ast);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(OUT, await generateApiTypes());
  console.log(`wrote ${fileURLToPath(OUT)}`);
}
