// End-to-end: a real `authnode` binary on a fresh embedded (SQLite) store, driven through Debian's
// Chromium by playwright-core. Screens are saved under test-output/screenshots at desktop and
// phone widths. Run after `cargo build` (AUTHNODE_BIN overrides the binary path).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { ADMIN, BOB, OUT, PHONE, RFC_SECRET, RFC_SECRET_256, DESKTOP, assertCode, card, hotp, launchChromium, openContext, order, shoot, signIn, startServer, totp } from './helpers.mjs';

let server;
let base;
let browser;

before(async () => {
  server = await startServer();
  base = server.base;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A fresh browser profile; every page's console errors fail the test. */
const newContext = (viewport = DESKTOP) => openContext(browser, base, viewport);

let admin; // { ctx, page } of the administrator, reused across steps

test('first run creates the administrator', async () => {
  admin = await newContext();
  const { page } = admin;
  await page.goto('/');
  await page.getByRole('heading', { name: /create the administrator/ }).waitFor();
  await shoot(page, '01-first-run');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Repeat password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await page.getByRole('heading', { name: 'Vault', exact: true }).waitFor();
  await page.getByRole('heading', { name: 'Your vault is empty' }).waitFor();
  await shoot(page, '02-empty-vault');
  const res = await page.request.get('/api/v1/me');
  assert.equal((await res.json()).user.role, 'admin');
});

test('security headers on the UI', async () => {
  const res = await fetch(`${base}/some/client/route`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/html/);
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
});

test('add an application from an otpauth:// link; its code is the RFC 6238 value', async () => {
  const { page } = admin;
  await page.getByRole('link', { name: 'Add', exact: true }).click();
  await page.getByRole('tab', { name: 'Paste link' }).click();
  await page.getByLabel('otpauth:// link').fill(`otpauth://totp/GitHub:alice@example.com?secret=${RFC_SECRET}&issuer=GitHub`);
  await page.getByLabel('What will be added').getByText('GitHub').waitFor();
  await page.getByLabel('Tags (optional)').fill('work, code');
  await shoot(page, '03-add-link');
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('heading', { name: 'Vault', exact: true }).waitFor();
  const shown = await assertCode(page, 'GitHub', (t) => totp(RFC_SECRET, t));
  // The server agrees with what the card shows.
  const codes = await (await page.request.get('/api/v1/applications/codes')).json();
  const server = codes.codes[0];
  assert.ok([server.code, server.next_code].includes(shown));
  // Digits are grouped for reading.
  assert.equal((await card(page, 'GitHub').getByTestId('code').innerText()).replace(/\s/g, ''), shown);
});

test('add an application by uploading a QR image (SHA-256, 8 digits, 60 s)', async () => {
  const { page } = admin;
  const png = join(OUT, 'qr-sha256.png');
  await QRCode.toFile(png, `otpauth://totp/Cloud:ops@example.com?secret=${RFC_SECRET_256}&issuer=Cloud&algorithm=SHA256&digits=8&period=60`, { width: 300 });
  await page.getByRole('link', { name: 'Add', exact: true }).click();
  await page.getByRole('tab', { name: 'QR image' }).click();
  await page.getByLabel('QR image file (PNG or JPEG)').setInputFiles(png);
  const preview = page.getByLabel('What will be added');
  await preview.getByText('Cloud').waitFor();
  await preview.getByText(/SHA256 · 8 digits · 60 s/).waitFor();
  await shoot(page, '04-add-qr');
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('heading', { name: 'Vault', exact: true }).waitFor();
  await assertCode(page, 'Cloud', (t) => totp(RFC_SECRET_256, t, { digits: 8, period: 60, alg: 'sha256' }));
});

test('a bad QR image gets a clear message, not a crash', async () => {
  const { page } = admin;
  await page.getByRole('link', { name: 'Add', exact: true }).click();
  await page.getByRole('tab', { name: 'QR image' }).click();
  await page.getByLabel('QR image file (PNG or JPEG)').setInputFiles({ name: 'x.png', mimeType: 'image/png', buffer: Buffer.from('not an image') });
  await page.getByRole('alert').filter({ hasText: /could not find a QR code/ }).waitFor();
  await page.getByRole('button', { name: 'Let the server read it' }).click();
  // The server's decoder refuses it too, with its error code shown as a friendly message.
  await page.locator('.error-note[data-code]').waitFor();
  assert.equal(page.url(), `${base}/add`);
});

test('add an HOTP application with the manual form; Next code steps the counter (RFC 4226)', async () => {
  const { page } = admin;
  await page.getByRole('link', { name: 'Add', exact: true }).click();
  await page.getByRole('tab', { name: 'Manual' }).click();
  await page.getByLabel('Issuer (service)').fill('Bank');
  await page.getByLabel('Account').fill('savings');
  await page.getByLabel('Secret key').fill('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
  await page.getByLabel('Type').selectOption('hotp');
  await page.getByLabel('Counter').fill('0');
  await shoot(page, '05-add-manual');
  // A secret under 80 bits asks for confirmation (RFC 4226 §4); cancelling adds nothing.
  const secret = page.getByLabel('Secret key');
  await secret.fill('AEAE AEAE');
  await page.getByRole('button', { name: 'Add account' }).click();
  const weak = page.getByRole('alertdialog', { name: 'This secret is unusually short' });
  await weak.getByText(/only 40 bits/).waitFor();
  await shoot(page, '05b-short-secret');
  await weak.getByRole('button', { name: 'Cancel' }).click();
  await weak.waitFor({ state: 'detached' });
  // A bad secret is refused with the API's field message, next to the field.
  await secret.fill('not base32 !!');
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.locator('.field.has-error').filter({ hasText: 'Secret key' }).waitFor();
  await secret.fill('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('heading', { name: 'Vault', exact: true }).waitFor();
  const bank = card(page, 'Bank');
  await bank.getByTestId('code').and(page.locator(`[data-code="${hotp(RFC_SECRET, 0)}"]`)).waitFor();
  await bank.getByRole('button', { name: 'Next code' }).click();
  await bank.getByTestId('code').and(page.locator(`[data-code="${hotp(RFC_SECRET, 1)}"]`)).waitFor();
  assert.equal(hotp(RFC_SECRET, 1), '287082'); // RFC 4226 Appendix D
});

test('codes are fetched at period boundaries, not polled', async () => {
  // The vault now holds TOTP (30 s, 60 s) and HOTP (no period) accounts: at most one boundary
  // passes in 3 s, so at most one fetch (two if a boundary and a focus refetch coincide).
  const { page } = admin;
  let fetches = 0;
  const count = (r) => {
    if (new URL(r.url()).pathname === '/api/v1/applications/codes') fetches++;
  };
  page.on('request', count);
  await page.waitForTimeout(3000);
  page.off('request', count);
  assert.ok(fetches <= 2, `${fetches} requests for codes in 3 s`);
});

test('click to copy puts the code on the clipboard', async () => {
  const { page } = admin;
  const code = card(page, 'GitHub').getByTestId('code');
  await code.click();
  await page.getByText(/Code copied/).waitFor();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  const now = await code.getAttribute('data-code');
  assert.ok(clip === now || clip === totp(RFC_SECRET, Date.now() - 30_000), `clipboard holds ${clip}`);
  assert.match(clip, /^\d{6}$/);
});

test('search as you type, and the favourite filter', async () => {
  const { page } = admin;
  const cards = page.getByTestId('app-card');
  assert.equal(await cards.count(), 3);
  await page.getByLabel('Search accounts').fill('clo');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="app-card"]').length === 1);
  assert.equal(await cards.locator('.issuer').innerText(), 'Cloud');
  await page.getByLabel('Search accounts').fill('work'); // a tag
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="app-card"]').length === 1);
  assert.equal(await cards.locator('.issuer').innerText(), 'GitHub');
  await page.getByLabel('Search accounts').fill('');
  await card(page, 'Bank').getByRole('button', { name: 'Favourite Bank' }).click();
  await card(page, 'Bank').getByRole('button', { name: 'Unfavourite Bank' }).waitFor();
  await page.getByRole('button', { name: '★ Favourites' }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="app-card"]').length === 1);
  assert.equal(await cards.locator('.issuer').innerText(), 'Bank');
  await page.getByRole('button', { name: '★ Favourites' }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="app-card"]').length === 3);
});

test('reorder by dragging and by keyboard; the order is kept by the server', async () => {
  const { page } = admin;
  assert.deepEqual(await order(page), ['GitHub', 'Cloud', 'Bank']);
  const saved = () => page.waitForResponse((r) => r.url().endsWith('/api/v1/applications/order') && r.request().method() === 'PUT');
  // Drag Bank by its handle so that its card lands where GitHub's is.
  const handle = await card(page, 'Bank').getByRole('button', { name: /Reorder Bank/ }).boundingBox();
  const fromCard = await card(page, 'Bank').boundingBox();
  const toCard = await card(page, 'GitHub').boundingBox();
  const x0 = handle.x + handle.width / 2;
  const y0 = handle.y + handle.height / 2;
  const dx = toCard.x + toCard.width / 2 - (fromCard.x + fromCard.width / 2);
  const dy = toCard.y + toCard.height / 2 - (fromCard.y + fromCard.height / 2);
  let put = saved();
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  await page.mouse.move(x0 + 10, y0, { steps: 2 }); // past the 6-px activation distance
  await page.mouse.move(x0 + dx, y0 + dy, { steps: 15 });
  await page.mouse.up();
  assert.equal((await put).status(), 204);
  await page.waitForFunction(() => document.querySelector('[data-testid="app-card"] .issuer')?.textContent === 'Bank');
  assert.deepEqual(await order(page), ['Bank', 'GitHub', 'Cloud']);
  // Without a mouse: the move buttons.
  put = saved();
  await card(page, 'Cloud').getByRole('button', { name: 'Move Cloud up' }).click();
  assert.equal((await put).status(), 204);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="app-card"] .issuer')].map((e) => e.textContent).join() === 'Bank,Cloud,GitHub');
  await page.reload();
  await page.getByTestId('app-card').first().waitFor();
  assert.deepEqual(await order(page), ['Bank', 'Cloud', 'GitHub']);
  await shoot(page, '06-vault');
});

test('trash and restore', async () => {
  const { page } = admin;
  await card(page, 'Cloud').getByRole('button', { name: 'Move Cloud to the trash' }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="app-card"]').length === 2);
  await page.getByRole('link', { name: 'Trash' }).click();
  await page.getByRole('heading', { name: 'Trash' }).waitFor();
  await shoot(page, '07-trash');
  await page.getByRole('button', { name: 'Restore Cloud' }).click();
  await page.getByText('The trash is empty.').waitFor();
  await page.getByRole('link', { name: 'Back to vault' }).click();
  await card(page, 'Cloud').waitFor();
  assert.equal(await page.getByTestId('app-card').count(), 3);
});

test('sign out and sign in again', async () => {
  const { page } = admin;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await shoot(page, '08-sign-in');
  // A wrong password is refused with a clear message.
  await page.getByLabel('Email or username').fill(ADMIN.username);
  await page.getByLabel('Password').fill('wrong password!!');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'Wrong email/username or password.' }).waitFor();
  await signIn(page, ADMIN);
  await card(page, 'GitHub').waitFor();
});

