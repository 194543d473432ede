// End-to-end: passkeys (WebAuthn) through the UI, against a real `authnode` binary (see
// helpers.mjs) whose public URL is http://localhost:<port> (browsers refuse IP addresses as
// relying parties), in Chromium with the DevTools virtual authenticator (an internal CTAP2
// authenticator with resident keys and user verification, answering without a touch).
//
// Registering a passkey in the profile (the password first, then recovery codes for a first
// factor), renaming it, signing in with it alone (the button, and the login field's autofill),
// as the second factor after the password, stepping up with it, removing it; and what people are
// told when it does not work: cancelled, refused by the server, the wrong address, a browser
// without WebAuthn or without the JSON helpers, a server at an IP address. Each new screen is
// checked with axe at both widths and in both themes, and saved under test-output/screenshots.
//
// Chromium's virtual authenticator answers a conditional (autofill) request at once, as if the
// person had picked the passkey in the login field's suggestions. The contexts that test the
// button and the password step therefore run as a browser without passkey autofill
// (isConditionalMediationAvailable() → false); the autofill has its own context and test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, DESKTOP, apiCall, apiSignIn, assertNoViolations, createUser, checkScreen, launchChromium, openContext, shoot, startServer } from './helpers.mjs';

const PASSWORD = 'a long enough password';

let server;
let base;
let browser;
let admin; // { ctx, page }
/** The user whose passkey the main scenario follows. */
const pat = { username: 'pat', password: PASSWORD, ctx: null, page: null, authenticator: null, passkeyId: '', codes: [] };

before(async () => {
  server = await startServer({ publicHost: 'localhost' });
  base = server.base;
  assert.match(base, /^http:\/\/localhost:\d+$/);
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

/** Init scripts: what some browsers lack, emulated by removing it before the page's scripts run. */
const NO_AUTOFILL = () => {
  if (window.PublicKeyCredential) PublicKeyCredential.isConditionalMediationAvailable = async () => false;
};
const NO_JSON_HELPERS = () => {
  if (!window.PublicKeyCredential) return;
  delete PublicKeyCredential.parseRequestOptionsFromJSON;
  delete PublicKeyCredential.parseCreationOptionsFromJSON;
  delete PublicKeyCredential.prototype.toJSON;
};
const NO_WEBAUTHN = () => {
  delete window.PublicKeyCredential;
};

/** A browser profile at `origin` (CSP bypassed so that axe can run), with the given init scripts. */
async function browserAt(origin, scripts = []) {
  const c = await openContext(browser, origin, DESKTOP, { bypassCSP: true });
  for (const s of scripts) await c.ctx.addInitScript(s);
  return c;
}

/**
 * The DevTools virtual authenticator for `page`: a platform authenticator (internal, CTAP 2.1)
 * that keeps discoverable credentials and verifies its user, answering at once.
 */
async function virtualAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
    setUserVerified: (isUserVerified) => cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified }),
  };
}

/** Standard base64 (DevTools' encoding) → base64url without padding (the API's). */
const b64url = (b64) => b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Every call to the passkey and sign-in endpoints a page makes, as "METHOD /path" with its JSON body. */
function recordAuthCalls(page) {
  const calls = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/^\/api\/v1\/(auth|me\/passkeys)/.test(path)) calls.push({ call: `${r.method()} ${path}`, body: r.postDataJSON?.() ?? null });
  });
  return calls;
}

const vaultHeading = (page) => page.getByRole('heading', { name: 'Vault', exact: true });

