//! Given/when/then tests of the `Application` aggregate.

mod common;

use aggregates::application::{Algorithm, CreationSource, Metadata, OtpParams, OtpType};
use aggregates::{Application, ApplicationCommand, ApplicationError, ApplicationEvent, DomainError, ErrorKind, Sealed};
use common::{at_min, other_sealed, sealed, t0};
use cqrs_es::test::{AggregateTestExecutor, TestFramework};
use uuid::Uuid;

const APP_ID: Uuid = Uuid::from_u128(0x0195_8f2a_1c00_7000_8000_0000_0000_0a01);
const OWNER: Uuid = Uuid::from_u128(0x0195_8f2a_1c00_7000_8000_0000_0000_0001);
const STRANGER: Uuid = Uuid::from_u128(0x0195_8f2a_1c00_7000_8000_0000_0000_0002);

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

fn given(events: Vec<ApplicationEvent>) -> AggregateTestExecutor<Application> {
    TestFramework::<Application>::with(()).given(events)
}

async fn run(history: Vec<ApplicationEvent>, command: ApplicationCommand) -> Result<Vec<ApplicationEvent>, ApplicationError> {
    given(history).when_async(command).await.inspect_result()
}

fn invalid(field: &'static str, message: &'static str) -> ApplicationError {
    ApplicationError::InvalidField { field, message }
}

const DIGITS_MSG: &str = "must be 6, 7 or 8";
const PERIOD_MSG: &str = "must be 1–300 seconds";
const NAME_MSG: &str = "must be at most 255 characters without control characters";
const TAG_MSG: &str = "each tag must be at most 64 characters without control characters";
const TAG_COUNT_MSG: &str = "at most 32 tags";
const URL_MSG: &str = "must be an http(s) URL of at most 2048 characters";
const ICON_MSG: &str = "must be an icon name of at most 64 characters (a-z, 0-9, '-', '_', '.')";
const COLOR_MSG: &str = "must be a colour like #1a2b3c";

fn totp() -> OtpParams {
    OtpParams { otp_type: OtpType::Totp, algorithm: Algorithm::Sha1, digits: 6, period: 30, counter: 0 }
}

fn hotp(counter: u64) -> OtpParams {
    OtpParams { otp_type: OtpType::Hotp, algorithm: Algorithm::Sha1, digits: 6, period: 30, counter }
}

fn steam() -> OtpParams {
    OtpParams { otp_type: OtpType::Steam, algorithm: Algorithm::Sha1, digits: 5, period: 30, counter: 0 }
}

/// A `Create` command, defaulting to a plain TOTP application owned by `OWNER`.
struct New {
    issuer: String,
    label: String,
    secret: Sealed,
    otp: OtpParams,
    tags: Vec<String>,
    favorite: bool,
    metadata: Metadata,
    position: i64,
    source: CreationSource,
}

impl Default for New {
    fn default() -> Self {
        Self {
            issuer: "GitHub".into(),
            label: "alice@example.com".into(),
            secret: sealed(),
            otp: totp(),
            tags: vec![],
            favorite: false,
            metadata: Metadata::default(),
            position: 0,
            source: CreationSource::Fields,
        }
    }
}

impl New {
    fn cmd(self) -> ApplicationCommand {
        ApplicationCommand::Create {
            id: APP_ID,
            owner_id: OWNER,
            issuer: self.issuer,
            label: self.label,
            secret: self.secret,
            otp: self.otp,
            tags: self.tags,
            favorite: self.favorite,
            metadata: self.metadata,
            position: self.position,
            source: self.source,
            at: t0(),
        }
    }

    /// The event this command produces when its fields are already clean.
    fn event(self) -> ApplicationEvent {
        ApplicationEvent::ApplicationCreated {
            id: APP_ID,
            owner_id: OWNER,
            issuer: self.issuer,
            label: self.label,
            secret: self.secret,
            otp: self.otp,
            tags: self.tags,
            favorite: self.favorite,
            metadata: self.metadata,
            position: self.position,
            source: self.source,
            at: t0(),
        }
    }
}

fn tags(values: &[&str]) -> Vec<String> {
    values.iter().map(|&t| t.to_owned()).collect()
}

/// History of an application created by `OWNER` with `otp`.
fn app(otp: OtpParams) -> Vec<ApplicationEvent> {
    vec![New { otp, ..New::default() }.event()]
}

/// History of a TOTP application with tags, favourite, metadata and a position.
fn rich_app() -> Vec<ApplicationEvent> {
    vec![
        New {
            tags: tags(&["work", "git"]),
            favorite: true,
            metadata: Metadata {
                notes: Some(sealed()),
                url: Some("https://github.com".into()),
                icon: Some("github".into()),
                color: Some("#1a2b3c".into()),
            },
            position: 7,
            ..New::default()
        }
        .event(),
    ]
}

fn trashed(mut history: Vec<ApplicationEvent>) -> Vec<ApplicationEvent> {
    history.push(ApplicationEvent::ApplicationTrashed { at: at_min(1) });
    history
}