test('a session revoked from another browser is refused on its next request', async () => {
  const other = await newContext();
  await signIn(other.page, ADMIN);
  const { page } = admin;
  await page.getByRole('link', { name: 'Profile' }).click();
  await page.getByRole('link', { name: 'Sessions' }).click();
  const rows = page.getByTestId('session');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="session"]').length === 2);
  await shoot(page, '09-sessions');
  await page.locator('[data-testid="session"][data-current="false"]').getByRole('button', { name: /Sign out/ }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="session"]').length === 1);
  assert.equal(await rows.first().getAttribute('data-current'), 'true');
  // The other browser's access token is refused at once...
  const refused = await other.ctx.request.get('/api/v1/me/sessions');
  assert.equal(refused.status(), 401);
  // ...and its UI returns to the sign-in screen on its next call (which may already have happened).
  await other.page.getByRole('link', { name: 'Trash' }).click({ timeout: 2000 }).catch(() => undefined);
  await other.page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await other.page.getByText('Your session has ended').waitFor();
  await other.ctx.close();
});

test('profile: preferences switch to dark mode and change the code format', async () => {
  const { page } = admin;
  await page.getByRole('link', { name: 'Preferences' }).click();
  await page.getByLabel('Dark').check();
  await page.getByLabel('Code format').selectOption('none');
  await page.getByRole('button', { name: 'Save preferences' }).click();
  await page.getByText('Preferences saved').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await shoot(page, '10-preferences-dark');
  await page.getByRole('link', { name: 'Vault' }).click();
  const codeEl = card(page, 'GitHub').getByTestId('code');
  await codeEl.and(page.locator('[data-code]:not([data-code=""])')).waitFor();
  const text = await codeEl.innerText();
  assert.match(text, /^\d{6}$/);
  await shoot(page, '11-vault-dark');
  await page.getByRole('link', { name: 'Profile' }).click();
  await page.getByRole('link', { name: 'Activity' }).click();
  await page.getByRole('list', { name: 'Your activity' }).getByText('Account added to the vault').first().waitFor();
  await shoot(page, '12-activity');
});

