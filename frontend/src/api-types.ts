// Generated from frontend/openapi.json by openapi-typescript: do not edit by hand.
// To regenerate after the document changes: `cd frontend && npm run gen:api`.
// src/api-types.test.ts fails while this file is stale.

export interface paths {
    "/api/v1/admin/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Current settings. */
        get: operations["get_settings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Changes policies; each is validated by the settings aggregate. */
        patch: operations["patch_settings"];
        trace?: never;
    };
    "/api/v1/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Users, optionally searched by email, username or display name. */
        get: operations["list_users"];
        put?: never;
        /** Creates an account with a role. */
        post: operations["create_user"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One user. */
        get: operations["get_user"];
        put?: never;
        post?: never;
        /** Deletes a user: their data key is destroyed with the event (crypto-shredding). */
        delete: operations["delete_user"];
        options?: never;
        head?: never;
        /** Changes a user's role or profile. */
        patch: operations["patch_user"];
        trace?: never;
    };
    "/api/v1/admin/users/{id}/reset-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sets a new password and ends every session of the user. */
        post: operations["reset_password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{id}/reset-second-factors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Removes every second factor of a user (authenticator app, recovery codes, passkeys) and ends
         *     their sessions, e.g. after they lost their phone; audited.
         */
        post: operations["reset_second_factors"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{id}/{action}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The simple admin actions: disable, enable, unlock, revoke-sessions. */
        post: operations["action"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/applications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's applications in their order, filtered. */
        get: operations["list"];
        put?: never;
        /** Adds an application from fields or from an `otpauth://` URI (fields then override). */
        post: operations["create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/applications/codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Current and next codes for every application not in the trash, computed on the server.
         *     Reading codes never moves an HOTP counter.
         */
        get: operations["codes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/applications/order": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Puts the listed applications in this order (positions 0, 1, …): one append for all of them. */
        put: operations["reorder"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/applications/qr": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Adds an application from an uploaded QR image (multipart field `image`, PNG or JPEG). */
        post: operations["create_from_qr"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/applications/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One application. */
        get: operations["get_one"];
        put?: never;
        post?: never;
        /** Moves to the trash, or with `?purge=true` deletes for good. */
        delete: operations["delete"];
        options?: never;
        head?: never;
        /** Changes any subset of fields; each kind of change is its own event. */
        patch: operations["update"];
        trace?: never;
    };
    "/api/v1/applications/{id}/hotp/next": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Steps an HOTP counter and returns the code for the new counter value. */
        post: operations["hotp_next"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/applications/{id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Takes an application out of the trash. */
        post: operations["restore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/applications/{id}/secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The application's secret and its `otpauth://` URI, to move the account to another device.
         *     Needs a recent step-up (`POST /auth/reauth`); each reveal is an event in the audit log.
         */
        get: operations["secret"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log (admins and auditors). */
        get: operations["audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the sign-in screen offers: first-run setup, self-registration, password rules. */
        get: operations["auth_config"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Password login. Unknown accounts cost the same argon2 work as known ones and get the same
         *     answer. An account with a second factor gets a challenge instead of a session.
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login/second-factor": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Completes a sign-in whose password passed, with the second factor. Without the challenge of
         *     that password step there is nothing to complete.
         */
        post: operations["second_factor"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ends the caller's session and clears the cookies. */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/passkey": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Signs in with a passkey alone: the same body and cookies as a password sign-in. */
        post: operations["passkey_sign_in"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/passkey/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Begins a passwordless sign-in: options for a discoverable passkey (with `mediation:
         *     "conditional"` the browser offers it in the sign-in form's autofill).
         */
        post: operations["passwordless_options"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/reauth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Step-up: proves who you are again, so that sensitive actions (removing a factor, new
         *     recovery codes, changing the email, showing an application's secret) work for five minutes.
         */
        post: operations["reauth"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/reauth/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Begins a step-up with a passkey: the options for `navigator.credentials.get()`. */
        post: operations["reauth_options"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotates the refresh token. Presenting an already-rotated token revokes the session. */
        post: operations["refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Creates an account: the first becomes admin; later ones only while sign-up is open. */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's profile. */
        get: operations["get_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Changes profile fields; each change is its own event. */
        patch: operations["patch_me"];
        trace?: never;
    };
    "/api/v1/me/activity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's own activity. */
        get: operations["my_activity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/passkeys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's passkeys, oldest first. */
        get: operations["list_passkeys"];
        put?: never;
        /** Finishes registering a passkey with the new credential; needs a recent step-up. */
        post: operations["register_passkey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/passkeys/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Begins registering a passkey: the options for `navigator.credentials.create()`. A passkey
         *     signs in on its own, so this needs a recent step-up.
         */
        post: operations["passkey_registration_options"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/passkeys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Removes one of the caller's passkeys; needs a recent step-up. Removing the last factor also
         *     discards the recovery codes.
         */
        delete: operations["remove_passkey"];
        options?: never;
        head?: never;
        /** Renames one of the caller's passkeys. */
        patch: operations["rename_passkey"];
        trace?: never;
    };
    "/api/v1/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Changes the password (the current one is required) and ends every other session. */
        post: operations["change_password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/recovery-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new set of recovery codes (the old set stops working); needs a recent step-up. */
        post: operations["regenerate_recovery_codes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/second-factors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What protects the caller's account, and what the two-factor policy asks of it. */
        get: operations["status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's live sessions, newest first; the current one is marked. */
        get: operations["sessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/sessions/revoke-others": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ends every session of the caller but the current one. */
        post: operations["revoke_others"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Ends one of the caller's sessions (another user's session is "not found"). */
        delete: operations["revoke_session"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Starts enrolling an authenticator app: a new secret (pending until a code confirms it), as a
         *     link, a QR code and text. Starting again replaces a pending secret.
         */
        post: operations["start_totp"];
        /**
         * Removes the authenticator app: needs a recent step-up (`POST /auth/reauth`) and a code from
         *     the app or a recovery code.
         */
        delete: operations["disable_totp"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/totp/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirms the pending authenticator app with the code it shows; answers the recovery codes,
         *     shown this once.
         */
        post: operations["confirm_totp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/openapi.json`: this document. */
        get: operations["serve_openapi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up. */
        get: operations["healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /metrics` in the Prometheus text format. */
        get: operations["render"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The database answers. */
        get: operations["readyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description HMAC hash function; the wire names are upper-case, as `otpauth://` URIs spell them.
         * @enum {string}
         */
        Algorithm: "SHA1" | "SHA256" | "SHA512";
        /**
         * @description Create or update body. On create, either `uri` or `secret` is required. On update, an
         *     absent field is kept and an empty string clears `notes`, `url`, `icon` or `color`.
         */
        AppBody: {
            algorithm?: null | components["schemas"]["Algorithm"];
            /**
             * @description Create only: add a secret shorter than 80 bits anyway (it is refused with
             *     `secret_too_short` otherwise; RFC 4226 §4 asks for 128 bits and recommends 160).
             */
            allow_short_secret?: boolean | null;
            /** @description Card colour. */
            color?: string | null;
            /**
             * Format: int64
             * @description HOTP counter (default 0).
             */
            counter?: number | null;
            /**
             * Format: int32
             * @description Code length: 6–8 (Steam: 5, the only length it allows).
             */
            digits?: number | null;
            /** @description Favourites can be filtered on. */
            favorite?: boolean | null;
            /** @description Icon name or URL. */
            icon?: string | null;
            /** @description Service name, e.g. `GitHub`. */
            issuer?: string | null;
            /** @description Account name at the service, e.g. an email address. */
            label?: string | null;
            /** @description Notes, at most 10,000 characters (stored encrypted). */
            notes?: string | null;
            otp_type?: null | components["schemas"]["OtpType"];
            /**
             * Format: int32
             * @description Time step in seconds, 1–300 (default 30; kept but unused for HOTP).
             */
            period?: number | null;
            /** @description Base32 secret (spaces and case ignored); never returned. */
            secret?: string | null;
            /** @description Free labels for filtering. */
            tags?: string[] | null;
            /** @description An `otpauth://totp/…` or `otpauth://hotp/…` URI (create only). */
            uri?: string | null;
            /** @description Web address of the service. */
            url?: string | null;
        };
        /** @description `{application}`. */
        ApplicationEnvelope: {
            /** @description The application. */
            application: components["schemas"]["ApplicationView"];
        };
        /** @description `{applications}`. */
        ApplicationList: {
            /** @description Applications in the caller's order. */
            applications: components["schemas"]["ApplicationView"][];
        };
        /** @description An application (never its secret). */
        ApplicationView: {
            /** @description HMAC algorithm. */
            algorithm: components["schemas"]["Algorithm"];
            /** @description Card colour. */
            color: string | null;
            /**
             * Format: int64
             * @description HOTP counter: the code shown is for this value.
             */
            counter: number;
            /**
             * Format: date-time
             * @description Creation time.
             */
            created_at: string;
            /**
             * Format: int64
             * @description Code length.
             */
            digits: number;
            /** @description Favourite. */
            favorite: boolean;
            /** @description Icon name or URL. */
            icon: string | null;
            /**
             * Format: uuid
             * @description Application id.
             */
            id: string;
            /** @description Service name. */
            issuer: string;
            /** @description Account name at the service. */
            label: string;
            /** @description Notes (stored encrypted, opened for the owner only). */
            notes: string | null;
            /** @description OTP scheme. */
            otp_type: components["schemas"]["OtpType"];
            /**
             * Format: int64
             * @description Time step in seconds (TOTP, Steam).
             */
            period: number;
            /**
             * Format: int64
             * @description Place in the caller's order (0 first).
             */
            position: number;
            /** @description Free labels. */
            tags: string[];
            /**
             * Format: date-time
             * @description When it was moved to the trash; null while it is in the vault.
             */
            trashed_at: string | null;
            /**
             * Format: date-time
             * @description Time of the last change.
             */
            updated_at: string;
            /** @description Web address of the service. */
            url: string | null;
        };
        /** @description One event of the log, with secrets and hashes redacted from its payload. */
        AuditEntry: {
            /** @description Who did it (a user id; null for anonymous and system actors). */
            actor_id: string | null;
            /** @description `anonymous`, `user`, `admin`, `cli` or `system`. */
            actor_kind: string;
            /** @description The object's id. */
            aggregate_id: string;
            /** @description `user`, `application`, `settings`, … */
            aggregate_type: string;
            /** @description Past-tense event name, e.g. `ApplicationCreated`. */
            event_type: string;
            /** @description Client address. */
            ip: string | null;
            /** @description Outcome. */
            outcome: components["schemas"]["Outcome"];
            /** @description The event payload, `{"<event type>": {…}}`, with secrets replaced by `[redacted]`/`[sealed]`. */
            payload: Record<string, unknown>;
            /**
             * Format: int64
             * @description Global position in the log (gap-free, commit order).
             */
            position: number;
            /**
             * Format: date-time
             * @description When it was recorded.
             */
            recorded_at: string;
            /** @description Request id (also in the server log). */
            request_id: string | null;
            /** @description Session id. */
            session_id: string | null;
            /** @description The user the event is about. */
            subject_user_id: string | null;
            /** @description Client user agent. */
            user_agent: string | null;
        };
        /** @description One page of audit entries, newest first. */
        AuditPage: {
            /** @description Entries. */
            entries: components["schemas"]["AuditEntry"][];
            /**
             * Format: int64
             * @description Pass as `before` for the next (older) page; null on the last page.
             */
            next_before: number | null;
        };
        /** @description Public facts for the sign-in screen; nothing here identifies any account. */
        AuthConfig: {
            /**
             * Format: int32
             * @description The password policy's maximum length.
             */
            password_max_length: number;
            /**
             * Format: int32
             * @description The password policy's minimum length, for the form's hint.
             */
            password_min_length: number;
            /** @description No account exists yet: the next registration creates the first administrator. */
            setup_required: boolean;
            /** @description Anyone may register (`signup.mode` is `open`, or no account exists yet). */
            signup_open: boolean;
        };
        /** @description `POST /me/password`. */
        ChangePassword: {
            /**
             * Format: password
             * @description Proves the person at the keyboard is the account holder.
             */
            current_password: string;
            /**
             * Format: password
             * @description Length per the password policy.
             */
            new_password: string;
        };
        /** @description Codes of one application. */
        CodeView: {
            /** @description The current code. */
            code: string;
            /**
             * Format: uuid
             * @description Application id.
             */
            id: string;
            /** @description The next code (next period, or next counter for HOTP). */
            next_code: string;
            /**
             * Format: int32
             * @description Period in seconds (0 for HOTP).
             */
            period: number;
            /**
             * Format: int32
             * @description Seconds until the current code changes (0 for HOTP).
             */
            remaining: number;
        };
        /** @description `GET /applications/codes`. */
        CodesResponse: {
            /** @description One entry per application not in the trash, in the caller's order. */
            codes: components["schemas"]["CodeView"][];
            /**
             * Format: int64
             * @description Server time in Unix milliseconds (for clock-skew correction).
             */
            server_time: number;
        };
        /** @description `POST /admin/users`. */
        CreateUser: {
            /** @description Defaults to the username (also when empty); at most 100 characters without control characters. */
            display_name?: string | null;
            /** @description Must be unique (case-insensitive). */
            email: string;
            /**
             * Format: password
             * @description Length per the password policy.
             */
            password: string;
            role?: null | components["schemas"]["Role"];
            /** @description 3–32 characters of `a-z 0-9 . _ -`, unique (case-insensitive). */
            username: string;
        };
        /** @description `DELETE /me/totp`: a current code or a recovery code (one of the two). */
        DisableTotpBody: {
            /** @description The code the app shows now. */
            code?: string | null;
            /** @description A recovery code instead (the app is lost). */
            recovery_code?: string | null;
        };
        /**
         * @description The body of every error answer.
         * @example {
         *       "error": {
         *         "code": "invalid_field",
         *         "field": "limit",
         *         "message": "must be 1–500"
         *       }
         *     }
         */
        ErrorBody: {
            /** @description What went wrong. */
            error: components["schemas"]["ErrorDetail"];
        };
        /** @description What went wrong, for programs (`code`, stable) and for people (`message`). */
        ErrorDetail: {
            /** @description Stable `snake_case` code, e.g. `invalid_field`, `unauthenticated`, `application_not_found`. */
            code: string;
            /** @description The request field at fault, when there is one (absent otherwise). */
            field?: string;
            /** @description Human-readable; may change between versions, so programs should match on `code`. */
            message: string;
        };
        /** @description `/healthz` (`ok`: the process is up) and `/readyz` (`ready`: the database answers). */
        HealthStatus: {
            /** @description `ok` or `ready`. */
            status: string;
        };
        /** @description The code after stepping an HOTP counter. */
        HotpNext: {
            /** @description Code for the new counter. */
            code: string;
            /**
             * Format: int64
             * @description The new counter value.
             */
            counter: number;
            /**
             * Format: uuid
             * @description Application id.
             */
            id: string;
            /** @description Code for the counter after it. */
            next_code: string;
        };
        /** @description Brute-force lockout rules. */
        LockoutPolicy: {
            /**
             * Format: int32
             * @description How long a lock lasts, in minutes (1–10080, a week).
             */
            lock_minutes: number;
            /**
             * Format: int32
             * @description Failed logins within the window that lock the account (1–100).
             */
            max_failures: number;
            /**
             * Format: int32
             * @description Sliding window in minutes in which failures are counted (1–1440).
             */
            window_minutes: number;
        };
        /** @description What `POST /auth/login` answers: a session, or a challenge for the second factor. */
        LoginAnswer: components["schemas"]["SessionTokens"] | components["schemas"]["SecondFactorChallenge"];
        /** @description `POST /auth/login`. */
        LoginBody: {
            /** @description Email or user name (any case). */
            login: string;
            /**
             * Format: password
             * @description The account's password.
             */
            password: string;
        };
        /**
         * @description Which credential a login used, recorded on success and failure for the audit log.
         * @enum {string}
         */
        LoginMethod: "password" | "passkey" | "oidc";
        /** @description Single sign-on settings (the client secret is only shown as set or not). */
        OidcView: {
            /** @description Create accounts on first SSO login. */
            auto_provision: boolean;
            /** @description Client id. */
            client_id: string;
            /** @description Whether a client secret is stored (the secret itself never leaves the server). */
            client_secret: boolean;
            /** @description `[provider group, role]` pairs. */
            group_role_mapping: string[][];
            /** @description Issuer URL. */
            issuer: string;
            /** @description Scopes requested besides `openid`. */
            scopes: string[];
            /** @description Disable password logins for non-admins. */
            sso_only: boolean;
        };
        /** @description `PUT /applications/order`. */
        OrderBody: {
            /** @description Application ids in the wanted order. */
            ids: string[];
        };
        /**
         * @description The one-time-password scheme.
         * @enum {string}
         */
        OtpType: "totp" | "hotp" | "steam";
        /**
         * @description Whether an event records a change that happened or a refused attempt (PCI DSS v4 10.2.2 asks
         *     every audit record to say which).
         * @enum {string}
         */
        Outcome: "success" | "failure";
        /** @description `GET /me/passkeys`. */
        PasskeyList: {
            /** @description Registered passkeys, oldest first. */
            passkeys: components["schemas"]["PasskeyView"][];
        };
        /**
         * @description A WebAuthn ceremony begun: its id (to send back with the answer) and the options for the
         *     browser (`PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey)` or
         *     `parseRequestOptionsFromJSON`). Valid for five minutes, once.
         */
        PasskeyOptions: {
            /** @description The ceremony's id. */
            ceremony: string;
            /**
             * @description `{publicKey: …}`, as the browser takes them (the page adds `mediation: "conditional"`
             *     for the autofill sign-in).
             */
            options: Record<string, unknown>;
        };
        /** @description `POST /auth/passkey`: a passwordless sign-in's assertion. */
        PasskeySignInBody: {
            /** @description The ceremony of `POST /auth/passkey/options`. */
            ceremony: string;
            /** @description `PublicKeyCredential.toJSON()` of `navigator.credentials.get()`. */
            credential: Record<string, unknown>;
        };
        /** @description A registered passkey (never its credential). */
        PasskeyView: {
            /** @description The credential id (base64url). */
            id: string;
            /**
             * Format: date-time
             * @description When it last signed in or stepped up.
             */
            last_used_at: string | null;
            /** @description The owner's name for it. */
            name: string;
            /**
             * Format: date-time
             * @description When it was registered.
             */
            registered_at: string;
        };
        /** @description Password rules. */
        PasswordPolicy: {
            /**
             * @description Whether new passwords are checked against a breached-password list (on by default, as
             *     NIST SP 800-63B §3.1.1.2 asks).
             */
            breach_check: boolean;
            /**
             * Format: int32
             * @description Maximum length in characters (64–128; NIST SP 800-63B asks to permit at least 64).
             */
            max_length: number;
            /**
             * Format: int32
             * @description Minimum length in characters (at least 8, per NIST SP 800-63B §5.1.1.2).
             */
            min_length: number;
        };
        /** @description `PATCH /me`: any subset; each change is its own event. */
        PatchMe: {
            /** @description New display name. */
            display_name?: string | null;
            /** @description New email address (unique, case-insensitive). */
            email?: string | null;
            preferences?: null | components["schemas"]["Preferences"];
            /** @description New user name (unique, case-insensitive). */
            username?: string | null;
        };
        /** @description `PATCH /admin/settings`: any subset of the policies, each given whole. */
        PatchSettings: {
            lockout?: null | components["schemas"]["LockoutPolicy"];
            password?: null | components["schemas"]["PasswordPolicy"];
            session?: null | components["schemas"]["SessionPolicy"];
            signup?: null | components["schemas"]["SignupPolicy"];
            two_factor?: null | components["schemas"]["TwoFactorPolicy"];
        };
        /** @description `PATCH /admin/users/{id}`: any subset. */
        PatchUser: {
            /** @description New display name. */
            display_name?: string | null;
            /** @description New email address. */
            email?: string | null;
            role?: null | components["schemas"]["Role"];
            /** @description New user name. */
            username?: string | null;
        };
        /** @description How the web UI shows the vault; the ranges are checked by `UserCommand::ChangePreferences`. */
        Preferences: {
            /**
             * Format: int32
             * @description Lock the UI after this many idle minutes (0 = never, at most 1440).
             */
            auto_lock_minutes: number;
            /**
             * Format: int32
             * @description Seconds after which a copied code is cleared from the clipboard (0 = never, at most 600).
             */
            clipboard_clear_seconds: number;
            /**
             * @description How codes are grouped: `none`, `pairs`, `halves` (e.g. `123 456`) or `triplets`.
             * @enum {string}
             */
            code_format: "none" | "pairs" | "halves" | "triplets";
            /**
             * @description `light`, `dark` or `auto` (follow the system setting).
             * @enum {string}
             */
            theme: "light" | "dark" | "auto";
        };
        /** @description A multipart upload of a QR picture. */
        QrUpload: {
            /** @description `true` adds a secret shorter than 80 bits anyway (see `AppBody.allow_short_secret`). */
            allow_short_secret: boolean;
            /**
             * Format: binary
             * @description PNG or JPEG picture holding an `otpauth://` QR code (at most 2 MiB, 8000 px a side and 12 megapixels).
             */
            image: string;
        };
        /**
         * @description `POST /auth/reauth`: prove who you are again (step-up), with the password, or with a passkey:
         *     the assertion answering `POST /auth/reauth/options` (with that ceremony's id, or without: the
         *     assertion names its challenge).
         */
        ReauthBody: {
            /** @description The passkey ceremony's id (optional). */
            ceremony?: string | null;
            /** @description The assertion (`PublicKeyCredential.toJSON()`). */
            credential?: Record<string, unknown> | null;
            /**
             * Format: password
             * @description The account's password.
             */
            password?: string | null;
        };
        /** @description A step-up's lifetime. */
        Reauthenticated: {
            /**
             * Format: int32
             * @description Seconds during which sensitive actions are allowed.
             */
            expires_in: number;
        };
        /** @description A new set of recovery codes: shown this once, stored only as keyed hashes. */
        RecoveryCodesView: {
            /** @description Ten single-use codes. */
            recovery_codes: string[];
        };
        /** @description `POST /auth/refresh` (the refresh cookie is used when there is no body). */
        RefreshBody: {
            /**
             * Format: password
             * @description The refresh token from sign-in or the previous refresh (each is good for one use).
             */
            refresh_token?: string | null;
        };
        /** @description `POST /auth/register`. */
        RegisterBody: {
            /** @description Defaults to the username (also when empty); at most 100 characters without control characters. */
            display_name?: string | null;
            /** @description Must be unique (case-insensitive); the sign-up policy may restrict its domain. */
            email: string;
            /**
             * Format: password
             * @description Length per the password policy (default 10–128 characters).
             */
            password: string;
            /** @description 3–32 characters of `a-z 0-9 . _ -`, unique (case-insensitive). */
            username: string;
        };
        /** @description `POST /me/passkeys`: the new credential answering `POST /me/passkeys/options`. */
        RegisterPasskeyBody: {
            /** @description The ceremony's id. */
            ceremony: string;
            /** @description `PublicKeyCredential.toJSON()` of `navigator.credentials.create()`. */
            credential: Record<string, unknown>;
            /** @description The owner's name for it ("laptop", "phone"), 1–64 characters. */
            name: string;
        };
        /** @description `PATCH /me/passkeys/{id}`. */
        RenamePasskeyBody: {
            /** @description The new name, 1–64 characters. */
            name: string;
        };
        /** @description `POST /admin/users/{id}/reset-password`. */
        ResetPassword: {
            /**
             * Format: password
             * @description Length per the password policy; every session of the user ends.
             */
            password: string;
        };
        /**
         * @description What a user may do. The first user is always an admin.
         * @enum {string}
         */
        Role: "admin" | "user" | "auditor";
        /** @description `POST /auth/login/second-factor`. */
        SecondFactorBody: {
            /**
             * Format: password
             * @description The challenge from the password step.
             */
            challenge: string;
            /**
             * Format: password
             * @description For `totp`: the 6-digit code; for `recovery`: a recovery code (spaces and dashes ignored).
             */
            code?: string | null;
            /**
             * @description For `webauthn`: the assertion answering the challenge's `webauthn` options
             *     (`PublicKeyCredential.toJSON()`).
             */
            credential?: Record<string, unknown> | null;
            /** @description Which factor completes it. */
            method: components["schemas"]["SecondFactorMethod"];
        };
        /**
         * @description The password was right and the account has a second factor: complete the sign-in at
         *     `POST /auth/login/second-factor` with this challenge (no token or cookie is set yet).
         */
        SecondFactorChallenge: {
            /**
             * Format: password
             * @description Single-use, bound to this account, valid for `expires_in` seconds.
             */
            challenge: string;
            /**
             * Format: int32
             * @description Seconds the challenge stays valid (at most 300).
             */
            expires_in: number;
            /** @description The factors the account can complete the sign-in with. */
            methods: components["schemas"]["SecondFactorMethod"][];
            /** @description Always `true`: tells this answer from a signed-in one. */
            second_factor_required: boolean;
            /**
             * @description When `methods` has `webauthn`: the options for `navigator.credentials.get()`
             *     (`PublicKeyCredential.parseRequestOptionsFromJSON(webauthn.publicKey)`).
             */
            webauthn: Record<string, unknown> | null;
        };
        /**
         * @description A second factor, as a sign-in challenge offers it and events record its use.
         * @enum {string}
         */
        SecondFactorMethod: "totp" | "recovery" | "webauthn";
        /** @description `GET /me/second-factors`: what protects the account, and what the policy asks of it. */
        SecondFactorStatus: {
            /**
             * Format: date-time
             * @description Until when an account the policy covers may go without a second factor; null when not
             *     covered or already protected.
             */
            enrol_by: string | null;
            /** @description `enrol_by` has passed: until a factor is enrolled, only the enrolment routes answer. */
            enrolment_due: boolean;
            /** @description Registered passkeys, oldest first. */
            passkeys: components["schemas"]["PasskeyView"][];
            /**
             * Format: int32
             * @description Recovery codes still usable.
             */
            recovery_codes_left: number;
            /** @description The two-factor policy covers this account (by role). */
            required: boolean;
            /**
             * Format: date-time
             * @description Until when this session's step-up lasts; null when it has none (sensitive actions will
             *     answer `reauthentication_required`).
             */
            stepped_up_until: string | null;
            /** @description An authenticator app is enabled. */
            totp_enabled: boolean;
        };
        /** @description An account's second factors, as counts (never a secret). */
        SecondFactorSummary: {
            /**
             * Format: int32
             * @description Registered passkeys.
             */
            passkeys: number;
            /**
             * Format: int32
             * @description Recovery codes still usable.
             */
            recovery_codes_left: number;
            /** @description An authenticator app is enabled. */
            totp: boolean;
        };
        /** @description `GET /applications/{id}/secret`: what moving an account to another device takes. */
        SecretView: {
            /** @description The application as an `otpauth://` URI. */
            otpauth_uri: string;
            /**
             * @description A PNG of the QR code of `otpauth_uri`, base64-encoded, for a phone's camera; null when
             *     the link is longer than a QR code holds (very long issuer and label).
             */
            qr_png_base64: string | null;
            /** @description The secret in base32. */
            secret: string;
        };
        /** @description `{sessions}`. */
        SessionList: {
            /** @description Live sessions, newest first. */
            sessions: components["schemas"]["SessionView"][];
        };
        /** @description Token and session lifetimes. */
        SessionPolicy: {
            /**
             * Format: int32
             * @description Access-token lifetime in seconds (60–86400).
             */
            access_ttl_seconds: number;
            /**
             * Format: int32
             * @description A session unused for this many seconds ends (300–31536000).
             */
            idle_timeout_seconds: number;
            /**
             * Format: int32
             * @description Refresh-token (session) lifetime in seconds (300–31536000, not below the access token's).
             */
            refresh_ttl_seconds: number;
        };
        /**
         * @description A started or refreshed session. The same tokens are also set as cookies
         *     (`authnode_access`, `authnode_refresh`, `authnode_csrf`).
         */
        SessionTokens: {
            /** @description JWT access token for `Authorization: Bearer`, valid for `expires_in` seconds. */
            access_token: string;
            /** @description Value of the `authnode_csrf` cookie, for `X-CSRF-Token`. */
            csrf_token: string;
            /**
             * Format: int32
             * @description Access-token lifetime in seconds (the session policy's access TTL).
             */
            expires_in: number;
            /** @description Refresh token (single use: each refresh returns a new one). */
            refresh_token: string;
            /**
             * Format: uuid
             * @description Session id (also the `sid` claim of the access token).
             */
            session_id: string;
            /** @description Token type. */
            token_type: components["schemas"]["TokenType"];
            /** @description The signed-in user. */
            user: components["schemas"]["UserView"];
        };
        /** @description One live session of the caller. */
        SessionView: {
            /** @description Whether this is the session making the request. */
            current: boolean;
            /**
             * Format: date-time
             * @description When it ends unless refreshed.
             */
            expires_at: string;
            /**
             * Format: uuid
             * @description Session id.
             */
            id: string;
            /** @description Client address at start. */
            ip: string | null;
            /** @description How it was started. */
            method: components["schemas"]["LoginMethod"];
            /**
             * Format: date-time
             * @description Last token refresh.
             */
            refreshed_at: string | null;
            /**
             * Format: date-time
             * @description Start time.
             */
            started_at: string;
            /** @description Client user agent at start. */
            user_agent: string | null;
        };
        /** @description `{settings}`. */
        SettingsEnvelope: {
            /** @description The settings. */
            settings: components["schemas"]["SettingsView"];
        };
        /** @description The settings. */
        SettingsView: {
            /** @description Lockout rules. */
            lockout: components["schemas"]["LockoutPolicy"];
            oidc: null | components["schemas"]["OidcView"];
            /** @description Password rules. */
            password: components["schemas"]["PasswordPolicy"];
            /** @description Session lifetimes. */
            session: components["schemas"]["SessionPolicy"];
            /** @description Self-registration policy. */
            signup: components["schemas"]["SignupPolicy"];
            smtp: null | components["schemas"]["SmtpView"];
            /** @description Second-factor enforcement. */
            two_factor: components["schemas"]["TwoFactorPolicy"];
        };
        /**
         * @description Who may create an account by themselves.
         * @enum {string}
         */
        SignupMode: "open" | "closed" | "invite";
        /** @description Self-registration policy. */
        SignupPolicy: {
            /** @description When not empty, self-registered emails must be in one of these domains (lower-case). */
            allowed_domains: string[];
            /** @description Who may sign up. */
            mode: components["schemas"]["SignupMode"];
        };
        /**
         * @description Transport security towards the SMTP relay.
         * @enum {string}
         */
        SmtpSecurity: "none" | "start_tls" | "tls";
        /** @description Outgoing mail settings (the password is only shown as set or not). */
        SmtpView: {
            /** @description The `From:` address. */
            from: string;
            /** @description Relay host name. */
            host: string;
            /** @description Whether a password is stored (the password itself never leaves the server). */
            password: boolean;
            /**
             * Format: int32
             * @description Relay port.
             */
            port: number;
            /** @description Transport security. */
            security: components["schemas"]["SmtpSecurity"];
            /** @description Login name. */
            username: string | null;
        };
        /**
         * @description Always `Bearer`.
         * @enum {string}
         */
        TokenType: "Bearer";
        /** @description An authenticator-app code. */
        TotpCode: {
            /** @description The 6-digit code the app shows now. */
            code: string;
        };
        /** @description `POST /me/totp`: a new authenticator-app secret, pending until confirmed with a code. */
        TotpEnrolment: {
            /** @description `otpauth://totp/…` for apps that take a link. */
            otpauth_uri: string;
            /** @description A PNG of the QR code of `otpauth_uri`, base64-encoded. */
            qr_png_base64: string;
            /** @description The secret in base32, for typing in by hand. */
            secret: string;
        };
        /** @description Second-factor enforcement; off by default. */
        TwoFactorPolicy: {
            /**
             * Format: int32
             * @description Days a user has to enrol before being forced (0–90).
             */
            grace_days: number;
            /** @description Who must enrol. */
            scope: components["schemas"]["TwoFactorScope"];
        };
        /**
         * @description Who must use a second factor.
         * @enum {string}
         */
        TwoFactorScope: "off" | "admins" | "everyone";
        /**
         * @description The admin actions without a body (`POST /admin/users/{id}/{action}`).
         * @enum {string}
         */
        UserAction: "disable" | "enable" | "unlock" | "revoke-sessions";
        /** @description `{user}`. */
        UserEnvelope: {
            /** @description The user. */
            user: components["schemas"]["UserView"];
        };
        /** @description `{users}`. */
        UserList: {
            /** @description Users by creation time (at most 500). */
            users: components["schemas"]["UserView"][];
        };
        /** @description A user as the API shows it (never the password hash). */
        UserView: {
            /**
             * Format: date-time
             * @description Creation time.
             */
            created_at: string;
            /** @description A disabled account cannot sign in and its sessions stop working. */
            disabled: boolean;
            /** @description Free text shown in the UI (the username when none was given). */
            display_name: string;
            /** @description Lower-case: addresses are compared case-insensitively. */
            email: string;
            /**
             * Format: uuid
             * @description User id.
             */
            id: string;
            /**
             * Format: date-time
             * @description Last successful sign-in.
             */
            last_login_at: string | null;
            /**
             * Format: date-time
             * @description Locked by too many failed sign-ins until then (may lie in the past: the lock has lapsed).
             */
            locked_until: string | null;
            /** @description Display preferences the UI applies. */
            preferences: components["schemas"]["Preferences"];
            /** @description What the account may do. */
            role: components["schemas"]["Role"];
            /** @description What protects the account besides its password. */
            second_factors: components["schemas"]["SecondFactorSummary"];
            /**
             * Format: date-time
             * @description Time of the last change to the account's profile or state.
             */
            updated_at: string;
            /** @description Lower-case: sign-in names are compared case-insensitively. */
            username: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    get_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The settings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SettingsEnvelope"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden` (not an admin), `account_disabled` or `second_factor_enrolment_required` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchSettings"];
            };
        };
        responses: {
            /** @description The changed settings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SettingsEnvelope"];
                };
            };
            /** @description `malformed_json` or `invalid_body` (wrong shape or unknown field); a policy value out of range (`field` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden` (not an admin), `account_disabled`, `second_factor_enrolment_required` or `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_users: {
        parameters: {
            query?: {
                /** @description Case-insensitive search in email, user name and display name. */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Users by creation time */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserList"];
                };
            };
            /** @description `invalid_query` (a query parameter that does not parse or is unknown) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden` (not an admin), `account_disabled` or `second_factor_enrolment_required` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_user: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateUser"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserEnvelope"];
                };
            };
            /** @description `malformed_json` or `invalid_body` (wrong shape or unknown field); `invalid_field` (password length), `password_breached` (field `password`, when the policy checks it), `invalid_email`, `invalid_username` or `invalid_display_name` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden` (not an admin), `account_disabled`, `second_factor_enrolment_required` or `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `email_taken` or `username_taken` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserEnvelope"];
                };
            };
            /** @description `invalid_path` (a path segment that is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden` (not an admin), `account_disabled` or `second_factor_enrolment_required` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted; the user's data key is destroyed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_path` (a path segment that is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden` (not an admin), `account_disabled`, `second_factor_enrolment_required` or `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `last_admin` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchUser"];
            };
        };
        responses: {
            /** @description The changed user */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserEnvelope"];
                };
            };
            /** @description `invalid_path` (a path segment that is not UTF-8); `malformed_json` or `invalid_body` (wrong shape or unknown field); `invalid_email`, `invalid_username` or `invalid_display_name` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden` (not an admin), `reauthentication_required` (a new email needs the admin's step-up), `account_disabled`, `second_factor_enrolment_required` or `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `last_admin` (the last active admin keeps the role), `email_taken`, `username_taken` or `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    reset_password: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResetPassword"];
            };
        };
        responses: {
            /** @description Set; every session of the user is ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_path` (a path segment that is not UTF-8); `malformed_json` or `invalid_body` (wrong shape or unknown field); `invalid_field` (password length) or `password_breached` (field `password`, when the policy checks it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden` (not an admin), `account_disabled`, `second_factor_enrolment_required` or `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    reset_second_factors: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Reset; every session of the user is ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_path` (a path segment that is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden` (not an admin), `account_disabled`, `second_factor_enrolment_required` or `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    action: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description User id */
                id: string;
                /** @description What to do */
                action: components["schemas"]["UserAction"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_path` (a path segment that is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden` (not an admin), `account_disabled`, `second_factor_enrolment_required` or `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `user_not_found`, or `no_such_route` for another action */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `last_admin`, `already_disabled`, `not_disabled` or `not_locked` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list: {
        parameters: {
            query?: {
                /** @description Case-insensitive search in issuer, label and tags. */
                q?: string;
                /** @description Only applications with this tag (case-insensitive). */
                tag?: string;
                /** @description Only favourites (`true`) or only the others (`false`). */
                favorite?: boolean;
                /** @description `true`: the trash instead of the vault. */
                trashed?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller's applications in their order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApplicationList"];
                };
            };
            /** @description `invalid_query` (a query parameter that does not parse or is unknown) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, or `second_factor_enrolment_required` (the two-factor policy's grace period is over) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Either `uri` (an `otpauth://` URI; other fields then override it) or `secret` (base32) with optional parameters */
        requestBody: {
            content: {
                "application/json": (components["schemas"]["AppBody"] & unknown) | {
                    uri: string;
                } | ({
                    secret: string;
                } | {
                    issuer: string;
                } | {
                    label: string;
                });
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApplicationEnvelope"];
                };
            };
            /** @description `malformed_json` or `invalid_body` (wrong shape or unknown field); `invalid_field` (e.g. `uri`, `secret`, `digits`, `period`, `notes`), or `secret_too_short` (under 80 bits, unless `allow_short_secret` is `true`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, `second_factor_enrolment_required`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    codes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Current and next codes of every application not in the trash */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CodesResponse"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, or `second_factor_enrolment_required` (the two-factor policy's grace period is over) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    reorder: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrderBody"];
            };
        };
        responses: {
            /** @description Reordered: the listed ids get positions 0, 1, … */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `malformed_json` or `invalid_body` (wrong shape or unknown field); `invalid_field` (`ids` repeat) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, `second_factor_enrolment_required`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `application_not_found` (field `ids`): an id that is not the caller's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_from_qr: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["QrUpload"];
            };
        };
        responses: {
            /** @description Created from the QR code */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApplicationEnvelope"];
                };
            };
            /** @description `invalid_field` (field `image`: no picture, not PNG/JPEG, not an `otpauth://` URI), `image_too_large` (over 8000 px a side or 12 megapixels), `secret_too_short` (under 80 bits, unless `allow_short_secret` is `true`), `no_qr_code` or `invalid_multipart` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, `second_factor_enrolment_required`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: the picture is over 2 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: not multipart/form-data with a boundary */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: more than 30 pictures a minute (see `Retry-After`) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_one: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Application id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The application */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApplicationEnvelope"];
                };
            };
            /** @description `invalid_path` (a path segment that is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, or `second_factor_enrolment_required` (the two-factor policy's grace period is over) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `application_not_found` (also another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete: {
        parameters: {
            query?: {
                /** @description `true`: delete for good instead of moving to the trash. */
                purge?: boolean;
            };
            header?: never;
            path: {
                /** @description Application id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Moved to the trash, or purged */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_path` (a path segment that is not UTF-8); `invalid_query` (a query parameter that does not parse or is unknown) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, `second_factor_enrolment_required`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `application_not_found` (also another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `application_trashed`: already in the trash (purge it with `?purge=true`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Application id */
                id: string;
            };
            cookie?: never;
        };
        /** @description Any subset; an absent field is kept, an empty string clears `notes`, `url`, `icon` or `color` */
        requestBody: {
            content: {
                "application/json": components["schemas"]["AppBody"] & unknown;
            };
        };
        responses: {
            /** @description The changed application */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApplicationEnvelope"];
                };
            };
            /** @description `invalid_path` (a path segment that is not UTF-8); `malformed_json` or `invalid_body` (wrong shape or unknown field); `invalid_field` (`uri` is refused on update; `secret`, `digits`, `period`, `notes`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, `second_factor_enrolment_required`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `application_not_found` (also another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `conflict` (changed at the same time; try again) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    hotp_next: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Application id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The counter moved on by one */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HotpNext"];
                };
            };
            /** @description `invalid_path` (a path segment that is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, `second_factor_enrolment_required`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `application_not_found` (also another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_hotp`, `counter_exhausted` or `application_trashed` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    restore: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Application id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Out of the trash */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApplicationEnvelope"];
                };
            };
            /** @description `invalid_path` (a path segment that is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, `second_factor_enrolment_required`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `application_not_found` (also another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `application_not_trashed` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    secret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Application id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secret (base32) and the URI */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretView"];
                };
            };
            /** @description `invalid_path` (a path segment that is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `reauthentication_required` (step up first), `account_disabled` or `second_factor_enrolment_required` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `application_not_found` (also another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    audit: {
        parameters: {
            query?: {
                /** @description Actor (user id). */
                actor?: string;
                /** @description The user the events are about (user id). */
                subject?: string;
                /** @description `user`, `application`, `settings`, … */
                aggregate_type?: string;
                /** @description The object's id. */
                aggregate_id?: string;
                /** @description Event name, e.g. `SessionStarted`. */
                event_type?: string;
                /** @description `success` or `failure`. */
                outcome?: components["schemas"]["Outcome"];
                /** @description Client address. */
                ip?: string;
                /** @description RFC 3339 lower time bound (inclusive). */
                from?: string;
                /** @description RFC 3339 upper time bound (exclusive). */
                to?: string;
                /** @description Return entries older than this position (the previous page's `next_before`). */
                before?: number;
                /** @description Page size (1–500, default 100). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Audit entries, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description `invalid_query` (a query parameter that does not parse or is unknown); `invalid_field` (`limit`, `from`, `to`, `outcome`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden` (neither admin nor auditor), `account_disabled` or `second_factor_enrolment_required` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    auth_config: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Public sign-in configuration */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthConfig"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginBody"];
            };
        };
        responses: {
            /** @description Signed in (tokens in the body and as cookies), or, for an account with a second factor, `{second_factor_required: true, challenge, methods}` and no token or cookie */
            200: {
                headers: {
                    /** @description When signed in: `authnode_access` (HttpOnly, path /api), `authnode_refresh` (HttpOnly, path /api/v1/auth), `authnode_csrf` (readable by the UI) */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginAnswer"];
                };
            };
            /** @description `malformed_json` or `invalid_body` (wrong shape or unknown field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `invalid_credentials` (unknown account and wrong password look the same), or `challenge_invalid` (a second factor was added or removed at that very moment on another server: sign in again) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `no_second_factor` (as `challenge_invalid`: the account's factors changed at that moment; sign in again) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_locked` after too many failures */
            423: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`; wait `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    second_factor: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SecondFactorBody"];
            };
        };
        responses: {
            /** @description Signed in: the same body and cookies as a password sign-in */
            200: {
                headers: {
                    /** @description `authnode_access`, `authnode_refresh`, `authnode_csrf` */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionTokens"];
                };
            };
            /** @description `malformed_json` or `invalid_body` (wrong shape or unknown field); `invalid_field` (`code` missing, or `credential` missing or not a WebAuthn credential) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `challenge_invalid` (unknown, expired or spent, or the password changed since: sign in again), `ceremony_invalid` (the passkey request was used or ran out), or `second_factor_invalid` (wrong, reused or spent code, or a passkey answer that does not verify; counts towards the lockout) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `totp_not_enabled` (the app was removed meanwhile) or `passkeys_unavailable` (the public URL has no host name) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_locked` after too many failures: while locked, no answer is checked */
            423: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`; wait `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out; the cookies are cleared */
            204: {
                headers: {
                    /** @description The three cookies with Max-Age=0 */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, or `csrf_failed` (cookie sign-in of an unsafe method without a matching `X-CSRF-Token`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    passkey_sign_in: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasskeySignInBody"];
            };
        };
        responses: {
            /** @description Signed in */
            200: {
                headers: {
                    /** @description `authnode_access`, `authnode_refresh`, `authnode_csrf` */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionTokens"];
                };
            };
            /** @description `malformed_json` or `invalid_body` (wrong shape or unknown field); `invalid_field` (`credential` is not a WebAuthn credential) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `ceremony_invalid` (used or ran out) or `passkey_invalid` (unknown passkey, or an answer that does not verify) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `passkeys_unavailable` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_locked` */
            423: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`; wait `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    passwordless_options: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A ceremony for any passkey of this site */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasskeyOptions"];
                };
            };
            /** @description `passkeys_unavailable` (the public URL has no host name) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`; wait `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    reauth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReauthBody"] | ({
                    ceremony?: null;
                    credential?: null;
                } & {
                    password: string;
                }) | ({
                    password?: null;
                } & {
                    credential: Record<string, unknown>;
                });
            };
        };
        responses: {
            /** @description Stepped up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Reauthenticated"];
                };
            };
            /** @description `malformed_json` or `invalid_body` (wrong shape or unknown field); `invalid_field`: neither the password nor a passkey answer, or `credential` is not a WebAuthn credential; `ceremony_invalid` (field `credential`: the passkey request was used or ran out) or `passkey_invalid` (field `credential`: an answer that does not verify, or a sign counter that did not go up) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `wrong_password` (field `password`; counts towards the lockout), `account_disabled` or `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `session_not_found` (the session ended meanwhile) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `passkeys_unavailable` (the public URL has no host name) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_locked`: no step-up until the lock runs out */
            423: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited` (step-ups count like sign-ins, per address and per account); wait `Retry-After` seconds */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    reauth_options: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A ceremony for one of the caller's passkeys */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasskeyOptions"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, or `csrf_failed` (cookie sign-in of an unsafe method without a matching `X-CSRF-Token`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `no_passkey` (step up with the password) or `passkeys_unavailable` (the public URL has no host name) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The refresh token; without a body the `authnode_refresh` cookie is used */
        requestBody?: {
            content: {
                "application/json": null | components["schemas"]["RefreshBody"];
            };
        };
        responses: {
            /** @description New tokens (the presented refresh token is spent) */
            200: {
                headers: {
                    /** @description `authnode_access` (HttpOnly, path /api), `authnode_refresh` (HttpOnly, path /api/v1/auth), `authnode_csrf` (readable by the UI) */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionTokens"];
                };
            };
            /** @description `malformed_json` or `invalid_body` (wrong shape or unknown field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated` (no token), `invalid_refresh_token`, `refresh_token_reused` (the session is ended) or `session_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `csrf_failed` (the token came from the cookie without a matching `X-CSRF-Token`) or `account_disabled` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`; wait `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterBody"];
            };
        };
        responses: {
            /** @description The account; the first one is an admin */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserEnvelope"];
                };
            };
            /** @description `malformed_json` or `invalid_body` (wrong shape or unknown field); `invalid_field` (password length), `password_breached` (field `password`: on the breached-password list, when the policy checks it), `invalid_email`, `invalid_username`, `invalid_display_name` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `signup_closed`, `signup_invite_only` or `email_domain_not_allowed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `email_taken` or `username_taken` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`; wait `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserEnvelope"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, or `csrf_failed` (cookie sign-in of an unsafe method without a matching `X-CSRF-Token`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchMe"];
            };
        };
        responses: {
            /** @description The changed profile */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserEnvelope"];
                };
            };
            /** @description `malformed_json` or `invalid_body` (wrong shape or unknown field); `invalid_email`, `invalid_username`, `invalid_display_name` or `invalid_preference` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `reauthentication_required` (a new email needs a step-up: `POST /auth/reauth`), `account_disabled`, `second_factor_enrolment_required` or `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `email_taken`, `username_taken` or `conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    my_activity: {
        parameters: {
            query?: {
                /** @description Actor (user id). */
                actor?: string;
                /** @description The user the events are about (user id). */
                subject?: string;
                /** @description `user`, `application`, `settings`, … */
                aggregate_type?: string;
                /** @description The object's id. */
                aggregate_id?: string;
                /** @description Event name, e.g. `SessionStarted`. */
                event_type?: string;
                /** @description `success` or `failure`. */
                outcome?: components["schemas"]["Outcome"];
                /** @description Client address. */
                ip?: string;
                /** @description RFC 3339 lower time bound (inclusive). */
                from?: string;
                /** @description RFC 3339 upper time bound (exclusive). */
                to?: string;
                /** @description Return entries older than this position (the previous page's `next_before`). */
                before?: number;
                /** @description Page size (1–500, default 100). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller's own audit entries (the `subject` filter is ignored) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description `invalid_query` (a query parameter that does not parse or is unknown); `invalid_field` (`limit`, `from`, `to`, `outcome`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, or `second_factor_enrolment_required` (the two-factor policy's grace period is over) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_passkeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Passkeys (never their credentials) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasskeyList"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, or `csrf_failed` (cookie sign-in of an unsafe method without a matching `X-CSRF-Token`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    register_passkey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterPasskeyBody"];
            };
        };
        responses: {
            /** @description Registered */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasskeyView"];
                };
            };
            /** @description `malformed_json` or `invalid_body` (wrong shape or unknown field); `invalid_field` (`credential` is not a WebAuthn credential), `invalid_passkey_name` (field `name`, checked before the ceremony is spent), `ceremony_invalid` (field `credential`: unknown, used, expired or another account's ceremony) or `passkey_invalid` (field `credential`: the credential does not verify, e.g. without user verification) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `reauthentication_required`, `account_disabled` or `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `passkey_exists`, `too_many_passkeys` or `passkeys_unavailable` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    passkey_registration_options: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A registration ceremony (five minutes, once) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasskeyOptions"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `reauthentication_required` (step up first), `account_disabled` or `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `passkeys_unavailable` (the public URL has no host name) or `too_many_passkeys` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    remove_passkey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The passkey's credential id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_path` (a path segment that is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `reauthentication_required` (step up first), `account_disabled` or `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `passkey_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    rename_passkey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The passkey's credential id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RenamePasskeyBody"];
            };
        };
        responses: {
            /** @description Renamed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasskeyView"];
                };
            };
            /** @description `invalid_path` (a path segment that is not UTF-8); `malformed_json` or `invalid_body` (wrong shape or unknown field); `invalid_passkey_name` (field `name`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, or `csrf_failed` (cookie sign-in of an unsafe method without a matching `X-CSRF-Token`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `passkey_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    change_password: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangePassword"];
            };
        };
        responses: {
            /** @description Changed; every other session is ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `malformed_json` or `invalid_body` (wrong shape or unknown field); `invalid_field` (`new_password` length) or `password_breached` (field `new_password`: on the breached-password list, when the policy checks it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `wrong_password` (field `current_password`), `account_disabled`, `second_factor_enrolment_required` or `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    regenerate_recovery_codes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new codes, shown this once */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecoveryCodesView"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `reauthentication_required` (step up first), `account_disabled` or `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `no_second_factor` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    status: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Second factors and the policy's deadline */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecondFactorStatus"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, or `csrf_failed` (cookie sign-in of an unsafe method without a matching `X-CSRF-Token`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    sessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Live sessions, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionList"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, or `second_factor_enrolment_required` (the two-factor policy's grace period is over) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    revoke_others: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every other session is ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, `second_factor_enrolment_required`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    revoke_session: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Session id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_path` (a path segment that is not UTF-8) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, `second_factor_enrolment_required`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `session_not_found` (also another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    start_totp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secret to add to the app */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TotpEnrolment"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, or `csrf_failed` (cookie sign-in of an unsafe method without a matching `X-CSRF-Token`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `totp_already_enabled` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    disable_totp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DisableTotpBody"] | ({
                    recovery_code?: null;
                } & {
                    code: string;
                }) | ({
                    code?: null;
                } & {
                    recovery_code: string;
                });
            };
        };
        responses: {
            /** @description Removed (with the recovery codes, if no passkey is left) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `malformed_json` or `invalid_body` (wrong shape or unknown field); `invalid_field` (field `code`: give `code` or `recovery_code`) or `invalid_code` (field `code` or `recovery_code`: wrong, reused or spent) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `reauthentication_required` (step up first), `account_disabled` or `csrf_failed` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `totp_not_enabled` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    confirm_totp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TotpCode"];
            };
        };
        responses: {
            /** @description Enabled: sign-ins now ask for a code. Keep the recovery codes somewhere safe */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecoveryCodesView"];
                };
            };
            /** @description `malformed_json` or `invalid_body` (wrong shape or unknown field); `invalid_code` (field `code`: not the code the app shows now) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `invalid_token` or `session_revoked`: no live session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `account_disabled`, or `csrf_failed` (cookie sign-in of an unsafe method without a matching `X-CSRF-Token`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `totp_not_pending` or `totp_already_enabled` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `body_too_large`: over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body must be `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable`: the database is unreachable; try again shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    serve_openapi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, unknown>;
                };
            };
        };
    };
    healthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `{"status":"ok"}` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthStatus"];
                };
            };
        };
    };
    render: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text format 0.0.4 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    readyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `{"status":"ready"}` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthStatus"];
                };
            };
            /** @description `internal_error`: a bug; the details are in the server log */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `database_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
