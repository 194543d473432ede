// The API module: the low-level client (fetch, CSRF, refresh, errors), the types generated from
// the OpenAPI document, the typed endpoints and the TanStack Query keys.
export * from './client';
export * from './types';
export * from './endpoints';
export * from './queryKeys';