fn purged(mut history: Vec<ApplicationEvent>) -> Vec<ApplicationEvent> {
    history.push(ApplicationEvent::ApplicationPurged { at: at_min(2) });
    history
}

/// One instance of every command but `Create`, acting as `actor`, each valid for a live HOTP
/// application that is not trashed (`Restore` excepted).
fn every_non_create_command(actor: Uuid) -> Vec<ApplicationCommand> {
    vec![
        ApplicationCommand::Rename { actor, issuer: "GitLab".into(), label: "bob".into() },
        ApplicationCommand::ReplaceSecret { actor, secret: other_sealed() },
        ApplicationCommand::ChangeOtpParameters { actor, otp: hotp(9) },
        ApplicationCommand::ChangeMetadata { actor, metadata: Metadata { color: Some("#000000".into()), ..Metadata::default() } },
        ApplicationCommand::ChangeTags { actor, tags: tags(&["new"]) },
        ApplicationCommand::SetFavorite { actor, favorite: true },
        ApplicationCommand::Move { actor, position: 3 },
        ApplicationCommand::AdvanceHotpCounter { actor },
        ApplicationCommand::Trash { actor, at: at_min(5) },
        ApplicationCommand::Restore { actor },
        ApplicationCommand::Purge { actor, at: at_min(5) },
    ]
}

// ---------------------------------------------------------------------------------------------
// Ownership and existence
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn another_users_id_gets_not_found_on_every_command() {
    for command in every_non_create_command(STRANGER) {
        let result = run(app(hotp(0)), command.clone()).await;
        assert_eq!(result, Err(ApplicationError::NotFound), "{command:?}");
        let result = run(trashed(app(hotp(0))), command.clone()).await;
        assert_eq!(result, Err(ApplicationError::NotFound), "trashed: {command:?}");
    }
}

#[tokio::test]
async fn every_command_on_an_unknown_application_is_not_found() {
    for command in every_non_create_command(OWNER) {
        let result = run(vec![], command.clone()).await;
        assert_eq!(result, Err(ApplicationError::NotFound), "{command:?}");
    }
}

#[tokio::test]
async fn every_command_on_a_purged_application_is_not_found() {
    for command in every_non_create_command(OWNER) {
        let result = run(purged(app(hotp(0))), command.clone()).await;
        assert_eq!(result, Err(ApplicationError::NotFound), "{command:?}");
        let result = run(purged(trashed(app(hotp(0)))), command.clone()).await;
        assert_eq!(result, Err(ApplicationError::NotFound), "purged from trash: {command:?}");
    }
}