test('admin creates a user, disables them, and they are refused', async () => {
  const { page } = admin;
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: '+ New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByLabel('Email').fill(BOB.email);
  await dialog.getByLabel('Username').fill(BOB.username);
  // The breached-password policy is on by default: a password from the list is refused on its field.
  await dialog.getByLabel('Password').fill('password123');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await dialog.locator('.field.has-error').filter({ hasText: 'leaked in data breaches' }).waitFor();
  await dialog.getByLabel('Password').fill(BOB.password);
  await dialog.getByRole('button', { name: 'Create user' }).click();
  const bobRow = page.locator('[data-testid="user-row"][data-username="bob"]');
  await bobRow.waitFor();
  await shoot(page, '13-users');

  const bob = await newContext(PHONE);
  await signIn(bob.page, BOB);
  await bob.page.getByRole('heading', { name: 'Your vault is empty' }).waitFor();
  // Bob is not an admin: no admin console, and the API refuses him.
  assert.equal(await bob.page.getByRole('link', { name: 'Users' }).count(), 0);
  assert.equal((await bob.page.request.get('/api/v1/admin/users')).status(), 403);

  await bobRow.getByRole('button', { name: 'Disable' }).click();
  await bobRow.getByText('disabled').waitFor();
  // His open session is refused on the next call...
  await bob.page.reload();
  await bob.page.getByRole('heading', { name: 'Sign in' }).waitFor();
  // ...and he cannot sign in again.
  await bob.page.getByLabel('Email or username').fill(BOB.username);
  await bob.page.getByLabel('Password').fill(BOB.password);
  await bob.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await bob.page.getByRole('alert').filter({ hasText: 'This account is disabled' }).waitFor();
  await bob.ctx.close();
});

