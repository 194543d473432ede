import { describe, expect, it } from 'vitest';
import { auditQuery, type Application } from './api';
import { parseTags, type AppFormValues } from './components/AppForm';
import { createBody } from './pages/add/AddApplication';
import { updateBody } from './pages/EditApplication';
import { matches } from './pages/vault/Vault';
import { changedOnly } from './pages/admin/Settings';
import { localToRfc3339 } from './pages/admin/Audit';
import { isLocked } from './pages/admin/Users';
import { browserName } from './pages/profile/Sessions';

const app: Application = {
  id: '1', issuer: 'GitHub', label: 'alice', otp_type: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, tags: ['work', 'code'], favorite: false,
  position: 0, notes: null, url: null, icon: null, color: null, trashed_at: null, created_at: '', updated_at: '',
};
const values = (over: Partial<AppFormValues> = {}): AppFormValues => ({
  issuer: 'GitHub', label: 'alice', otp_type: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, tags: ['work', 'code'], favorite: false, notes: '', icon: '', color: '', ...over,
});

describe('forms', () => {
  it('parses tags without repeats', () => expect(parseTags('work, #Mail  work mail,,')).toEqual(['work', 'Mail']));
  it('create bodies carry only what was given', () => {
    expect(createBody(values({ secret: 'JBSWY3DP' }))).toEqual({ issuer: 'GitHub', label: 'alice', secret: 'JBSWY3DP', otp_type: 'totp', algorithm: 'SHA1', digits: 6, period: 30, tags: ['work', 'code'], favorite: false });
    expect(createBody(values({ otp_type: 'hotp', counter: 5 }))).not.toHaveProperty('period');
  });
  it('update bodies carry only the changes', () => {
    expect(updateBody(app, values())).toEqual({});
    expect(updateBody(app, values({ label: 'bob', tags: ['work'], favorite: true }))).toEqual({ label: 'bob', tags: ['work'], favorite: true });
    expect(updateBody({ ...app, notes: 'old' }, values({ notes: '' }))).toEqual({ notes: '' });
    expect(updateBody(app, values({ secret: 'NEWSECRET' }))).toEqual({ secret: 'NEWSECRET' });
  });
  it('search matches issuer, label and tags', () => {
    expect(matches(app, 'git')).toBe(true);
    expect(matches(app, 'ALICE')).toBe(true);
    expect(matches(app, 'work')).toBe(true);
    expect(matches(app, 'gitlab')).toBe(false);
    expect(matches(app, '  ')).toBe(true);
  });
  it('settings patches only send changed policies', () => {
    const current = { lockout: { max_failures: 5, window_minutes: 15, lock_minutes: 15 }, code_access_auditing: false };
    expect(changedOnly({ lockout: { max_failures: 5, window_minutes: 15, lock_minutes: 15 }, code_access_auditing: true }, current)).toEqual({ code_access_auditing: true });
  });
  it('audit queries leave out empty filters', () => {
    expect(auditQuery({ actor: 'u1', event_type: '', outcome: 'failure' }, 120, 25)).toBe('actor=u1&outcome=failure&before=120&limit=25');
    expect(auditQuery({})).toBe('limit=50');
    expect(localToRfc3339('')).toBeUndefined();
    expect(localToRfc3339('2026-01-02T03:04')).toMatch(/^2026-01-0\dT\d\d:04:00\.000Z$/);
  });
  it('locks are in force only until their time', () => {
    expect(isLocked({ locked_until: '2026-01-01T00:10:00Z' }, Date.parse('2026-01-01T00:00:00Z'))).toBe(true);
    expect(isLocked({ locked_until: '2026-01-01T00:10:00Z' }, Date.parse('2026-01-01T00:11:00Z'))).toBe(false);
    expect(isLocked({ locked_until: null })).toBe(false);
  });
  it('names browsers from user agents', () => {
    expect(browserName('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36')).toBe('Chrome on Linux');
    expect(browserName('curl/8.0')).toBe('curl/8.0');
    expect(browserName(null)).toBe('Unknown client');
  });
});