#[tokio::test]
async fn every_sample_command_is_accepted_for_the_owner() {
    // Guards the three tests above: each sample is refused only for the stated reason.
    for command in every_non_create_command(OWNER) {
        let history = if matches!(command, ApplicationCommand::Restore { .. }) { trashed(app(hotp(0))) } else { app(hotp(0)) };
        let result = run(history, command.clone()).await;
        assert!(matches!(&result, Ok(events) if events.len() == 1), "{command:?}: {result:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Create
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_records_the_application() {
    given(vec![]).when_async(New::default().cmd()).await.then_expect_events(vec![New::default().event()]);
}

#[tokio::test]
async fn create_records_every_field_as_given_when_already_clean() {
    let new = || New {
        issuer: "Steam".into(),
        label: "gaben".into(),
        otp: steam(),
        tags: tags(&["games"]),
        favorite: true,
        metadata: Metadata {
            notes: Some(other_sealed()),
            url: Some("https://store.steampowered.com".into()),
            icon: Some("steam".into()),
            color: Some("#171a21".into()),
        },
        position: -4,
        source: CreationSource::Qr,
        ..New::default()
    };
    given(vec![]).when_async(new().cmd()).await.then_expect_events(vec![new().event()]);
}

#[tokio::test]
async fn create_cleans_names_tags_and_metadata() {
    let command = New {
        issuer: "  GitHub  ".into(),
        label: "\talice@example.com ".into(),
        tags: tags(&[" work ", "Work", "", "personal", "WORK", "   ", "Personal "]),
        metadata: Metadata {
            notes: Some(sealed()),
            url: Some("  https://github.com/login ".into()),
            icon: Some(" github ".into()),
            color: Some(" #1A2B3C ".into()),
        },
        source: CreationSource::Uri,
        ..New::default()
    }
    .cmd();
    given(vec![]).when_async(command).await.then_expect_events(vec![
        New {
            tags: tags(&["work", "personal"]),
            metadata: Metadata {
                notes: Some(sealed()),
                url: Some("https://github.com/login".into()),
                icon: Some("github".into()),
                color: Some("#1a2b3c".into()),
            },
            source: CreationSource::Uri,
            ..New::default()
        }
        .event(),
    ]);
}

#[tokio::test]
async fn create_turns_blank_metadata_into_none() {
    let command =
        New { metadata: Metadata { notes: None, url: Some("   ".into()), icon: Some(String::new()), color: Some(" ".into()) }, ..New::default() }
            .cmd();
    given(vec![]).when_async(command).await.then_expect_events(vec![New::default().event()]);
}

#[tokio::test]
async fn create_with_only_an_issuer_or_only_a_label_is_accepted() {
    given(vec![])
        .when_async(New { label: "  ".into(), ..New::default() }.cmd())
        .await
        .then_expect_events(vec![New { label: String::new(), ..New::default() }.event()]);
    given(vec![])
        .when_async(New { issuer: String::new(), ..New::default() }.cmd())
        .await
        .then_expect_events(vec![New { issuer: String::new(), ..New::default() }.event()]);
}

#[tokio::test]
async fn create_with_both_issuer_and_label_empty_is_refused() {
    given(vec![])
        .when_async(New { issuer: "   ".into(), label: "\t".into(), ..New::default() }.cmd())
        .await
        .then_expect_error(ApplicationError::NameRequired);
}

#[tokio::test]
async fn create_accepts_names_of_exactly_255_characters() {
    let name = "ß".repeat(255);
    given(vec![])
        .when_async(New { issuer: name.clone(), label: name.clone(), ..New::default() }.cmd())
        .await
        .then_expect_events(vec![New { issuer: name.clone(), label: name, ..New::default() }.event()]);
}

#[tokio::test]
async fn create_with_a_too_long_or_control_character_name_is_refused() {
    let cases = [
        (New { issuer: "x".repeat(256), ..New::default() }, "issuer"),
        (New { issuer: "Git\u{7}Hub".into(), ..New::default() }, "issuer"),
        (New { label: "y".repeat(256), ..New::default() }, "label"),
        (New { label: "alice\nbob".into(), ..New::default() }, "label"),
    ];
    for (new, field) in cases {
        assert_eq!(run(vec![], new.cmd()).await, Err(invalid(field, NAME_MSG)), "{field}");
    }
}

#[tokio::test]
async fn create_accepts_6_7_and_8_digits_for_totp_and_hotp() {
    for otp_type in [OtpType::Totp, OtpType::Hotp] {
        for digits in [6, 7, 8] {
            let otp = OtpParams { otp_type, digits, ..totp() };
            given(vec![]).when_async(New { otp, ..New::default() }.cmd()).await.then_expect_events(vec![New { otp, ..New::default() }.event()]);
        }
    }
}

#[tokio::test]
async fn create_with_invalid_digits_is_refused() {
    for otp_type in [OtpType::Totp, OtpType::Hotp] {
        for digits in [0, 5, 9, 10] {
            let otp = OtpParams { otp_type, digits, ..totp() };
            assert_eq!(run(vec![], New { otp, ..New::default() }.cmd()).await, Err(invalid("digits", DIGITS_MSG)), "{otp:?}");
        }
    }
}

#[tokio::test]
async fn create_accepts_periods_from_1_to_300_seconds() {
    for period in [1, 30, 60, 300] {
        let otp = OtpParams { period, ..totp() };
        given(vec![]).when_async(New { otp, ..New::default() }.cmd()).await.then_expect_events(vec![New { otp, ..New::default() }.event()]);
    }
}

#[tokio::test]
async fn create_with_a_period_out_of_range_is_refused_for_time_based_codes() {
    for base in [totp(), steam()] {
        for period in [0, 301] {
            let otp = OtpParams { period, ..base };
            assert_eq!(run(vec![], New { otp, ..New::default() }.cmd()).await, Err(invalid("period", PERIOD_MSG)), "{otp:?}");
        }
    }
}

#[tokio::test]
async fn hotp_keeps_a_period_in_range_though_it_does_not_use_it() {
    // One rule for the field whatever the type, as the API document states it.
    let otp = OtpParams { period: 0, counter: 42, ..hotp(0) };
    assert_eq!(run(vec![], New { otp, ..New::default() }.cmd()).await, Err(invalid("period", PERIOD_MSG)));
    let otp = OtpParams { period: 60, counter: 42, ..hotp(0) };
    given(vec![]).when_async(New { otp, ..New::default() }.cmd()).await.then_expect_events(vec![New { otp, ..New::default() }.event()]);
}

#[tokio::test]
async fn totp_may_use_sha256_or_sha512() {
    for algorithm in [Algorithm::Sha256, Algorithm::Sha512] {
        let otp = OtpParams { algorithm, digits: 8, ..totp() };
        given(vec![]).when_async(New { otp, ..New::default() }.cmd()).await.then_expect_events(vec![New { otp, ..New::default() }.event()]);
    }
}

#[tokio::test]
async fn steam_requires_5_digits() {
    for digits in [6, 4] {
        let otp = OtpParams { digits, ..steam() };
        assert_eq!(run(vec![], New { otp, ..New::default() }.cmd()).await, Err(ApplicationError::SteamParametersFixed { field: "digits", message: "Steam codes have 5 characters" }), "{digits}");
    }
}

#[tokio::test]
async fn steam_requires_sha1() {
    let otp = OtpParams { algorithm: Algorithm::Sha256, ..steam() };
    given(vec![]).when_async(New { otp, ..New::default() }.cmd()).await.then_expect_error(ApplicationError::SteamParametersFixed { field: "algorithm", message: "Steam codes use SHA1" });
}

#[tokio::test]
async fn five_digits_are_only_for_steam() {
    let otp = OtpParams { digits: 5, ..totp() };
    given(vec![]).when_async(New { otp, ..New::default() }.cmd()).await.then_expect_error(invalid("digits", DIGITS_MSG));
}

#[tokio::test]
async fn create_accepts_32_tags_after_deduplication_and_tags_of_64_characters() {
    let mut many: Vec<String> = (0..32).map(|i| format!("tag{i}")).collect();
    many.push("TAG0".into()); // a case-insensitive duplicate: still 32 tags
    many.push("x".repeat(64).to_uppercase());
    many.push("x".repeat(64));
    let mut expected: Vec<String> = (0..32).map(|i| format!("tag{i}")).collect();
    // 33 unique values would be refused; drop one so the long tag fits.
    many.remove(31);
    expected.remove(31);
    expected.push("X".repeat(64));
    given(vec![])
        .when_async(New { tags: many, ..New::default() }.cmd())
        .await
        .then_expect_events(vec![New { tags: expected, ..New::default() }.event()]);
}

#[tokio::test]
async fn create_with_more_than_32_distinct_tags_is_refused() {
    let many: Vec<String> = (0..33).map(|i| format!("tag{i}")).collect();
    given(vec![]).when_async(New { tags: many, ..New::default() }.cmd()).await.then_expect_error(invalid("tags", TAG_COUNT_MSG));
}

#[tokio::test]
async fn create_with_a_too_long_or_control_character_tag_is_refused() {
    for tag in ["t".repeat(65), "bad\u{1b}tag".to_owned()] {
        let result = run(vec![], New { tags: vec!["ok".into(), tag.clone()], ..New::default() }.cmd()).await;
        assert_eq!(result, Err(invalid("tags", TAG_MSG)), "{tag:?}");
    }
}

#[tokio::test]
async fn create_accepts_http_and_https_urls_in_any_case() {
    for url in ["http://intranet.example/login", "HTTPS://Example.com/Path?q=1"] {
        let metadata = Metadata { url: Some(url.into()), ..Metadata::default() };
        given(vec![])
            .when_async(New { metadata: metadata.clone(), ..New::default() }.cmd())
            .await
            .then_expect_events(vec![New { metadata, ..New::default() }.event()]);
    }
}

#[tokio::test]
async fn create_with_a_bad_url_is_refused() {
    let too_long = format!("https://example.com/{}", "a".repeat(2030));
    for url in ["ftp://example.com", "javascript:alert(1)", "example.com", "https://exa mple.com", "https://example.com/\u{0}", too_long.as_str()] {
        let metadata = Metadata { url: Some(url.into()), ..Metadata::default() };
        assert_eq!(run(vec![], New { metadata, ..New::default() }.cmd()).await, Err(invalid("url", URL_MSG)), "{url:?}");
    }
}

#[tokio::test]
async fn create_accepts_a_url_of_exactly_2048_characters() {
    let url = format!("https://example.com/{}", "a".repeat(2048 - 20));
    assert_eq!(url.len(), 2048);
    let metadata = Metadata { url: Some(url), ..Metadata::default() };
    given(vec![])
        .when_async(New { metadata: metadata.clone(), ..New::default() }.cmd())
        .await
        .then_expect_events(vec![New { metadata, ..New::default() }.event()]);
}

#[tokio::test]
async fn create_with_a_bad_icon_is_refused() {
    let too_long = "i".repeat(65);
    for icon in ["git hub", "../etc/passwd", "<svg>", "ícone", too_long.as_str()] {
        let metadata = Metadata { icon: Some(icon.into()), ..Metadata::default() };
        assert_eq!(run(vec![], New { metadata, ..New::default() }.cmd()).await, Err(invalid("icon", ICON_MSG)), "{icon:?}");
    }
}

#[tokio::test]
async fn create_accepts_icon_slugs() {
    for icon in ["github", "Microsoft_365", "proton.me", "a-b", &"i".repeat(64)] {
        let metadata = Metadata { icon: Some(icon.to_owned()), ..Metadata::default() };
        given(vec![])
            .when_async(New { metadata: metadata.clone(), ..New::default() }.cmd())
            .await
            .then_expect_events(vec![New { metadata, ..New::default() }.event()]);
    }
}

#[tokio::test]
async fn create_with_a_bad_colour_is_refused() {
    for color in ["1a2b3c", "#1a2b3", "#1a2b3c4", "#ghijkl", "red", "#", "rgb(1,2,3)"] {
        let metadata = Metadata { color: Some(color.into()), ..Metadata::default() };
        assert_eq!(run(vec![], New { metadata, ..New::default() }.cmd()).await, Err(invalid("color", COLOR_MSG)), "{color:?}");
    }
}

#[tokio::test]
async fn create_on_an_existing_application_is_refused() {
    given(app(totp())).when_async(New::default().cmd()).await.then_expect_error(ApplicationError::AlreadyExists);
}

#[tokio::test]
async fn create_on_a_purged_application_id_is_refused() {
    given(purged(app(totp()))).when_async(New::default().cmd()).await.then_expect_error(ApplicationError::AlreadyExists);
}

// ---------------------------------------------------------------------------------------------
// Rename
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn rename_records_trimmed_issuer_and_label() {
    given(app(totp()))
        .when_async(ApplicationCommand::Rename { actor: OWNER, issuer: " GitLab ".into(), label: " bob ".into() })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationRenamed { issuer: "GitLab".into(), label: "bob".into() }]);
}

#[tokio::test]
async fn rename_may_clear_one_of_issuer_and_label() {
    given(app(totp()))
        .when_async(ApplicationCommand::Rename { actor: OWNER, issuer: "GitHub".into(), label: " ".into() })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationRenamed { issuer: "GitHub".into(), label: String::new() }]);
}

