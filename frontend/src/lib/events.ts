// Human wording for event types in activity and audit views; unknown types fall back to their
// words ("SomethingHappened" → "Something happened") so new events never show blank.

const WORDING: Record<string, string> = {
  UserRegistered: 'Account created',
  UserEmailChanged: 'Email changed',
  UserUsernameChanged: 'Username changed',
  UserDisplayNameChanged: 'Display name changed',
  UserRoleChanged: 'Role changed',
  UserDisabled: 'Account disabled',
  UserEnabled: 'Account enabled',
  PasswordChanged: 'Password changed',
  PasswordResetByAdmin: 'Password reset by an administrator',
  LoginSucceeded: 'Signed in',
  LoginFailed: 'Failed sign-in',
  AccountLocked: 'Account locked after failed sign-ins',
  AccountUnlocked: 'Account unlocked',
  SessionStarted: 'Session started',
  SessionRefreshed: 'Session refreshed',
  SessionRevoked: 'Session ended',
  SessionExpired: 'Session expired',
  PreferencesChanged: 'Preferences changed',
  UserDeleted: 'Account deleted',
  ApplicationCreated: 'Account added to the vault',
  ApplicationRenamed: 'Vault account renamed',
  ApplicationSecretReplaced: 'Secret replaced',
  ApplicationOtpParametersChanged: 'Code settings changed',
  ApplicationMetadataChanged: 'Notes, icon or colour changed',
  ApplicationTagsChanged: 'Tags changed',
  ApplicationFavorited: 'Marked as favourite',
  ApplicationUnfavorited: 'Unmarked as favourite',
  ApplicationMoved: 'Reordered',
  HotpCounterAdvanced: 'HOTP counter advanced',
  ApplicationTrashed: 'Moved to the trash',
  ApplicationRestored: 'Restored from the trash',
  ApplicationPurged: 'Deleted for good',
  UnknownAccountLoginFailed: 'Failed sign-in for an unknown account',
  ApplicationSecretRevealed: 'Secret and QR code shown',
  TotpEnrolmentStarted: 'Authenticator app setup started',
  TotpEnabled: 'Authenticator app turned on',
  TotpCodeAccepted: 'Authenticator app code used',
  TotpDisabled: 'Authenticator app removed',
  RecoveryCodesGenerated: 'New recovery codes',
  RecoveryCodeUsed: 'Recovery code used',
  RecoveryCodesDiscarded: 'Recovery codes discarded',
  PasskeyRegistered: 'Passkey added',
  PasskeyRenamed: 'Passkey renamed',
  PasskeyUsed: 'Passkey used',
  PasskeyRemoved: 'Passkey removed',
  SecondFactorChallengeIssued: 'Password accepted; second factor asked',
  SecondFactorChallengeConsumed: 'Second-factor step completed',
  SecondFactorPassed: 'Second factor accepted',
  SessionReauthenticated: 'Password confirmed for a sensitive action',
  SecondFactorsReset: 'Second factors reset by an administrator',
};

/** A readable description of an event type. */
export function describeEvent(type: string): string {
  if (WORDING[type]) return WORDING[type];
  const words = type.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Every known event type, for the audit filter's suggestions. */
export const KNOWN_EVENT_TYPES = Object.keys(WORDING).concat([
  'SignupPolicyChanged',
  'PasswordPolicyChanged',
  'LockoutPolicyChanged',
  'SessionPolicyChanged',
  'TwoFactorPolicyChanged',
  'SmtpConfigured',
  'SmtpRemoved',
  'OidcProviderConfigured',
  'OidcProviderRemoved',
  'CodeAccessAuditingChanged',
  'AuditRetentionChanged',
  'UnknownAccountLoginFailed',
]);
