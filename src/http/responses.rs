//! The error answers an operation gives because of who may call it, documented once per kind of
//! caller instead of on every handler: `AccessErrors<Member>` in a `#[utoipa::path]`'s
//! `responses(…)` adds the 401/403 rows every signed-in operation has (and a handler's own row
//! for the same status, listed after it, replaces it). What follows from the request's shape
//! (a JSON body, query parameters, path parameters) is added by the document's assembly in
//! `openapi.rs`, and 500/503 to every operation.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use utoipa::IntoResponses;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

/// The error rows of operations callable by `A`.
pub struct AccessErrors<A>(PhantomData<A>);

/// A kind of caller, and the errors that come from being (or not being) one.
pub trait Access {
    /// `(status, description)` rows.
    fn rows() -> Vec<(&'static str, &'static str)>;
}

const NO_SESSION: (&str, &str) = ("401", "`unauthenticated`, `invalid_token` or `session_revoked`: no live session");

/// A signed-in user on the routes that stay open while the two-factor policy holds the account
/// to enrolment (their profile, second factors, step-up, sign-out).
pub struct Enroller;
/// A signed-in user reading (GET): the CSRF check does not apply.
pub struct Reader;
/// A signed-in user changing something: cookie sign-ins must also pass the CSRF check.
pub struct Writer;
/// An admin reading.
pub struct AdminReader;
/// An admin changing something.
pub struct AdminWriter;
/// An admin or an auditor reading.
pub struct StaffReader;
/// Anyone, rate limited per client address (and per account where one is named).
pub struct Throttled;

impl Access for Enroller {
    fn rows() -> Vec<(&'static str, &'static str)> {
        vec![NO_SESSION, ("403", "`account_disabled`, or `csrf_failed` (cookie sign-in of an unsafe method without a matching `X-CSRF-Token`)")]
    }
}

impl Access for Reader {
    fn rows() -> Vec<(&'static str, &'static str)> {
        vec![NO_SESSION, ("403", "`account_disabled`, or `second_factor_enrolment_required` (the two-factor policy's grace period is over)")]
    }
}

impl Access for Writer {
    fn rows() -> Vec<(&'static str, &'static str)> {
        vec![
            NO_SESSION,
            ("403", "`account_disabled`, `second_factor_enrolment_required`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`)"),
        ]
    }
}

impl Access for AdminReader {
    fn rows() -> Vec<(&'static str, &'static str)> {
        vec![NO_SESSION, ("403", "`forbidden` (not an admin), `account_disabled` or `second_factor_enrolment_required`")]
    }
}

impl Access for AdminWriter {
    fn rows() -> Vec<(&'static str, &'static str)> {
        vec![NO_SESSION, ("403", "`forbidden` (not an admin), `account_disabled`, `second_factor_enrolment_required` or `csrf_failed`")]
    }
}

impl Access for StaffReader {
    fn rows() -> Vec<(&'static str, &'static str)> {
        vec![NO_SESSION, ("403", "`forbidden` (neither admin nor auditor), `account_disabled` or `second_factor_enrolment_required`")]
    }
}

impl Access for Throttled {
    fn rows() -> Vec<(&'static str, &'static str)> {
        vec![("429", "`rate_limited`; wait `Retry-After` seconds")]
    }
}

/// A response row whose body is the error shape.
pub fn error_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
        .build()
}

impl<A: Access> IntoResponses for AccessErrors<A> {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        A::rows()
            .into_iter()
            .map(|(status, description)| {
                let mut response = error_response(description);
                if status == "429" {
                    let seconds =
                        HeaderBuilder::new().schema(ObjectBuilder::new().schema_type(Type::Integer)).description(Some("Seconds to wait")).build();
                    response.headers.insert("Retry-After".to_owned(), seconds);
                }
                (status.to_owned(), response.into())
            })
            .collect()
    }
}