#[tokio::test]
async fn rename_works_in_the_trash() {
    given(trashed(app(totp())))
        .when_async(ApplicationCommand::Rename { actor: OWNER, issuer: "X".into(), label: "Y".into() })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationRenamed { issuer: "X".into(), label: "Y".into() }]);
}

#[tokio::test]
async fn rename_to_the_same_names_records_nothing() {
    given(app(totp()))
        .when_async(ApplicationCommand::Rename { actor: OWNER, issuer: "  GitHub".into(), label: "alice@example.com  ".into() })
        .await
        .then_expect_events(vec![]);
}

#[tokio::test]
async fn rename_with_both_names_empty_is_refused() {
    given(app(totp()))
        .when_async(ApplicationCommand::Rename { actor: OWNER, issuer: String::new(), label: "  ".into() })
        .await
        .then_expect_error(ApplicationError::NameRequired);
}

#[tokio::test]
async fn rename_with_a_too_long_issuer_is_refused() {
    given(app(totp()))
        .when_async(ApplicationCommand::Rename { actor: OWNER, issuer: "i".repeat(256), label: "ok".into() })
        .await
        .then_expect_error(invalid("issuer", NAME_MSG));
}

// ---------------------------------------------------------------------------------------------
// ReplaceSecret
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn replace_secret_records_the_new_sealed_secret() {
    given(app(totp()))
        .when_async(ApplicationCommand::ReplaceSecret { actor: OWNER, secret: other_sealed() })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationSecretReplaced { secret: other_sealed() }]);
}

