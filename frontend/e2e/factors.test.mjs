// End-to-end: two-factor sign-in for AuthNode's own accounts, against a real `authnode` binary
// (see helpers.mjs). Enrolling the authenticator app in the profile (codes computed here from the
// secret shown on screen, with the RFC 6238 reference), signing in with a code and with a
// recovery code, the step-up dialog (removing the app, showing an application's secret, a new
// email), the two-factor policy (banner, then enforcement), and the admin's reset. Each new screen
// is checked with axe at both widths and in both themes, and saved under test-output/screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ADMIN, DESKTOP, PHONE, RFC_SECRET, apiCall, apiSignIn, assertNoViolations, createUser, checkScreen, launchChromium, openContext, shoot, startServer, totp } from './helpers.mjs';

const PASSWORD = 'a long enough password';
const STEP_MS = 30_000;

let server;
let base;
let browser;
let admin; // { ctx, page } of the administrator
/** The user who enrols the app in the UI, with what the tests learn along the way. */
const dora = { username: 'dora', password: PASSWORD, secret: '', codes: [], ctx: null, page: null };

before(async () => {
  server = await startServer();
  base = server.base;
  browser = await launchChromium();
  admin = await openContext(browser, base, DESKTOP, { bypassCSP: true });
  assert.equal((await admin.ctx.request.post('/api/v1/auth/register', { data: ADMIN })).status(), 201);
  await apiSignIn(admin.ctx, ADMIN);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// ---- Helpers ----

/** A browser profile for `who` (CSP bypassed so that axe can run), signed in through the API. */
async function userContext(who, viewport = DESKTOP) {
  const c = await openContext(browser, base, viewport, { bypassCSP: true });
  await apiSignIn(c.ctx, who);
  return c;
}

/** The last time step each secret's code was accepted at: a step is good once (RFC 6238 §5.2). */
const lastStep = new Map();

/**
 * A code the server will take now: the current step, or a later one than the last accepted (the
 * server allows one step of drift). Waits when even the next step has been used.
 */
async function freshCode(secret) {
  for (;;) {
    const now = Date.now();
    const current = Math.floor(now / STEP_MS);
    const step = Math.max(current, (lastStep.get(secret) ?? -1) + 1);
    if (step <= current + 1) return { code: totp(secret, step * STEP_MS), step };
    await new Promise((r) => setTimeout(r, STEP_MS - (now % STEP_MS) + 50));
  }
}

/** Enters a fresh code into the 6-digit field and submits with `button`. */
async function enterCode(page, secret, button) {
  const { code, step } = await freshCode(secret);
  await page.getByLabel('6-digit code').fill(code);
  await page.getByRole('button', { name: button }).click();
  return step;
}

/** The password step of signing in, through the UI. */
async function passwordStep(page, who) {
  await page.goto('/');
  await page.getByLabel('Email or username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

const vaultHeading = (page) => page.getByRole('heading', { name: 'Vault', exact: true });
const clipboard = (page) => page.evaluate(() => navigator.clipboard.readText());

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

/** Confirms the password in the step-up dialog the page shows now. */
async function confirmPassword(page, password) {
  const stepUp = page.getByRole('dialog', { name: 'Confirm your password' });
  await stepUp.getByLabel('Password').fill(password);
  await stepUp.getByRole('button', { name: 'Confirm' }).click();
  await stepUp.waitFor({ state: 'hidden' });
}

/** Enrols an authenticator app through the API (for accounts whose UI enrolment is not the point). */
async function apiEnrol(ctx, password) {
  const up = await apiCall(ctx, 'POST', '/auth/reauth', { password });
  assert.equal(up.status(), 200, await up.text());
  const start = await apiCall(ctx, 'POST', '/me/totp');
  assert.equal(start.status(), 200, await start.text());
  const { secret } = await start.json();
  const { code, step } = await freshCode(secret);
  const confirm = await apiCall(ctx, 'POST', '/me/totp/confirm', { code });
  assert.equal(confirm.status(), 200, await confirm.text());
  lastStep.set(secret, step);
  return secret;
}

// ---- Enrolment ----

test('enrol the authenticator app in the profile; the recovery codes are shown once', async () => {
  await createUser(admin.ctx, dora.username, PASSWORD);
  Object.assign(dora, await userContext(dora));
  const { page } = dora;
  const found = [];
  await page.goto('/');
  await vaultHeading(page).waitFor();
  await page.getByRole('link', { name: 'Profile' }).click();
  await page.getByRole('link', { name: 'Security' }).click();
  const status = page.getByTestId('totp-status');
  await status.waitFor();
  assert.equal(await status.getAttribute('data-enabled'), 'false');
  assert.equal(await page.getByRole('heading', { name: 'Recovery codes' }).count(), 0, 'no recovery codes without a factor');
  await checkScreen(page, found, 'security, off');
  await shoot(page, '30-security-off');

  // Putting a factor on the account needs a fresh proof: the password comes first.
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  await confirmPassword(page, dora.password);
  await page.getByRole('heading', { name: 'Set up an authenticator app' }).waitFor();
  const qr = page.getByTestId('qr');
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 100), 'the QR code is a real picture');
  assert.match(await qr.getAttribute('src'), /^data:image\/png;base64,/);
  dora.secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
  assert.match(dora.secret, /^[A-Z2-7]{32}$/, 'a 160-bit base32 secret');
  await page.getByRole('button', { name: 'Copy setup key' }).click();
  assert.equal(await clipboard(page), dora.secret);
  const field = page.getByLabel('6-digit code');
  assert.equal(await field.getAttribute('autocomplete'), 'one-time-code');
  assert.equal(await field.getAttribute('inputmode'), 'numeric');
  await checkScreen(page, found, 'security, setting up the app');
  await shoot(page, '31-security-setup');

  // A code from another time is refused next to the field.
  await field.fill(totp(dora.secret, Date.now() + 10 * STEP_MS));
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await page.locator('.field.has-error').filter({ hasText: 'not the code the app shows now' }).waitFor();
  await checkScreen(page, found, 'security, setup with a wrong code');

  lastStep.set(dora.secret, await enterCode(page, dora.secret, 'Turn on two-factor sign-in'));
  await page.getByRole('heading', { name: /save your recovery codes/ }).waitFor();
  const list = page.getByTestId('recovery-codes').locator('li');
  dora.codes = (await list.allInnerTexts()).map((c) => c.trim());
  assert.equal(dora.codes.length, 10);
  assert.equal(new Set(dora.codes).size, 10);
  for (const c of dora.codes) assert.match(c, /^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
  const done = page.getByRole('button', { name: 'Done' });
  assert.ok(await done.isDisabled(), 'Done waits for the acknowledgement');
  await checkScreen(page, found, 'security, recovery codes');
  await shoot(page, '32-recovery-codes');

  // Download as a text file, copy, and print only the codes.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download (.txt)' }).click()]);
  assert.equal(download.suggestedFilename(), 'authnode-recovery-codes-dora.txt');
  const text = readFileSync(await download.path(), 'utf8');
  for (const c of dora.codes) assert.ok(text.includes(c), `the file holds ${c}`);
  assert.match(text, /Account: dora \(dora@example\.com\)/);
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  assert.equal(await clipboard(page), dora.codes.join('\n'));
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => {
    const shows = (el) => getComputedStyle(el).visibility === 'visible' && el.getClientRects().length > 0;
    return { nav: shows(document.querySelector('.topbar nav')), codes: shows(document.querySelector('[data-testid="recovery-codes"] li')), buttons: [...document.querySelectorAll('.printable button')].some(shows) };
  });
  assert.deepEqual(printed, { nav: false, codes: true, buttons: false }, 'printing shows the codes only');
  await page.emulateMedia({ media: 'screen' });

  await page.getByLabel('I have saved these codes somewhere safe').check();
  await done.click();
  await page.getByText('Two-factor sign-in is on').first().waitFor();
  await status.and(page.locator('[data-enabled="true"]')).waitFor();
  assert.equal(await page.getByTestId('recovery-left').getAttribute('data-left'), '10');
  await checkScreen(page, found, 'security, on');
  await shoot(page, '33-security-on');
  assertNoViolations(found);
  assert.deepEqual(page.errors, []);

  // The server agrees, and a password alone no longer signs in.
  const factors = await (await apiCall(dora.ctx, 'GET', '/me/second-factors')).json();
  assert.equal(factors.totp_enabled, true);
  const res = await dora.ctx.request.post('/api/v1/auth/login', { data: { login: dora.username, password: dora.password } });
  const answer = await res.json();
  assert.equal(answer.second_factor_required, true);
  assert.equal(answer.access_token, undefined);
});

// ---- Signing in ----

test('sign out, then sign in with the password and a code from the app', async () => {
  const { page } = dora;
  const found = [];
  await signOut(page);
  await passwordStep(page, dora);
  await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
  const field = page.getByLabel('6-digit code');
  assert.ok(await field.evaluate((el) => el === document.activeElement), 'the code field has the focus');
  await checkScreen(page, found, 'sign-in, code from the app');
  await shoot(page, '34-sign-in-code');

  // A mistyped code is caught before the server; a wrong one is refused by it.
  await field.fill('12345');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.locator('.field.has-error').filter({ hasText: 'Enter the 6 digits' }).waitFor();
  const current = Math.floor(Date.now() / STEP_MS);
  const taken = new Set([-1, 0, 1, 2].map((d) => totp(dora.secret, (current + d) * STEP_MS)));
  const wrong = ['000000', '111111', '222222', '333333'].find((c) => !taken.has(c));
  await field.fill(wrong);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.locator('.field.has-error').filter({ hasText: 'That code is wrong or was used already' }).waitFor();
  await checkScreen(page, found, 'sign-in, code refused');

  // The code of the next step: the one used to enrol cannot be used again (RFC 6238 §5.2).
  lastStep.set(dora.secret, await enterCode(page, dora.secret, 'Verify'));
  await vaultHeading(page).waitFor();
  assertNoViolations(found);
});

test('sign in with a recovery code; a used one is refused', async () => {
  const { page } = dora;
  await signOut(page);
  await passwordStep(page, dora);
  await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
  await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  const field = page.getByLabel('Recovery code');
  await field.waitFor();
  await field.fill(dora.codes[0].toUpperCase()); // case does not matter
  await shoot(page, '35-sign-in-recovery');
  const found = [];
  await checkScreen(page, found, 'sign-in, recovery code');
  await page.getByRole('button', { name: 'Verify' }).click();
  await vaultHeading(page).waitFor();
  await page.goto('/profile/security');
  await page.getByTestId('recovery-left').and(page.locator('[data-left="9"]')).waitFor();

  await signOut(page);
  await passwordStep(page, dora);
  await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Recovery code').fill(dora.codes[0]);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.locator('.field.has-error').filter({ hasText: 'That recovery code is wrong or was used already.' }).waitFor();
  // Back to the app's code, and the sign-in completes.
  await page.getByRole('button', { name: 'Use the code from your app instead' }).click();
  lastStep.set(dora.secret, await enterCode(page, dora.secret, 'Verify'));
  await vaultHeading(page).waitFor();
  assertNoViolations(found);
});

test('an expired sign-in challenge returns to the password step with a notice', async () => {
  const { page } = dora;
  await signOut(page);
  await passwordStep(page, dora);
  await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
  // Make the server see a challenge it does not know, as it would after five minutes.
  await page.route('**/api/v1/auth/login/second-factor', (route) => {
    const body = route.request().postDataJSON();
    route.continue({ postData: JSON.stringify({ ...body, challenge: `${body.challenge}x` }) });
  });
  await page.getByLabel('6-digit code').fill('123456');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'The sign-in took too long or was already used. Please enter your password again.' }).waitFor();
  await page.unroute('**/api/v1/auth/login/second-factor');
  await shoot(page, '36-sign-in-challenge-expired');
  const found = [];
  await checkScreen(page, found, 'sign-in, challenge expired');
  assertNoViolations(found);
  await passwordStep(page, dora);
  lastStep.set(dora.secret, await enterCode(page, dora.secret, 'Verify'));
  await vaultHeading(page).waitFor();
});