/** Signs out, then opens `/` (signing out stays at the same address; the next sign-in should land in the vault). */
async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.goto('/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

async function passwordStep(page, who) {
  await page.getByLabel('Email or username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function factors(ctx) {
  const res = await apiCall(ctx, 'GET', '/me/second-factors');
  assert.equal(res.status(), 200);
  return res.json();
}

/** Adds a passkey named `name` in Security, where no step-up is live: the password comes first. */
async function addPasskeyInUi(page, who, name) {
  await page.goto('/profile/security');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  const add = page.getByRole('dialog', { name: 'Add a passkey' });
  await add.getByLabel('Name').fill(name);
  await add.getByRole('button', { name: 'Create passkey' }).click();
  const stepUp = page.getByRole('dialog', { name: 'Confirm your password' });
  await stepUp.getByLabel('Password').fill(who.password);
  await stepUp.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('heading', { name: `Passkey “${name}” added: get recovery codes` }).waitFor();
}

// ---- Registering ----

test('the sign-in page offers a passkey; Security registers one after the password, then offers recovery codes', async () => {
  await createUser(admin.ctx, pat.username, PASSWORD);
  Object.assign(pat, await browserAt(base, [NO_AUTOFILL]));
  const { page, ctx } = pat;
  pat.authenticator = await virtualAuthenticator(page);
  const found = [];

  // Signed out: the passkey button under the password form, and the login field ready for passkey autofill.
  await page.goto('/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
  assert.equal(await page.getByLabel('Email or username').getAttribute('autocomplete'), 'username webauthn');
  await checkScreen(page, found, 'sign-in with the passkey button');
  await shoot(page, '42-sign-in-passkey');

  await apiSignIn(ctx, pat);
  await page.goto('/profile/security');
  const card = page.getByTestId('passkeys');
  await card.getByText('No passkeys yet.').waitFor();
  assert.equal((await factors(ctx)).stepped_up_until, null);

  await card.getByRole('button', { name: 'Add a passkey' }).click();
  const add = page.getByRole('dialog', { name: 'Add a passkey' });
  const name = add.getByLabel('Name');
  assert.ok(await name.evaluate((el) => el === document.activeElement), 'the name field has the focus');
  assert.equal(await name.inputValue(), 'Passkey on Linux', 'a default name from the platform');
  await add.getByText('You will be asked to confirm it’s you first.').waitFor();
  await checkScreen(page, found, 'security, add a passkey');
  await shoot(page, '43-add-passkey');

  // Names are checked before anything else happens (the server would only say so after the authenticator made the passkey).
  const calls = recordAuthCalls(page);
  await name.fill('   ');
  await add.getByRole('button', { name: 'Create passkey' }).click();
  await add.locator('.field.has-error').filter({ hasText: 'Give the passkey a name' }).waitFor();
  await name.fill('x'.repeat(65));
  await add.getByRole('button', { name: 'Create passkey' }).click();
  await add.locator('.field.has-error').filter({ hasText: 'Use at most 64 characters (this name has 65).' }).waitFor();
  assert.deepEqual(calls, [], 'nothing was asked of the server');
  assert.equal((await pat.authenticator.credentials()).length, 0);

  // Without a live step-up, the password comes first: nothing has touched the authenticator yet.
  await name.fill('Work laptop');
  await add.getByRole('button', { name: 'Create passkey' }).click();
  const stepUp = page.getByRole('dialog', { name: 'Confirm your password' });
  await stepUp.waitFor();
  assert.deepEqual(
    calls.map((c) => c.call),
    [],
    'the password is asked before the ceremony begins',
  );
  assert.equal((await pat.authenticator.credentials()).length, 0);
  await stepUp.getByLabel('Password').fill(pat.password);
  await stepUp.getByRole('button', { name: 'Confirm' }).click();

  // The first factor of an account without recovery codes: they are offered at once.
  const offer = page.getByTestId('offer-recovery-codes');
  await offer.getByRole('heading', { name: 'Passkey “Work laptop” added: get recovery codes' }).waitFor();
  assert.deepEqual(
    calls.map((c) => c.call),
    ['POST /api/v1/auth/reauth', 'POST /api/v1/me/passkeys/options', 'POST /api/v1/me/passkeys'],
  );
  const registered = calls.find((c) => c.call === 'POST /api/v1/me/passkeys').body;
  assert.equal(registered.name, 'Work laptop');
  assert.equal(registered.credential.type, 'public-key');
  assert.match(registered.credential.rawId, /^[A-Za-z0-9_-]+$/, 'base64url, no padding');
  assert.match(registered.credential.response.attestationObject, /^[A-Za-z0-9_-]+$/);
  await checkScreen(page, found, 'security, recovery codes offered after the first passkey');
  await shoot(page, '44-passkey-recovery-codes-offer');
  await offer.getByRole('button', { name: 'Get recovery codes' }).click();
  await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
  pat.codes = (await page.getByTestId('recovery-codes').locator('li').allInnerTexts()).map((c) => c.trim());
  assert.equal(pat.codes.length, 10);
  await page.getByLabel('I have saved these codes somewhere safe').check();
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByText('Recovery codes saved').first().waitFor();

  // The list, as the server has it.
  const row = card.getByTestId('passkey-row');
  await row.waitFor();
  assert.equal(await row.count(), 1);
  assert.match(await row.innerText(), /Work laptop[\s\S]*Added just now · not used yet/);
  const status = await factors(ctx);
  assert.equal(status.passkeys.length, 1);
  assert.equal(status.passkeys[0].name, 'Work laptop');
  assert.equal(status.passkeys[0].last_used_at, null);
  assert.equal(status.recovery_codes_left, 10);
  assert.equal(status.totp_enabled, false);
  pat.passkeyId = status.passkeys[0].id;
  assert.equal(await row.getAttribute('data-id'), pat.passkeyId);
  assert.equal(await page.getByTestId('recovery-left').getAttribute('data-left'), '10');
  await page.getByTestId('totp-status').filter({ hasText: 'Signing in asks for one of your passkeys after your password.' }).waitFor();

  // The authenticator holds it as a discoverable (resident) credential for localhost, with the account's user handle.
  const creds = await pat.authenticator.credentials();
  assert.equal(creds.length, 1);
  assert.equal(creds[0].isResidentCredential, true, 'a discoverable credential');
  assert.equal(creds[0].rpId, 'localhost');
  assert.equal(b64url(creds[0].credentialId), pat.passkeyId, 'the same credential as the server lists');
  assert.ok(creds[0].userHandle, 'the user handle is stored with it');
  await checkScreen(page, found, 'security, passkeys listed');
  await shoot(page, '45-security-passkeys');

  // The same authenticator cannot hold a second passkey of this account (excludeCredentials → InvalidStateError).
  await card.getByRole('button', { name: 'Add a passkey' }).click();
  assert.equal(await add.getByText('You will be asked to confirm it’s you first.').count(), 0, 'the step-up is still live');
  await add.getByRole('button', { name: 'Create passkey' }).click();
  await add.getByRole('alert').filter({ hasText: 'This authenticator already holds one of your passkeys for AuthNode' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent === 'Create passkey', null, { timeout: 2000 });
  await checkScreen(page, found, 'security, add a passkey the authenticator already holds');
  await add.getByRole('button', { name: 'Cancel' }).click();
  await add.waitFor({ state: 'hidden' });
  assert.equal((await factors(ctx)).passkeys.length, 1);
  assert.equal((await pat.authenticator.credentials()).length, 1);
  assertNoViolations(found);
  assert.deepEqual(page.errors, []);
});

test('rename the passkey', async () => {
  const { page, ctx } = pat;
  const found = [];
  await page.getByRole('button', { name: 'Rename Work laptop' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename the passkey' });
  const name = dialog.getByLabel('Name');
  assert.equal(await name.inputValue(), 'Work laptop');
  assert.ok(await name.evaluate((el) => el === document.activeElement));
  await name.fill('  ');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.locator('.field.has-error').filter({ hasText: 'Give the passkey a name' }).waitFor();
  await checkScreen(page, found, 'security, rename a passkey');
  await shoot(page, '46-rename-passkey');
  await name.fill('  Laptop (Chromium)  ');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByTestId('passkey-row').filter({ hasText: 'Laptop (Chromium)' }).waitFor();
  assert.deepEqual(
    (await factors(ctx)).passkeys.map((p) => p.name),
    ['Laptop (Chromium)'],
    'trimmed, and renamed on the server',
  );
  assertNoViolations(found);
});

// ---- Signing in ----

test('sign in without a password: the passkey button', async () => {
  const { page, ctx } = pat;
  await signOut(page);
  assert.equal((await ctx.cookies()).filter((c) => c.name.startsWith('authnode_') && c.name !== 'authnode_csrf').length, 0, 'signed out');
  const calls = recordAuthCalls(page);
  const before = (await pat.authenticator.credentials())[0].signCount;
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await vaultHeading(page).waitFor();
  assert.deepEqual(
    calls.map((c) => c.call),
    ['POST /api/v1/auth/passkey/options', 'POST /api/v1/auth/passkey'],
  );
  // A discoverable passkey: the assertion names its user.
  const { credential } = calls[1].body;
  assert.equal(credential.id, pat.passkeyId);
  assert.equal(credential.response.userHandle, b64url((await pat.authenticator.credentials())[0].userHandle));
  assert.ok((await pat.authenticator.credentials())[0].signCount > before, 'the authenticator signed');
  const status = await factors(ctx);
  assert.ok(status.passkeys[0].last_used_at, 'the server recorded its use');
  await page.goto('/profile/security');
  await page.getByTestId('passkey-row').filter({ hasText: /last used just now/ }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('the password, then the passkey as the second factor (a cancel is calm; a refused answer spends the request)', async () => {
  const { page } = pat;
  const found = [];
  await signOut(page);
  await passwordStep(page, pat);
  await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
  const use = page.getByRole('button', { name: 'Use your passkey' });
  assert.ok(await use.evaluate((el) => el === document.activeElement), 'the passkey is the default, and has the focus');
  await page.getByRole('button', { name: 'Use a recovery code instead' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Use the code from your app instead' }).count(), 0, 'no app on this account');
  await checkScreen(page, found, 'sign-in, second step with a passkey');
  await shoot(page, '47-second-step-passkey');

  // The person does not confirm (user verification fails): a calm note, and the same request can be tried again.
  const calls = recordAuthCalls(page);
  await pat.authenticator.setUserVerified(false);
  await use.click();
  const note = page.getByTestId('passkey-note');
  await note.filter({ hasText: 'No passkey was used' }).waitFor();
  assert.equal(await note.getAttribute('role'), 'status', 'a status, not an alert');
  assert.equal(await page.getByRole('alert').count(), 0);
  assert.deepEqual(calls, [], 'nothing reached the server');
  await page.waitForFunction(() => document.activeElement?.textContent === 'Use your passkey', null, { timeout: 2000 });
  await pat.authenticator.setUserVerified(true);

  // An answer the server refuses (its signature altered on the way): the request is spent.
  await page.route('**/api/v1/auth/login/second-factor', (route) => {
    const body = route.request().postDataJSON();
    const sig = body.credential.response.signature;
    body.credential.response.signature = sig.slice(0, 12) + (sig[12] === 'A' ? 'B' : 'A') + sig.slice(13);
    route.continue({ postData: JSON.stringify(body) });
  });
  await use.click();
  await page.getByRole('alert').filter({ hasText: 'That passkey could not be verified' }).waitFor();
  await page.unroute('**/api/v1/auth/login/second-factor');
  assert.deepEqual(
    calls.map((c) => c.call),
    ['POST /api/v1/auth/login/second-factor'],
  );
  assert.equal(calls[0].body.method, 'webauthn');
  await page.getByText('A passkey request works only once.').waitFor();
  assert.equal(await use.count(), 0, 'the spent request is not offered again');
  await page.waitForFunction(() => document.activeElement?.textContent === 'Start again', null, { timeout: 2000 });
  await page.getByRole('button', { name: 'Use a recovery code instead' }).waitFor();
  await checkScreen(page, found, 'sign-in, second step, passkey refused');
  await shoot(page, '48-second-step-passkey-refused');

  // Start again from the password: a new challenge with new passkey options, and it works.
  await page.getByRole('button', { name: 'Start again' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await passwordStep(page, pat);
  await use.click();
  await vaultHeading(page).waitFor();
  assert.equal(calls.at(-1).call, 'POST /api/v1/auth/login/second-factor');
  assertNoViolations(found);
  assert.deepEqual(page.errors, []);
});

// ---- Step-up and removal ----

test('remove the passkey, stepping up with it; the recovery codes go with the last factor', async () => {
  const { page, ctx } = pat;
  const found = [];
  await page.goto('/profile/security');
  assert.equal((await factors(ctx)).stepped_up_until, null, 'a sign-in is no step-up');
  await page.getByRole('button', { name: 'Remove Laptop (Chromium)' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove the passkey “Laptop (Chromium)”?' });
  await confirm.getByTestId('last-factor-warning').filter({ hasText: 'your 10 recovery codes stop working' }).waitFor();
  await checkScreen(page, found, 'security, remove the last passkey');
  await shoot(page, '49-remove-passkey');
  await confirm.getByRole('button', { name: 'Remove passkey' }).click();

  // The server wants a step-up: the account has a passkey, so the dialog offers it first.
  const stepUp = page.getByRole('dialog', { name: /Confirm it.s you/ });
  const usePasskey = stepUp.getByRole('button', { name: 'Use a passkey' });
  await usePasskey.waitFor();
  assert.ok(await usePasskey.evaluate((el) => el === document.activeElement), 'the passkey button has the focus');
  await stepUp.getByLabel('Password').waitFor();
  await checkScreen(page, found, 'step-up with a passkey');
  await shoot(page, '50-step-up-passkey');
  const calls = recordAuthCalls(page);
  await usePasskey.click();
  await confirm.waitFor({ state: 'hidden' });
  assert.deepEqual(
    calls.map((c) => c.call),
    ['POST /api/v1/auth/reauth/options', 'POST /api/v1/auth/reauth', `DELETE /api/v1/me/passkeys/${pat.passkeyId}`],
  );
  assert.deepEqual(Object.keys(calls[1].body).sort(), ['ceremony', 'credential'], 'no password was sent');

  await page.getByTestId('passkeys').getByText('No passkeys yet.').waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Recovery codes' }).count(), 0, 'the recovery codes went with the last factor');
  const status = await factors(ctx);
  assert.deepEqual(status.passkeys, []);
  assert.equal(status.recovery_codes_left, 0);
  assert.ok(Date.parse(status.stepped_up_until) > Date.now(), 'stepped up');
  assert.equal((await pat.authenticator.credentials()).length, 1, 'the authenticator still holds it: only the server forgot it');
  assertNoViolations(found);
  assert.deepEqual(page.errors, []);
});

test('passwordless failures: a passkey the server no longer knows is refused; a cancelled one is a calm note', async () => {
  const { page } = pat;
  const found = [];
  await signOut(page);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'That passkey could not be verified: it may have been removed from your account' });
  await alert.waitFor();
  assert.equal(await alert.getAttribute('data-code'), 'passkey_invalid');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent === 'Sign in with a passkey', null, { timeout: 2000 });
  await checkScreen(page, found, 'sign-in, passkey refused');
  await shoot(page, '51-passkey-refused');

  await pat.authenticator.setUserVerified(false);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  const note = page.getByTestId('passkey-note').filter({ hasText: 'No passkey was used' });
  await note.waitFor();
  assert.match(await note.innerText(), /You can try again, or sign in with your password\./);
  assert.equal(await page.getByRole('alert').count(), 0, 'the earlier error is gone; a cancel is no error');
  await checkScreen(page, found, 'sign-in, passkey cancelled');
  await shoot(page, '52-passkey-cancelled');
  await pat.authenticator.setUserVerified(true);

  // The password still works.
  await passwordStep(page, pat);
  await vaultHeading(page).waitFor();
  assertNoViolations(found);
  assert.deepEqual(page.errors, []);
});

test('the page at another address than the relying party says where passkeys work', async () => {
  const other = base.replace('localhost', '127.0.0.1');
  const { ctx, page } = await browserAt(other, [NO_AUTOFILL]);
  await virtualAuthenticator(page);
  const found = [];
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.getByRole('alert').filter({ hasText: 'Passkeys for this server work at localhost, but this page is open at 127.0.0.1.' }).waitFor();
  await checkScreen(page, found, 'sign-in, passkey at the wrong address');
  await shoot(page, '53-passkey-wrong-address');
  assertNoViolations(found);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

// ---- Other browsers ----

test('a browser without the JSON helpers (no parse…FromJSON, no toJSON) registers and signs in all the same', async () => {
  const rita = await createUser(admin.ctx, 'rita', PASSWORD);
  const { ctx, page } = await browserAt(base, [NO_AUTOFILL, NO_JSON_HELPERS]);
  const authenticator = await virtualAuthenticator(page);
  await apiSignIn(ctx, rita);
  await page.goto('/profile/security');
  assert.deepEqual(
    await page.evaluate(() => [typeof PublicKeyCredential.parseCreationOptionsFromJSON, typeof PublicKeyCredential.parseRequestOptionsFromJSON, typeof PublicKeyCredential.prototype.toJSON]),
    ['undefined', 'undefined', 'undefined'],
  );
  const calls = recordAuthCalls(page);
  await addPasskeyInUi(page, rita, 'Old browser');
  const sent = calls.find((c) => c.call === 'POST /api/v1/me/passkeys').body.credential;
  assert.deepEqual(Object.keys(sent).sort(), ['authenticatorAttachment', 'clientExtensionResults', 'id', 'rawId', 'response', 'type']);
  assert.equal(sent.rawId, sent.id);
  assert.equal(sent.authenticatorAttachment, 'platform');
  for (const k of ['clientDataJSON', 'attestationObject', 'authenticatorData', 'publicKey']) assert.match(sent.response[k], /^[A-Za-z0-9_-]+$/, `response.${k} in base64url`);
  assert.equal(JSON.parse(Buffer.from(sent.response.clientDataJSON, 'base64url')).type, 'webauthn.create');
  assert.deepEqual(sent.response.transports, ['internal']);
  await page.getByRole('button', { name: 'Not now' }).click();
  await page.getByText('Passkey “Old browser” added').first().waitFor();
  assert.equal((await factors(ctx)).passkeys.length, 1);

  await signOut(page);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await vaultHeading(page).waitFor();
  const assertion = calls.find((c) => c.call === 'POST /api/v1/auth/passkey').body.credential;
  assert.deepEqual(Object.keys(assertion.response).sort(), ['authenticatorData', 'clientDataJSON', 'signature', 'userHandle']);
  assert.equal(assertion.response.userHandle, b64url((await authenticator.credentials())[0].userHandle));
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('autofill: the browser offers the passkey in the login field (conditional mediation)', async () => {
  const quinn = await createUser(admin.ctx, 'quinn', PASSWORD);
  const { ctx, page } = await browserAt(base);
  await virtualAuthenticator(page);
  await apiSignIn(ctx, quinn);
  await addPasskeyInUi(page, quinn, 'Quinn’s laptop');
  await page.getByRole('button', { name: 'Not now' }).click();
  await page.getByTestId('passkey-row').waitFor();
  assert.equal(await page.evaluate(() => PublicKeyCredential.isConditionalMediationAvailable()), true);

  // Signing out shows the sign-in page, whose login field waits for a passkey from the autofill;
  // the virtual authenticator picks it at once, as a person choosing the suggestion would.
  const calls = recordAuthCalls(page);
  const offered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/passkey/options'));
  const signedIn = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/passkey'));
  await page.getByRole('button', { name: 'Sign out' }).click();
  assert.equal((await signedIn).status(), 200);
  await page.getByRole('heading', { name: 'Profile' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.waitForTimeout(500); // time for a stray request to show
  assert.deepEqual(
    calls.map((c) => c.call),
    ['POST /api/v1/auth/logout', 'POST /api/v1/auth/passkey/options', 'POST /api/v1/auth/passkey'],
    'one ceremony, used once; none fetched after signing in',
  );
  assert.equal(calls[2].body.ceremony, (await (await offered).json()).ceremony, 'the ceremony the autofill request was started with');
  assert.equal((await factors(ctx)).passkeys[0].name, 'Quinn’s laptop');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('a browser without WebAuthn: no passkey button; Security and the second step explain', async () => {
  const { ctx, page } = await browserAt(base, [NO_WEBAUTHN]);
  const found = [];
  await page.goto('/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Sign in with a passkey' }).count(), 0);
  assert.equal(await page.getByLabel('Email or username').getAttribute('autocomplete'), 'username');

  // Quinn's account signs in with a passkey only (no app, no recovery codes).
  await passwordStep(page, { username: 'quinn', password: PASSWORD });
  const why = page.getByTestId('no-usable-method');
  await why.filter({ hasText: 'this browser cannot use passkeys' }).waitFor();
  await checkScreen(page, found, 'sign-in, second step, browser without passkeys');
  await shoot(page, '54-no-webauthn-second-step');

  const sam = await createUser(admin.ctx, 'sam', PASSWORD);
  await apiSignIn(ctx, sam);
  await page.goto('/profile/security');
  await page.getByTestId('passkeys-unsupported').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Add a passkey' }).count(), 0);
  await checkScreen(page, found, 'security, browser without passkeys');
  await shoot(page, '55-no-webauthn-security');
  assertNoViolations(found);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('a server whose public URL is an IP address explains that passkeys need a host name', async () => {
  const ipServer = await startServer({ publicHost: '127.0.0.1' });
  try {
    const { ctx, page } = await browserAt(ipServer.base, [NO_AUTOFILL]);
    await virtualAuthenticator(page);
    const found = [];
    const first = { username: 'ivy', email: 'ivy@example.com', password: PASSWORD };
    assert.equal((await ctx.request.post('/api/v1/auth/register', { data: first })).status(), 201);
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    const unavailable = page.getByRole('alert').filter({ hasText: 'AUTHNODE_PUBLIC_URL to a host name, such as http://localhost:8080' });
    await unavailable.waitFor();
    assert.equal(await unavailable.getAttribute('data-code'), 'passkeys_unavailable');
    await checkScreen(page, found, 'sign-in, passkeys unavailable');
    await shoot(page, '56-passkeys-unavailable');

    await apiSignIn(ctx, first);
    await page.goto('/profile/security');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    const add = page.getByRole('dialog', { name: 'Add a passkey' });
    await add.getByRole('button', { name: 'Create passkey' }).click();
    const stepUp = page.getByRole('dialog', { name: 'Confirm your password' });
    await stepUp.getByLabel('Password').fill(PASSWORD);
    await stepUp.getByRole('button', { name: 'Confirm' }).click();
    await add.getByRole('alert').filter({ hasText: 'Passkeys are not available on this server' }).waitFor();
    await checkScreen(page, found, 'security, passkeys unavailable');
    assertNoViolations(found);
    assert.deepEqual(page.errors, []);
    await ctx.close();
  } finally {
    await ipServer.stop();
  }
});

test('the sessions of these checks had no script errors', async () => {
  assert.deepEqual(pat.page?.errors ?? [], []);
  await pat.ctx?.close();
  assert.deepEqual(admin.page.errors, []);
  await admin.ctx.close();
});