#[tokio::test]
async fn replace_secret_with_the_same_secret_records_nothing() {
    given(app(totp())).when_async(ApplicationCommand::ReplaceSecret { actor: OWNER, secret: sealed() }).await.then_expect_events(vec![]);
}

#[tokio::test]
async fn replace_secret_by_another_user_is_not_found() {
    given(app(totp()))
        .when_async(ApplicationCommand::ReplaceSecret { actor: STRANGER, secret: other_sealed() })
        .await
        .then_expect_error(ApplicationError::NotFound);
}

// ---------------------------------------------------------------------------------------------
// ChangeOtpParameters
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn change_otp_parameters_records_them() {
    let otp = OtpParams { algorithm: Algorithm::Sha512, digits: 8, period: 60, ..totp() };
    given(app(totp()))
        .when_async(ApplicationCommand::ChangeOtpParameters { actor: OWNER, otp })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationOtpParametersChanged { otp }]);
}

#[tokio::test]
async fn change_otp_parameters_from_totp_to_steam() {
    given(app(totp()))
        .when_async(ApplicationCommand::ChangeOtpParameters { actor: OWNER, otp: steam() })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationOtpParametersChanged { otp: steam() }]);
}

#[tokio::test]
async fn change_otp_parameters_to_the_same_records_nothing() {
    given(app(totp())).when_async(ApplicationCommand::ChangeOtpParameters { actor: OWNER, otp: totp() }).await.then_expect_events(vec![]);
}

#[tokio::test]
async fn change_otp_parameters_to_invalid_values_is_refused() {
    let cases = [
        (OtpParams { digits: 9, ..totp() }, invalid("digits", DIGITS_MSG)),
        (OtpParams { period: 0, ..totp() }, invalid("period", PERIOD_MSG)),
        (OtpParams { digits: 6, ..steam() }, ApplicationError::SteamParametersFixed { field: "digits", message: "Steam codes have 5 characters" }),
        (OtpParams { algorithm: Algorithm::Sha512, ..steam() }, ApplicationError::SteamParametersFixed { field: "algorithm", message: "Steam codes use SHA1" }),
    ];
    for (otp, error) in cases {
        assert_eq!(run(app(totp()), ApplicationCommand::ChangeOtpParameters { actor: OWNER, otp }).await, Err(error), "{otp:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// ChangeMetadata
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn change_metadata_records_the_cleaned_fields() {
    given(app(totp()))
        .when_async(ApplicationCommand::ChangeMetadata {
            actor: OWNER,
            metadata: Metadata {
                notes: Some(other_sealed()),
                url: Some(" http://x.example ".into()),
                icon: Some("x".into()),
                color: Some("#ABCDEF".into()),
            },
        })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationMetadataChanged {
            metadata: Metadata {
                notes: Some(other_sealed()),
                url: Some("http://x.example".into()),
                icon: Some("x".into()),
                color: Some("#abcdef".into()),
            },
        }]);
}

#[tokio::test]
async fn change_metadata_can_clear_every_field() {
    given(rich_app())
        .when_async(ApplicationCommand::ChangeMetadata {
            actor: OWNER,
            metadata: Metadata { notes: None, url: Some(String::new()), icon: None, color: Some("  ".into()) },
        })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationMetadataChanged { metadata: Metadata::default() }]);
}