// ---- Step-up ----

test('remove the app: the password first (Escape cancels, a wrong password is refused), then a code (a wrong one is refused)', async () => {
  const { page } = dora;
  const found = [];
  await page.goto('/profile/security');
  const removeButton = page.getByRole('button', { name: 'Remove the authenticator app' });
  const remove = page.getByRole('dialog', { name: 'Remove the authenticator app' });
  const before = await (await apiCall(dora.ctx, 'GET', '/me/second-factors')).json();
  assert.equal(before.stepped_up_until, null, 'a sign-in is no step-up');
  await removeButton.click();

  // No live step-up: the password is asked first, before the code, in the step-up dialog with the focus in it.
  const stepUp = page.getByRole('dialog', { name: 'Confirm your password' });
  await stepUp.waitFor();
  assert.equal(await remove.count(), 0, 'the code is asked after the password');
  const password = stepUp.getByLabel('Password');
  assert.ok(await password.evaluate((el) => el === document.activeElement), 'the password field has the focus');
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    assert.ok(await stepUp.evaluate((d) => d.contains(document.activeElement)), 'Tab stays in the dialog');
  }
  await page.keyboard.press('Escape');
  await stepUp.waitFor({ state: 'hidden' });
  await page.getByRole('alert').filter({ hasText: 'Removing the app needs you to confirm it’s you first: nothing was changed.' }).waitFor();
  assert.equal(await remove.count(), 0);
  assert.equal((await (await apiCall(dora.ctx, 'GET', '/me/second-factors')).json()).totp_enabled, true, 'cancelled: the app stays');

  await removeButton.click();
  await stepUp.waitFor();
  await password.fill('not my password');
  await stepUp.getByRole('button', { name: 'Confirm' }).click();
  await stepUp.locator('.field.has-error').filter({ hasText: 'That password is wrong.' }).waitFor();
  await checkScreen(page, found, 'step-up dialog with an error');
  await shoot(page, '37-step-up');
  await password.fill(dora.password);
  await stepUp.getByRole('button', { name: 'Confirm' }).click();
  await remove.waitFor();
  const steppedUp = await (await apiCall(dora.ctx, 'GET', '/me/second-factors')).json();
  assert.ok(Date.parse(steppedUp.stepped_up_until) > Date.now(), 'the status shows the live step-up');
  await checkScreen(page, found, 'security, remove the app');

  // A used recovery code: 400 invalid_code for the field it was given in; nothing asked again.
  await remove.getByRole('button', { name: 'Lost the phone? Use a recovery code instead' }).click();
  const field = remove.getByLabel('Recovery code');
  const refusal = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/totp') && r.request().method() === 'DELETE');
  await field.fill(dora.codes[0]);
  await remove.getByRole('button', { name: 'Remove the app' }).click();
  const refused = await refusal;
  assert.equal(refused.status(), 400);
  assert.equal((await refused.json()).error?.field, 'recovery_code');
  await remove.locator('.field.has-error').filter({ hasText: 'That recovery code is wrong or was used already.' }).waitFor();
  assert.equal(await stepUp.count(), 0, 'the step-up still holds');
  await checkScreen(page, found, 'security, remove the app, code refused');

  await field.fill(dora.codes[1]);
  await remove.getByRole('button', { name: 'Remove the app' }).click();
  await page.getByText('Authenticator app removed').waitFor();
  await page.getByTestId('totp-status').and(page.locator('[data-enabled="false"]')).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Recovery codes' }).count(), 0, 'the recovery codes went with the app');
  assertNoViolations(found);
  assert.deepEqual(page.errors, []);
  // A password alone signs in again.
  await apiSignIn(dora.ctx, dora);
});

