//! A post is what the author means; it has one variant per selected channel. Variants follow
//! the post's text until someone detaches one and edits it for that network.

pub mod capabilities;
pub mod credit;
pub mod options;
pub mod state;

pub use capabilities::Capabilities;
pub use options::VariantOptions;
pub use state::{PostState, VariantState};

use super::Validation;
use super::validation::clean_text;

/// Longer than any network allows: the composer explains each network's own limit.
pub const MAX_TEXT_CHARS: usize = 70_000;
pub const MAX_PARTS: usize = 50;
pub const MAX_NOTES_CHARS: usize = 10_000;

/// Cleans a post's text: line endings normalised, control characters refused.
pub fn clean_post_text(v: &mut Validation, field: &str, raw: &str) -> String {
    clean_text(v, field, raw, MAX_TEXT_CHARS)
}

/// Cleans the parts of a thread: each part cleaned, empty parts dropped, at most `MAX_PARTS`.
pub fn clean_parts(v: &mut Validation, field: &str, raw: &[String]) -> Vec<String> {
    if raw.len() > MAX_PARTS {
        v.add(field, format!("a thread has at most {MAX_PARTS} parts"));
    }
    raw.iter()
        .enumerate()
        .map(|(i, part)| clean_post_text(v, &format!("{field}[{i}]"), part))
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_cleaned_and_bounded() {
        let mut v = Validation::new();
        let parts = clean_parts(
            &mut v,
            "parts",
            &["One.\r\n".into(), "  ".into(), "Two.".into()],
        );
        assert_eq!(parts, ["One.", "Two."]);
        assert!(v.finish().is_ok());
        let mut v = Validation::new();
        clean_parts(&mut v, "parts", &vec!["x".to_owned(); MAX_PARTS + 1]);
        clean_parts(&mut v, "parts", &["a\u{7}b".to_owned()]);
        let errors = v.finish().unwrap_err();
        assert_eq!(errors[0].field, "parts");
        assert_eq!(errors[1].field, "parts[0]");
    }
}