#[tokio::test]
async fn change_metadata_equal_after_cleaning_records_nothing() {
    given(rich_app())
        .when_async(ApplicationCommand::ChangeMetadata {
            actor: OWNER,
            metadata: Metadata {
                notes: Some(sealed()),
                url: Some(" https://github.com ".into()),
                icon: Some("github ".into()),
                color: Some("#1A2B3C".into()),
            },
        })
        .await
        .then_expect_events(vec![]);
}

#[tokio::test]
async fn change_metadata_with_a_bad_field_is_refused() {
    let cases = [
        (Metadata { url: Some("mailto:a@b.c".into()), ..Metadata::default() }, invalid("url", URL_MSG)),
        (Metadata { icon: Some("a/b".into()), ..Metadata::default() }, invalid("icon", ICON_MSG)),
        (Metadata { color: Some("#12345g".into()), ..Metadata::default() }, invalid("color", COLOR_MSG)),
    ];
    for (metadata, error) in cases {
        let result = run(rich_app(), ApplicationCommand::ChangeMetadata { actor: OWNER, metadata: metadata.clone() }).await;
        assert_eq!(result, Err(error), "{metadata:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// ChangeTags
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn change_tags_records_trimmed_case_insensitively_deduplicated_tags() {
    given(app(totp()))
        .when_async(ApplicationCommand::ChangeTags { actor: OWNER, tags: tags(&[" Work", "work ", "", "Home", "HOME", "work"]) })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationTagsChanged { tags: tags(&["Work", "Home"]) }]);
}

#[tokio::test]
async fn change_tags_to_the_same_set_after_cleaning_records_nothing() {
    given(rich_app())
        .when_async(ApplicationCommand::ChangeTags { actor: OWNER, tags: tags(&["work", " WORK ", "git", ""]) })
        .await
        .then_expect_events(vec![]);
}

#[tokio::test]
async fn change_tags_in_another_order_is_a_change() {
    given(rich_app())
        .when_async(ApplicationCommand::ChangeTags { actor: OWNER, tags: tags(&["git", "work"]) })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationTagsChanged { tags: tags(&["git", "work"]) }]);
}

#[tokio::test]
async fn change_tags_to_none_clears_them() {
    given(rich_app())
        .when_async(ApplicationCommand::ChangeTags { actor: OWNER, tags: tags(&["  ", ""]) })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationTagsChanged { tags: vec![] }]);
}

#[tokio::test]
async fn change_tags_with_a_bad_tag_or_too_many_tags_is_refused() {
    assert_eq!(run(rich_app(), ApplicationCommand::ChangeTags { actor: OWNER, tags: vec!["t".repeat(65)] }).await, Err(invalid("tags", TAG_MSG)));
    let many: Vec<String> = (0..33).map(|i| format!("t{i}")).collect();
    assert_eq!(run(rich_app(), ApplicationCommand::ChangeTags { actor: OWNER, tags: many }).await, Err(invalid("tags", TAG_COUNT_MSG)));
}

// ---------------------------------------------------------------------------------------------
// SetFavorite / Move
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn favoriting_records_favorited() {
    given(app(totp()))
        .when_async(ApplicationCommand::SetFavorite { actor: OWNER, favorite: true })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationFavorited]);
}

#[tokio::test]
async fn unfavoriting_records_unfavorited() {
    given(rich_app())
        .when_async(ApplicationCommand::SetFavorite { actor: OWNER, favorite: false })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationUnfavorited]);
}

#[tokio::test]
async fn setting_the_current_favorite_flag_records_nothing() {
    given(app(totp())).when_async(ApplicationCommand::SetFavorite { actor: OWNER, favorite: false }).await.then_expect_events(vec![]);
    given(rich_app()).when_async(ApplicationCommand::SetFavorite { actor: OWNER, favorite: true }).await.then_expect_events(vec![]);
    let mut history = app(totp());
    history.extend([ApplicationEvent::ApplicationFavorited, ApplicationEvent::ApplicationUnfavorited]);
    given(history).when_async(ApplicationCommand::SetFavorite { actor: OWNER, favorite: false }).await.then_expect_events(vec![]);
}

#[tokio::test]
async fn set_favorite_by_another_user_is_not_found() {
    given(app(totp()))
        .when_async(ApplicationCommand::SetFavorite { actor: STRANGER, favorite: true })
        .await
        .then_expect_error(ApplicationError::NotFound);
}

