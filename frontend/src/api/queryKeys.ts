// Every TanStack Query key of the UI, in one place. Keys are prefixes of one another on purpose:
// invalidating `queryKeys.applications.all` refetches the vault and the trash alike.
import type { AuditFilters } from './types';

export const queryKeys = {
  applications: {
    /** Both lists: what a change to any application invalidates. */
    all: ['applications'] as const,
    /** The vault (`trash` false) or the trash. */
    list: (trash: boolean) => ['applications', trash ? 'trash' : 'active'] as const,
  },
  /** One application, for the edit page. */
  application: (id: string) => ['application', id] as const,
  /** The caller's second factors and what the two-factor policy asks of them. */
  secondFactors: ['second-factors'] as const,
  /** The caller's sessions. */
  sessions: ['sessions'] as const,
  /** The caller's own activity (pages). */
  activity: ['activity'] as const,
  users: {
    /** Every user search: what a change to any user invalidates. */
    all: ['admin-users'] as const,
    /** The users matching a search text ('' for all). */
    list: (q: string) => ['admin-users', q] as const,
  },
  /** Server settings. */
  settings: ['settings'] as const,
  /** The audit log under some filters (pages). */
  audit: (filters: AuditFilters) => ['audit', filters] as const,
};

/** Keys of mutations that are counted or serialised. */
export const mutationKeys = {
  /** Vault reordering: only the last of several quick moves reloads the list. */
  reorder: ['reorder'] as const,
};
