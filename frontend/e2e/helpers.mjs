// Shared by the end-to-end suites: a real `authnode` binary on a fresh embedded (SQLite) store,
// Debian's Chromium driven by playwright-core, the RFC 4226/6238 reference implementation the
// UI's codes are checked against, and small page helpers.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = process.env.AUTHNODE_BIN ?? join(ROOT, 'target', 'debug', 'authnode');
export const OUT = resolve(import.meta.dirname, '..', 'test-output');
export const SHOTS = join(OUT, 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 360, height: 780 };

// RFC 4226 / RFC 6238 test secret ("12345678901234567890"), and SHA-256/512 variants of RFC 6238 Appendix B.
export const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
export const RFC_SECRET_256 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA';
export const ADMIN = { email: 'admin@example.com', username: 'admin', password: 'correct horse battery staple' };
export const BOB = { email: 'bob@example.com', username: 'bob', password: 'bob has a long password' };

/** Decodes RFC 4648 base32. */
export function base32(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of s.replace(/=+$/, '')) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const out = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(out);
}

/** HOTP (RFC 4226 §5.3), the reference the UI's codes are checked against. */
export function hotp(secret, counter, digits = 6, alg = 'sha1') {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const h = createHmac(alg, base32(secret)).update(msg).digest();
  const off = h[h.length - 1] & 0xf;
  const bin = ((h[off] & 0x7f) << 24) | (h[off + 1] << 16) | (h[off + 2] << 8) | h[off + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** TOTP (RFC 6238) at a Unix time in ms. */
export const totp = (secret, ms, { digits = 6, period = 30, alg = 'sha1' } = {}) => hotp(secret, Math.floor(ms / 1000 / period), digits, alg);

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

/** The only hosts the suites may browse or call: this machine's loopback. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost']);

/**
 * Starts `authnode serve` on a free loopback port with a fresh data directory and waits for
 * /healthz. Returns `{ base, port, log(), stop() }`; `stop()` ends the server and removes its data.
 *
 * `publicHost` sets `AUTHNODE_PUBLIC_URL` to `http://<publicHost>:<port>` and makes `base` that
 * origin. Passkeys need it to be `localhost`: browsers refuse IP addresses as WebAuthn relying
 * parties, and the server then answers `passkeys_unavailable`. Without it the server keeps its
 * default public URL (`http://localhost:<port>` on a loopback address) and `base` is
 * `http://127.0.0.1:<port>`.
 */
export async function startServer({ publicHost } = {}) {
  assert.ok(existsSync(BIN), `authnode binary not found at ${BIN}: run cargo build first`);
  assert.ok(publicHost === undefined || LOOPBACK.has(publicHost), `only loopback hosts may be used, not ${publicHost}`);
  mkdirSync(SHOTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'authnode-e2e-'));
  const port = await freePort();
  const base = `http://${publicHost ?? '127.0.0.1'}:${port}`;
  const health = `http://127.0.0.1:${port}/healthz`;
  let serverLog = '';
  const server = spawn(BIN, ['serve'], {
    env: {
      ...process.env,
      AUTHNODE_DATA_DIR: dataDir,
      AUTHNODE_LISTEN: `127.0.0.1:${port}`,
      ...(publicHost ? { AUTHNODE_PUBLIC_URL: base } : {}),
      DATABASE_URL: '',
      AUTHNODE_LOG_FORMAT: 'text',
      RUST_LOG: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', (d) => (serverLog += d));
  server.stderr.on('data', (d) => (serverLog += d));
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(health)).ok) break;
    } catch {
      /* not up yet */
    }
    if (!(i < 200 && server.exitCode === null)) {
      await stop();
      assert.fail(`server did not start:\n${serverLog}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, port, log: () => serverLog, stop };
}

/** Launches headless Chromium; `extraArgs` add flags (the fake camera needs its own browser). */
export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', ...extraArgs],
  });
}

/** A fresh browser profile with clipboard access; every page's console errors are collected in `page.errors`. */
export async function openContext(browser, base, viewport = DESKTOP, options = {}) {
  const ctx = await browser.newContext({ baseURL: base, viewport, reducedMotion: 'reduce', ...options });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    // A refused API call logs a network error in the console; those are expected and asserted elsewhere.
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) page.errors.push(m.text());
  });
  return { ctx, page };
}

/** Saves the current screen at desktop and phone widths. */
export async function shoot(page, name) {
  const size = page.viewportSize();
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(size);
}

export async function signIn(page, who) {
  await page.goto('/');
  await page.getByLabel('Email or username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Vault', exact: true }).waitFor();
}

export const card = (page, issuer) => page.locator('[data-testid="app-card"]', { has: page.locator('.issuer', { hasText: new RegExp(`^${issuer}$`) }) });

/** The issuers of the vault's cards, in order. */
export const order = (page) => page.locator('[data-testid="app-card"] .issuer').allInnerTexts();

/** The code a card shows, checked against the reference at the same moment (retried across a period boundary). */
export async function assertCode(page, issuer, expected) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const t0 = Date.now();
    const el = card(page, issuer).getByTestId('code');
    await el.and(page.locator('[data-code]:not([data-code=""])')).waitFor();
    const shown = await el.getAttribute('data-code');
    const t1 = Date.now();
    const want0 = expected(t0);
    if (want0 === expected(t1)) {
      assert.equal(shown, want0, `${issuer}: shown code`);
      return shown;
    }
  }
  assert.fail('the period boundary kept moving under the test');
}

/**
 * Calls the API with a context's session cookies (and the double-submit CSRF header on unsafe
 * methods, as the UI does). Returns the Playwright APIResponse.
 */
export async function apiCall(ctx, method, path, body) {
  const csrf = (await ctx.cookies()).find((c) => c.name === 'authnode_csrf')?.value ?? '';
  return ctx.request.fetch(`/api/v1${path}`, { method, headers: method === 'GET' ? {} : { 'X-CSRF-Token': csrf }, data: body });
}

/** Signs `who` in through the API with the password alone (an account without a second factor). */
export async function apiSignIn(ctx, who) {
  const res = await ctx.request.post('/api/v1/auth/login', { data: { login: who.username, password: who.password } });
  assert.equal(res.status(), 200, await res.text());
  assert.equal((await res.json()).second_factor_required, undefined, 'a password alone signs in an account without a factor');
}

/** An admin (signed in on `adminCtx`) creates `username` with `password`. */
export async function createUser(adminCtx, username, password) {
  const res = await apiCall(adminCtx, 'POST', '/admin/users', { email: `${username}@example.com`, username, password });
  assert.equal(res.status(), 201, await res.text());
  return { username, password };
}

// ---- Accessibility (axe-core), shared by the suites ----

const AXE = createRequire(import.meta.url).resolve('axe-core');
// WCAG 2.0 and 2.1, levels A and AA. WCAG 2.2 AA (target size) and axe's best practices (landmarks,
// heading order, one main, …) pass as well and are kept so that a regression shows.
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Runs axe (WCAG 2.0/2.1 A and AA rules) on the page as it is; returns the violations, trimmed for reading. */
export async function axe(page) {
  // The server's CSP forbids injected scripts: only contexts created with bypassCSP can do this.
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary ?? '' })),
    }));
  }, AXE_TAGS);
}

/**
 * Checks the current screen at desktop and phone widths, in the system's light and dark schemes
 * (which the `auto` theme follows), and records every violation under `name` in `found`.
 */
export async function checkScreen(page, found, name, { schemes = ['light', 'dark'] } = {}) {
  const size = page.viewportSize();
  for (const scheme of schemes) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const vp of [DESKTOP, PHONE]) {
      await page.setViewportSize(vp);
      const theme = await page.evaluate(() => document.documentElement.dataset.theme);
      const where = `${name} @${vp.width}px, theme ${theme}${theme === 'auto' ? `/${scheme}` : ''}`;
      for (const v of await axe(page)) found.push({ where, ...v });
      // WCAG 1.4.10 Reflow, which axe cannot judge: no sideways scrolling of the page (wide tables scroll in their own box).
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) found.push({ where, id: 'reflow', impact: 'serious', help: `The page scrolls sideways by ${overflow} px`, helpUrl: 'https://www.w3.org/WAI/WCAG21/Understanding/reflow.html', nodes: [{ target: 'html', html: '', summary: '' }] });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(size);
}

/** The violations for people: one block per rule and element, listing every screen it was seen on. */
function describeViolations(found) {
  const byKey = new Map();
  for (const v of found) {
    for (const n of v.nodes) {
      const key = `${v.id} ${n.target}`;
      const entry = byKey.get(key) ?? { v, n, where: [] };
      entry.where.push(v.where);
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()]
    .map(({ v, n, where }) => `\n• ${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n  element: ${n.target}\n  html: ${n.html}\n  ${n.summary.replace(/\n/g, '\n  ')}\n  seen on: ${[...new Set(where)].join('; ')}`)
    .join('\n');
}

export function assertNoViolations(found) {
  assert.equal(found.length, 0, `axe found ${found.length} accessibility violation(s):${describeViolations(found)}`);
}