#[tokio::test]
async fn move_records_the_new_position() {
    given(rich_app())
        .when_async(ApplicationCommand::Move { actor: OWNER, position: -1 })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationMoved { position: -1 }]);
}

#[tokio::test]
async fn move_to_the_current_position_records_nothing() {
    given(rich_app()).when_async(ApplicationCommand::Move { actor: OWNER, position: 7 }).await.then_expect_events(vec![]);
    let mut history = app(totp());
    history.push(ApplicationEvent::ApplicationMoved { position: 12 });
    given(history).when_async(ApplicationCommand::Move { actor: OWNER, position: 12 }).await.then_expect_events(vec![]);
}

#[tokio::test]
async fn move_by_another_user_is_not_found() {
    given(app(totp())).when_async(ApplicationCommand::Move { actor: STRANGER, position: 1 }).await.then_expect_error(ApplicationError::NotFound);
}

// ---------------------------------------------------------------------------------------------
// AdvanceHotpCounter
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn advancing_an_hotp_counter_steps_it_by_one() {
    given(app(hotp(5)))
        .when_async(ApplicationCommand::AdvanceHotpCounter { actor: OWNER })
        .await
        .then_expect_events(vec![ApplicationEvent::HotpCounterAdvanced { counter: 6 }]);
}

#[tokio::test]
async fn advancing_continues_from_the_last_advanced_value() {
    let mut history = app(hotp(0));
    history.extend([ApplicationEvent::HotpCounterAdvanced { counter: 1 }, ApplicationEvent::HotpCounterAdvanced { counter: 2 }]);
    given(history)
        .when_async(ApplicationCommand::AdvanceHotpCounter { actor: OWNER })
        .await
        .then_expect_events(vec![ApplicationEvent::HotpCounterAdvanced { counter: 3 }]);
}

#[tokio::test]
async fn advancing_continues_from_changed_otp_parameters() {
    let mut history = app(hotp(3));
    history.push(ApplicationEvent::ApplicationOtpParametersChanged { otp: hotp(100) });
    given(history)
        .when_async(ApplicationCommand::AdvanceHotpCounter { actor: OWNER })
        .await
        .then_expect_events(vec![ApplicationEvent::HotpCounterAdvanced { counter: 101 }]);
}

#[tokio::test]
async fn advancing_a_time_based_application_is_refused() {
    for otp in [totp(), steam()] {
        assert_eq!(run(app(otp), ApplicationCommand::AdvanceHotpCounter { actor: OWNER }).await, Err(ApplicationError::NotHotp), "{otp:?}");
    }
}

#[tokio::test]
async fn advancing_an_application_changed_from_hotp_to_totp_is_refused() {
    let mut history = app(hotp(3));
    history.push(ApplicationEvent::ApplicationOtpParametersChanged { otp: totp() });
    given(history).when_async(ApplicationCommand::AdvanceHotpCounter { actor: OWNER }).await.then_expect_error(ApplicationError::NotHotp);
}

#[tokio::test]
async fn advancing_a_trashed_hotp_application_is_refused() {
    given(trashed(app(hotp(5))))
        .when_async(ApplicationCommand::AdvanceHotpCounter { actor: OWNER })
        .await
        .then_expect_error(ApplicationError::Trashed);
}

#[tokio::test]
async fn advancing_an_exhausted_counter_is_refused() {
    given(app(hotp(aggregates::application::MAX_COUNTER)))
        .when_async(ApplicationCommand::AdvanceHotpCounter { actor: OWNER })
        .await
        .then_expect_error(ApplicationError::CounterExhausted);
}

#[tokio::test]
async fn advancing_to_the_last_counter_value_is_accepted() {
    given(app(hotp(aggregates::application::MAX_COUNTER - 1)))
        .when_async(ApplicationCommand::AdvanceHotpCounter { actor: OWNER })
        .await
        .then_expect_events(vec![ApplicationEvent::HotpCounterAdvanced { counter: aggregates::application::MAX_COUNTER }]);
}

#[tokio::test]
async fn creating_with_a_counter_beyond_the_storable_range_is_refused() {
    let mut otp = hotp(0);
    otp.counter = aggregates::application::MAX_COUNTER + 1;
    assert_eq!(otp.validate(), Err(ApplicationError::InvalidField { field: "counter", message: "must be at most 9223372036854775807" }));
}

#[tokio::test]
async fn advancing_someone_elses_hotp_application_is_not_found() {
    given(app(hotp(5))).when_async(ApplicationCommand::AdvanceHotpCounter { actor: STRANGER }).await.then_expect_error(ApplicationError::NotFound);
}

// ---------------------------------------------------------------------------------------------
// Trash / Restore / Purge
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn trashing_records_when() {
    given(app(totp()))
        .when_async(ApplicationCommand::Trash { actor: OWNER, at: at_min(9) })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationTrashed { at: at_min(9) }]);
}

