//! Bluesky text rules: the `app.bsky.feed.post` lexicon allows 300 graphemes and 3,000 UTF-8
//! bytes of text (`maxGraphemes`, `maxLength`); links count in full. Facets (links, mentions,
//! hashtags, cashtags) are detected as @atproto/api's `RichText` does, with UTF-8 byte offsets.

pub mod facets;

use unicode_segmentation::UnicodeSegmentation;

pub use facets::{Facet, detect_facets, is_valid_domain, visible};

pub(crate) use facets::is_js_space;

use super::{Check, Entity, Network, Problem};

/// `maxGraphemes` of the post text.
pub const MAX_GRAPHEMES: usize = 300;
/// `maxLength` of the post text, in UTF-8 bytes.
pub const MAX_BYTES: usize = 3000;

pub fn check(text: &str) -> Check {
    let mut problems = Vec::new();
    let mut graphemes = 0;
    // Byte offsets where the 301st grapheme starts and where the first grapheme that ends past
    // byte 3,000 starts: where the text stops fitting.
    let mut over_graphemes = None;
    let mut over_bytes = None;
    for (start, g) in text.grapheme_indices(true) {
        graphemes += 1;
        if graphemes == MAX_GRAPHEMES + 1 {
            over_graphemes = Some(start);
        }
        if over_bytes.is_none() && start + g.len() > MAX_BYTES {
            over_bytes = Some(start);
        }
    }
    if text.trim().is_empty() {
        problems.push(Problem {
            code: "empty".into(),
            message: "The post has no text. Write something (a post with only an image is \
                      possible, but Herald checks the text here)."
                .into(),
            start: 0,
            end: 0,
        });
    }
    if let Some(start) = over_graphemes {
        let over = graphemes - MAX_GRAPHEMES;
        problems.push(Problem {
            code: "too_long".into(),
            message: format!(
                "Bluesky allows {MAX_GRAPHEMES} characters and this post has {graphemes}: \
                 remove {over}, or split the post into a thread."
            ),
            start,
            end: text.len(),
        });
    }
    if let Some(start) = over_bytes {
        problems.push(Problem {
            code: "too_many_bytes".into(),
            message: format!(
                "Bluesky allows {MAX_BYTES} bytes of text and this post takes {} (accented \
                 letters, other scripts and emoji take several bytes each): shorten it, or \
                 split the post into a thread.",
                text.len()
            ),
            start,
            end: text.len(),
        });
    }
    let found = detect_facets(text);
    let entities = visible(text, &found)
        .into_iter()
        .map(|f| Entity {
            kind: f.kind,
            text: text[f.start..f.end].to_string(),
            start: f.start,
            end: f.end,
        })
        .collect();
    Check {
        network: Network::Bluesky,
        length: graphemes,
        limit: MAX_GRAPHEMES,
        valid: problems.is_empty(),
        entities,
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::EntityKind;

    #[test]
    fn counts_graphemes_not_bytes() {
        let family = "👨‍👩‍👧‍👧";
        assert_eq!(family.len(), 25);
        let c = check(family);
        assert_eq!(c.length, 1);
        assert!(c.valid);
    }

    #[test]
    fn three_hundred_graphemes_fit_and_one_more_does_not() {
        let ok = "é".repeat(300);
        assert!(check(&ok).valid);
        let long = format!("{ok}x");
        let c = check(&long);
        assert!(!c.valid);
        assert_eq!(c.problems[0].code, "too_long");
        assert_eq!(c.problems[0].start, ok.len());
        assert_eq!(c.problems[0].end, long.len());
    }

    #[test]
    fn bytes_are_limited_too() {
        // 300 graphemes of 11 bytes: fits the grapheme limit, not the byte limit.
        let text = "e\u{301}\u{301}\u{301}\u{301}\u{301}".repeat(300);
        let c = check(&text);
        assert_eq!(c.length, 300);
        let codes: Vec<_> = c.problems.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, ["too_many_bytes"]);
        assert!(c.problems[0].start <= MAX_BYTES);
        assert!(text.is_char_boundary(c.problems[0].start));
    }

    #[test]
    fn empty_and_blank_text() {
        assert_eq!(check("").problems[0].code, "empty");
        assert_eq!(check(" \n ").problems[0].code, "empty");
    }

    #[test]
    fn links_count_in_full() {
        let url = format!("https://example.com/{}", "a".repeat(281));
        let c = check(&url);
        assert_eq!(c.length, url.len());
        assert!(!c.valid);
        assert_eq!(c.entities[0].kind, EntityKind::Url);
    }

    #[test]
    fn entities_are_exact_slices() {
        let text = "ça #été @bob.test ＃tag";
        for e in check(text).entities {
            assert_eq!(&text[e.start..e.end], e.text);
        }
    }
}
