//! Static assets embedded in the binary: the stylesheet (our own, no framework, no web font — the
//! system's CJK fonts are named in the font stack). The server serves [`CSS`] at [`CSS_PATH`].

/// The stylesheet for screen, phone width and print.
pub const CSS: &str = include_str!("../assets/ecociv.css");

/// Where pages link the stylesheet from.
pub const CSS_PATH: &str = crate::layout::urls::paths::STYLESHEET;