test("reveal an application's secret through step-up; it is hidden again when leaving", async () => {
  const erin = await createUser(admin.ctx, 'erin', PASSWORD);
  const { ctx, page } = await userContext(erin);
  const found = [];
  const add = await apiCall(ctx, 'POST', '/applications', { uri: `otpauth://totp/GitHub:erin@example.com?secret=${RFC_SECRET}&issuer=GitHub` });
  assert.equal(add.status(), 201);
  const { id } = (await add.json()).application;
  await page.goto(`/applications/${id}/edit`);
  const panel = page.getByTestId('app-secret');
  await panel.getByRole('button', { name: 'Show QR code and secret' }).click();
  const stepUp = page.getByRole('dialog', { name: 'Confirm your password' });
  await stepUp.waitFor();
  await checkScreen(page, found, 'step-up dialog');
  await stepUp.getByLabel('Password').fill(erin.password);
  await stepUp.getByRole('button', { name: 'Confirm' }).click();
  await panel.getByTestId('qr').waitFor();
  assert.equal((await panel.getByTestId('app-secret-key').innerText()).replace(/\s/g, ''), RFC_SECRET);
  const uri = await panel.getByTestId('app-secret-uri').innerText();
  assert.match(uri, /^otpauth:\/\/totp\//);
  assert.ok(new URL(uri).searchParams.get('secret') === RFC_SECRET);
  await panel.getByRole('button', { name: 'Copy secret key' }).click();
  assert.equal(await clipboard(page), RFC_SECRET);
  await panel.getByRole('button', { name: 'Copy otpauth:// link' }).click();
  assert.equal(await clipboard(page), uri);
  await checkScreen(page, found, 'edit, secret shown');
  await shoot(page, '38-app-secret');

  // Leaving the page forgets it; within five minutes it shows again without the password.
  await page.getByRole('link', { name: 'Vault' }).click();
  await vaultHeading(page).waitFor();
  await page.goBack();
  await panel.getByRole('button', { name: 'Show QR code and secret' }).waitFor();
  assert.equal(await panel.getByTestId('qr').count(), 0);
  await panel.getByRole('button', { name: 'Show QR code and secret' }).click();
  await panel.getByTestId('qr').waitFor();
  assert.equal(await stepUp.count(), 0);
  await panel.getByRole('button', { name: 'Hide' }).click();
  await panel.getByRole('button', { name: 'Show QR code and secret' }).waitFor();

  // Each reveal is in the audit log.
  const activity = await (await apiCall(ctx, 'GET', '/me/activity?event_type=ApplicationSecretRevealed')).json();
  assert.equal(activity.entries.filter((e) => e.event_type === 'ApplicationSecretRevealed').length, 2);
  assertNoViolations(found);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('a new email in the Account form asks for the password', async () => {
  const gina = await createUser(admin.ctx, 'gina', PASSWORD);
  const { ctx, page } = await userContext(gina, PHONE);
  await page.goto('/profile');
  await page.getByLabel('Email').fill('gina.new@example.com');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const stepUp = page.getByRole('dialog', { name: 'Confirm your password' });
  await stepUp.getByLabel('Password').fill(gina.password);
  await stepUp.getByRole('button', { name: 'Confirm' }).click();
  await page.getByText('Profile saved').waitFor();
  assert.equal((await (await apiCall(ctx, 'GET', '/me')).json()).user.email, 'gina.new@example.com');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

// ---- The two-factor policy ----

test('the policy: a grace-period banner, then everyone/0 days sends a user without a factor to Security', async () => {
  // The administrator enrols first, or the policy would hold them too.
  admin.secret = await apiEnrol(admin.ctx, ADMIN.password);
  const fred = await createUser(admin.ctx, 'fred', PASSWORD);
  const { ctx, page } = await userContext(fred);
  const found = [];
  assert.equal((await apiCall(admin.ctx, 'PATCH', '/admin/settings', { two_factor: { scope: 'everyone', grace_days: 7 } })).status(), 200);
  await page.goto('/');
  const banner = page.getByTestId('policy-banner');
  await banner.waitFor();
  assert.match(await banner.innerText(), /in 7 days/);
  await checkScreen(page, found, 'vault with the policy banner');
  await shoot(page, '39-policy-banner');
  await page.goto('/profile/security');
  await page.getByTestId('enrolment-grace').waitFor();
  assert.equal(await banner.count(), 0, 'the Security section says it itself');

  // The admin sets no grace period, in the Settings page.
  const { page: ap } = admin;
  await ap.goto('/admin/settings');
  await ap.getByLabel('Required for').selectOption('everyone');
  await ap.getByLabel('Grace period (days)').fill('0');
  await ap.getByRole('button', { name: 'Save settings' }).click();
  await ap.getByText('Settings saved').waitFor();
  const s = await (await apiCall(admin.ctx, 'GET', '/admin/settings')).json();
  assert.deepEqual(s.settings.two_factor, { scope: 'everyone', grace_days: 0 });
  await new Promise((r) => setTimeout(r, 1_100)); // the server caches its settings for a second

  // Fred opens the vault: the server refuses, and he lands on Security with the explanation.
  await page.goto('/');
  await page.waitForURL('**/profile/security');
  await page.getByTestId('enrolment-required').waitFor();
  assert.match(await page.getByTestId('enrolment-required').innerText(), /Two-factor sign-in is required/);
  await checkScreen(page, found, 'security, enrolment required');
  await shoot(page, '40-enrolment-required');
  // Anywhere else, the same.
  await page.getByRole('link', { name: 'Sessions' }).click();
  await page.waitForURL('**/profile/security');

  // Once enrolled, the vault opens.
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  await confirmPassword(page, fred.password);
  const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
  lastStep.set(secret, await enterCode(page, secret, 'Turn on two-factor sign-in'));
  await page.getByLabel('I have saved these codes somewhere safe').check();
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('link', { name: 'Vault' }).click();
  await page.getByRole('heading', { name: 'Your vault is empty' }).waitFor();
  assert.equal(await banner.count(), 0);
  assertNoViolations(found);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

// ---- Admin ----

test("admin resets a user's second factors", async () => {
  // A fresh sign-in (password and code): a new session has no step-up.
  const fresh = await openContext(browser, base, DESKTOP, { bypassCSP: true });
  const { page } = fresh;
  await passwordStep(page, ADMIN);
  lastStep.set(admin.secret, await enterCode(page, admin.secret, 'Verify'));
  await page.getByRole('heading', { name: 'Vault', exact: true }).waitFor();
  const found = [];
  await page.goto('/admin/users');
  const row = page.locator('[data-testid="user-row"][data-username="fred"]');
  const factors = row.getByTestId('user-factors');
  await factors.waitFor();
  assert.equal(await factors.innerText(), 'Two-factor: authenticator app, 10 recovery codes left');
  assert.equal(await page.locator('[data-testid="user-row"][data-username="erin"]').getByTestId('user-factors').innerText(), 'Two-factor: none');
  assert.equal(await page.locator('[data-testid="user-row"][data-username="erin"]').getByRole('button', { name: 'Reset second factors' }).count(), 0);
  await checkScreen(page, found, 'admin users with their factors');
  await row.getByRole('button', { name: 'Reset second factors' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset the second factors of fred?' });
  await dialog.waitFor();
  await checkScreen(page, found, 'admin users, reset second factors');
  await shoot(page, '41-reset-factors');
  await dialog.getByRole('button', { name: 'Reset second factors' }).click();
  // With a password reset this takes an account over: the admin confirms it is them.
  await confirmPassword(page, ADMIN.password);
  await page.getByText('Second factors of fred removed; their sessions ended').waitFor();
  await factors.filter({ hasText: 'Two-factor: none' }).waitFor();

  // Fred's sessions ended; his password alone signs him in, and the policy sends him to Security.
  const fred = await openContext(browser, base);
  await passwordStep(fred.page, { username: 'fred', password: PASSWORD });
  await fred.page.waitForURL('**/profile/security');
  await fred.page.getByTestId('enrolment-required').waitFor();
  assert.deepEqual(fred.page.errors, []);
  await fred.ctx.close();
  assertNoViolations(found);
  assert.deepEqual(page.errors, []);
  await fresh.ctx.close();
});

test('the sessions of these checks had no script errors', async () => {
  assert.deepEqual(dora.page?.errors ?? [], []);
  await dora.ctx?.close();
  assert.deepEqual(admin.page.errors, []);
  await admin.ctx.close();
});
