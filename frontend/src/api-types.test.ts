// @vitest-environment node
// src/api-types.ts is generated from ../openapi.json and committed: this fails when it is stale.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateApiTypes } from '../gen-api.mjs';

describe('api-types.ts', () => {
  it('is what openapi-typescript generates from openapi.json', async () => {
    const committed = await readFile(new URL('./api-types.ts', import.meta.url), 'utf8');
    const fresh = await generateApiTypes(new URL('../openapi.json', import.meta.url));
    // Not toBe(fresh): a diff of two long files would bury the one line that says what to do.
    const was = committed.split('\n');
    const now = fresh.split('\n');
    const line = now.findIndex((l, i) => l !== was[i]) + 1 || was.length + 1;
    expect(committed === fresh, `src/api-types.ts is stale (first difference at line ${line}): run \`npm run gen:api\` in frontend/ and commit the result`).toBe(true);
  }, 30_000);
});
