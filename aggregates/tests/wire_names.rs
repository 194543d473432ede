//! Wire names: for every enum stored as text in read models or sent over the API, `as_str`,
//! `FromStr` and `Display` must agree with what serde writes into stored events, or read models
//! and events would name the same value differently.

use std::collections::HashSet;
use std::fmt::{Debug, Display};
use std::str::FromStr;

use aggregates::UnknownValue;
use aggregates::application::{Algorithm, CreationSource, OtpType};
use aggregates::settings::{SignupMode, SmtpSecurity, TwoFactorScope};
use aggregates::user::{LoginFailureReason, LoginMethod, RegistrationMethod, RevocationReason, Role};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;

fn check<T>(kind: &'static str, all: &[T], as_str: fn(T) -> &'static str)
where
    T: Copy + Debug + PartialEq + Serialize + DeserializeOwned + FromStr<Err = UnknownValue> + Display,
{
    let mut names = HashSet::new();
    for &v in all {
        let name = as_str(v);
        assert_eq!(serde_json::to_value(v).unwrap(), json!(name), "{kind}::{v:?} serialises to its wire name");
        assert_eq!(serde_json::from_value::<T>(json!(name)).unwrap(), v, "{kind}::{v:?} deserialises from its wire name");
        assert_eq!(name.parse::<T>(), Ok(v), "{kind}::{v:?} parses from its wire name");
        assert_eq!(v.to_string(), name, "{kind}::{v:?} displays as its wire name");
        assert!(names.insert(name), "{kind}: {name:?} is used twice");
        // Matching is exact, like serde's: another case of a real name is not that value.
        for other_case in [name.to_uppercase(), name.to_lowercase()] {
            if other_case != name {
                assert!(other_case.parse::<T>().is_err(), "{kind}: {other_case:?} must not parse");
            }
        }
    }
    for unknown in ["superuser", "", " admin"] {
        let err = unknown.parse::<T>().unwrap_err();
        assert_eq!(err, UnknownValue { kind, value: unknown.to_owned() });
        assert_eq!(err.to_string(), format!("unknown {kind} {unknown:?}"));
    }
}

#[test]
fn every_wire_name_matches_serde_and_parses_back() {
    check("Role", &Role::ALL, Role::as_str);
    check("RegistrationMethod", &RegistrationMethod::ALL, RegistrationMethod::as_str);
    check("LoginMethod", &LoginMethod::ALL, LoginMethod::as_str);
    check("LoginFailureReason", &LoginFailureReason::ALL, LoginFailureReason::as_str);
    check("RevocationReason", &RevocationReason::ALL, RevocationReason::as_str);
    check("OtpType", &OtpType::ALL, OtpType::as_str);
    check("Algorithm", &Algorithm::ALL, Algorithm::as_str);
    check("CreationSource", &CreationSource::ALL, CreationSource::as_str);
    check("SignupMode", &SignupMode::ALL, SignupMode::as_str);
    check("TwoFactorScope", &TwoFactorScope::ALL, TwoFactorScope::as_str);
    check("SmtpSecurity", &SmtpSecurity::ALL, SmtpSecurity::as_str);
    check("SecondFactorMethod", &aggregates::user::SecondFactorMethod::ALL, aggregates::user::SecondFactorMethod::as_str);
    check("Outcome", &aggregates::Outcome::ALL, aggregates::Outcome::as_str);
}

#[test]
fn the_error_names_the_type_and_the_text() {
    assert_eq!("superuser".parse::<Role>().unwrap_err().to_string(), r#"unknown Role "superuser""#);
    assert_eq!("md5".parse::<Algorithm>().unwrap_err().to_string(), r#"unknown Algorithm "md5""#);
}

/// Stored events and read-model rows already hold these names; they must never change.
#[test]
fn names_already_in_stored_data_are_unchanged() {
    assert_eq!(Role::Admin.as_str(), "admin");
    assert_eq!(Role::Auditor.as_str(), "auditor");
    assert_eq!(RegistrationMethod::OidcProvisioned.as_str(), "oidc_provisioned");
    assert_eq!(LoginFailureReason::BadSecondFactor.as_str(), "bad_second_factor");
    assert_eq!(RevocationReason::RefreshTokenReused.as_str(), "refresh_token_reused");
    assert_eq!(OtpType::Totp.as_str(), "totp");
    assert_eq!(Algorithm::Sha256.as_str(), "SHA256");
    assert_eq!(CreationSource::Qr.as_str(), "qr");
    assert_eq!(SignupMode::Invite.as_str(), "invite");
    assert_eq!(TwoFactorScope::Everyone.as_str(), "everyone");
    assert_eq!(SmtpSecurity::StartTls.as_str(), "start_tls");
}

#[test]
fn all_lists_every_value_once_in_declaration_order() {
    assert_eq!(Role::ALL, [Role::Admin, Role::User, Role::Auditor]);
    assert_eq!(Algorithm::ALL, [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512]);
    assert_eq!(SmtpSecurity::ALL, [SmtpSecurity::None, SmtpSecurity::StartTls, SmtpSecurity::Tls]);
}
