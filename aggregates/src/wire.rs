//! Wire names of the domain's enums: the text that read models store and the API sends.
//!
//! Each enum lists its `Variant => "name"` pairs once, in `wire_names!`; the names must equal
//! what serde already writes into stored events, which the `wire_names` test checks for every
//! value. The serde attributes stay the source of truth for events: changing them would stop old
//! event rows from decoding.

/// Text that names no value of an enum. Parsing never falls back to a default, so a typo in a
/// read model or a request surfaces instead of silently becoming, say, `Role::User`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}")]
pub struct UnknownValue {
    /// The enum's type name, e.g. `Role`.
    pub kind: &'static str,
    /// The text as given, untrimmed.
    pub value: String,
}

/// Gives an enum `as_str`, `FromStr`, `Display` and `ALL` from one list of `Variant => "name"`
/// pairs. `as_str` matches exhaustively, so a variant missing from the list does not compile.
macro_rules! wire_names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: [Self; [$($name),+].len()] = [$(Self::$variant),+];

            /// The wire name: the same text serde writes, so read models and API agree with events.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)+
                }
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::wire::UnknownValue;

            /// Exact, case-sensitive match on the wire name.
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                match text {
                    $($name => Ok(Self::$variant),)+
                    _ => Err($crate::wire::UnknownValue { kind: stringify!($ty), value: text.to_owned() }),
                }
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use wire_names;