test('admin settings are validated by the server', async () => {
  const { page } = admin;
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Minimum length').fill('4');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.locator('.field.has-error').filter({ hasText: 'Minimum length' }).waitFor();
  await page.getByLabel('Minimum length').fill('12');
  await page.getByLabel('Who may create an account').selectOption('open');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Settings saved').waitFor();
  await shoot(page, '14-settings');
  const s = await (await page.request.get('/api/v1/admin/settings')).json();
  assert.equal(s.settings.password.min_length, 12);
  assert.equal(s.settings.signup.mode, 'open');
});

test('admin filters the audit log and sees those actions', async () => {
  const { page } = admin;
  await page.getByRole('link', { name: 'Audit' }).click();
  await page.getByTestId('audit-row').first().waitFor();
  await page.getByLabel('Event type').fill('UserDisabled');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
    return rows.length === 1 && rows[0].dataset.eventType === 'UserDisabled';
  });
  await page.getByRole('button', { name: 'UserDisabled' }).click();
  const detail = page.getByTestId('audit-detail');
  await detail.getByText('Request id').waitFor();
  assert.match(await detail.innerText(), /admin/);
  await shoot(page, '15-audit-detail');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByLabel('Event type').fill('ApplicationCreated');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="audit-row"]')].length === 3 && [...document.querySelectorAll('[data-testid="audit-row"]')].every((r) => r.dataset.eventType === 'ApplicationCreated'));

  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByLabel('Outcome').selectOption('failure');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
    return rows.length >= 1 && rows.every((r) => r.classList.contains('failure'));
  });
  const types = await page.locator('[data-testid="audit-row"]').evaluateAll((rs) => rs.map((r) => r.dataset.eventType));
  assert.ok(types.includes('LoginFailed'), `failures: ${types}`);
  await shoot(page, '16-audit');
  assert.deepEqual(page.errors, [], 'no script errors in the admin page');
  await admin.ctx.close();
});