#[tokio::test]
async fn trashing_a_trashed_application_is_refused() {
    given(trashed(app(totp())))
        .when_async(ApplicationCommand::Trash { actor: OWNER, at: at_min(9) })
        .await
        .then_expect_error(ApplicationError::Trashed);
}

#[tokio::test]
async fn restoring_a_trashed_application_is_recorded() {
    given(trashed(app(totp())))
        .when_async(ApplicationCommand::Restore { actor: OWNER })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationRestored]);
}

#[tokio::test]
async fn restoring_an_application_not_in_the_trash_is_refused() {
    given(app(totp())).when_async(ApplicationCommand::Restore { actor: OWNER }).await.then_expect_error(ApplicationError::NotTrashed);
    let mut history = trashed(app(totp()));
    history.push(ApplicationEvent::ApplicationRestored);
    given(history).when_async(ApplicationCommand::Restore { actor: OWNER }).await.then_expect_error(ApplicationError::NotTrashed);
}

#[tokio::test]
async fn a_restored_application_can_be_trashed_again_and_advanced() {
    let mut history = trashed(app(hotp(1)));
    history.push(ApplicationEvent::ApplicationRestored);
    given(history.clone())
        .when_async(ApplicationCommand::Trash { actor: OWNER, at: at_min(3) })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationTrashed { at: at_min(3) }]);
    given(history)
        .when_async(ApplicationCommand::AdvanceHotpCounter { actor: OWNER })
        .await
        .then_expect_events(vec![ApplicationEvent::HotpCounterAdvanced { counter: 2 }]);
}

#[tokio::test]
async fn purging_a_trashed_application_is_recorded() {
    given(trashed(app(totp())))
        .when_async(ApplicationCommand::Purge { actor: OWNER, at: at_min(30) })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationPurged { at: at_min(30) }]);
}

#[tokio::test]
async fn purging_an_application_outside_the_trash_is_recorded() {
    // Current rule: purge does not require a trip through the trash.
    given(app(totp()))
        .when_async(ApplicationCommand::Purge { actor: OWNER, at: at_min(30) })
        .await
        .then_expect_events(vec![ApplicationEvent::ApplicationPurged { at: at_min(30) }]);
}

#[tokio::test]
async fn purging_twice_is_not_found() {
    given(purged(trashed(app(totp()))))
        .when_async(ApplicationCommand::Purge { actor: OWNER, at: at_min(31) })
        .await
        .then_expect_error(ApplicationError::NotFound);
}

#[tokio::test]
async fn purging_someone_elses_application_is_not_found() {
    given(trashed(app(totp())))
        .when_async(ApplicationCommand::Purge { actor: STRANGER, at: at_min(30) })
        .await
        .then_expect_error(ApplicationError::NotFound);
}

#[tokio::test]
async fn trash_restore_purge_lifecycle_driven_by_commands() {
    let mut history = app(hotp(0));
    let commands = [
        (ApplicationCommand::Trash { actor: OWNER, at: at_min(1) }, vec![ApplicationEvent::ApplicationTrashed { at: at_min(1) }]),
        (ApplicationCommand::Restore { actor: OWNER }, vec![ApplicationEvent::ApplicationRestored]),
        (ApplicationCommand::AdvanceHotpCounter { actor: OWNER }, vec![ApplicationEvent::HotpCounterAdvanced { counter: 1 }]),
        (ApplicationCommand::Trash { actor: OWNER, at: at_min(2) }, vec![ApplicationEvent::ApplicationTrashed { at: at_min(2) }]),
        (ApplicationCommand::Purge { actor: OWNER, at: at_min(3) }, vec![ApplicationEvent::ApplicationPurged { at: at_min(3) }]),
    ];
    for (command, expected) in commands {
        let events = run(history.clone(), command.clone()).await;
        assert_eq!(events.as_ref(), Ok(&expected), "{command:?}");
        history.extend(expected);
    }
    assert_eq!(run(history, ApplicationCommand::Restore { actor: OWNER }).await, Err(ApplicationError::NotFound));
}

// ---------------------------------------------------------------------------------------------
// Error metadata used by the HTTP layer
// ---------------------------------------------------------------------------------------------

#[test]
fn application_errors_expose_code_field_and_kind() {
    let cases = [
        (ApplicationError::NotFound, "application_not_found", None, ErrorKind::NotFound),
        (ApplicationError::AlreadyExists, "application_exists", None, ErrorKind::Conflict),
        (invalid("color", COLOR_MSG), "invalid_field", Some("color"), ErrorKind::Invalid),
        (ApplicationError::NotHotp, "not_hotp", None, ErrorKind::Conflict),
        (ApplicationError::CounterExhausted, "counter_exhausted", None, ErrorKind::Conflict),
        (ApplicationError::Trashed, "application_trashed", None, ErrorKind::Conflict),
        (ApplicationError::NotTrashed, "application_not_trashed", None, ErrorKind::Conflict),
    ];
    for (error, code, field, kind) in cases {
        assert_eq!((error.code(), error.field(), error.kind()), (code, field, kind), "{error:?}");
    }
}
