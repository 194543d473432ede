//! Cells: the one value type rows travel as, between the projections, the row cache and both
//! kinds of connection. A leaf module, so that the connection layer and the row cache can both
//! use it without depending on each other.

/// A cell value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum V {
    /// Text or NULL.
    T(Option<String>),
    /// Integer or NULL.
    I(Option<i64>),
}

/// A non-NULL text cell.
pub(crate) fn t(s: impl Into<String>) -> V {
    V::T(Some(s.into()))
}

/// A NULL cell (NULL needs no type on either backend).
pub(crate) const NULL: V = V::T(None);
