//! Threads text rules. Meta documents two: "Text posts are limited to 500 characters" and
//! "Emojis are counted as the number of UTF-8 bytes" (platforms.md, Threads [T3]); and, for
//! posts made through the API, that a text with more than 5 links fails with
//! `THREADS_API__LINK_LIMIT_EXCEEDED`, counting every distinct URL of the text (Threads API
//! documentation, "Text attachments", since 22 December 2025).
//!
//! How Herald counts: an emoji (a grapheme cluster holding an emoji character, a keycap or a
//! flag) counts the UTF-8 bytes of the whole cluster: 4 for 😀, 8 for 👍🏽 or 🇫🇷, 25 for
//! 👨‍👩‍👧‍👧 (its joiners are part of the emoji). Anything else counts 1 per Unicode scalar
//! value. Why scalar values and not graphemes: Meta's note only makes sense for a counter that
//! works on encoded characters (a grapheme counter would count 👍🏽 as 1, not 8), so the server
//! counts code points with an exception for emoji; counting scalar values never counts less
//! than the server would (a letter with a separate accent counts 2), so a post Herald accepts
//! is not refused for length.
//!
//! Topic tags: Threads turns one `#tag` per post into its topic and leaves the others as text
//! (second-hand sources; the API does not document a refusal), so hashtags are read but not
//! capped.

use unicode_properties::UnicodeEmoji;
use unicode_segmentation::UnicodeSegmentation;

use super::meta::{empty_problem, extract};
use super::{Check, EntityKind, Network, Problem};

pub const MAX_LENGTH: usize = 500;
pub const MAX_LINKS: usize = 5;

/// Whether a grapheme cluster is an emoji: it holds a non-ASCII character with the Unicode
/// `Emoji` property (pictographs, flags' regional indicators, skin tones) or the keycap mark
/// U+20E3 (`1️⃣`, `#️⃣`). ASCII digits, `#` and `*` have the property too, but alone they are
/// text.
fn is_emoji(grapheme: &str) -> bool {
    grapheme
        .chars()
        .any(|c| c == '\u{20e3}' || (!c.is_ascii() && c.is_emoji_char()))
}

/// The length as Threads counts it, and the byte where it first exceeds `limit`.
pub fn threads_length(text: &str, limit: usize) -> (usize, Option<usize>) {
    let mut length = 0;
    let mut over_at = None;
    for (start, g) in text.grapheme_indices(true) {
        if is_emoji(g) {
            length += g.len();
            if length > limit && over_at.is_none() {
                over_at = Some(start);
            }
        } else {
            for (i, _) in g.char_indices() {
                length += 1;
                if length > limit && over_at.is_none() {
                    over_at = Some(start + i);
                }
            }
        }
    }
    (length, over_at)
}

pub fn check(text: &str) -> Check {
    let entities = extract(text);
    let mut problems = Vec::new();
    if text.trim().is_empty() {
        problems.push(empty_problem());
    }
    let (length, over_at) = threads_length(text, MAX_LENGTH);
    if let Some(start) = over_at {
        problems.push(Problem {
            code: "too_long".into(),
            message: format!(
                "Threads allows {MAX_LENGTH} characters and this post has {length} (each emoji \
                 counts its UTF-8 bytes, 4 or more): remove {}, or split the post into a thread.",
                length - MAX_LENGTH
            ),
            start,
            end: text.len(),
        });
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut first_over = None;
    for link in entities.iter().filter(|e| e.kind == EntityKind::Url) {
        if !seen.contains(&link.text.as_str()) {
            seen.push(&link.text);
            if seen.len() == MAX_LINKS + 1 {
                first_over = Some(link);
            }
        }
    }
    if let Some(link) = first_over {
        problems.push(Problem {
            code: "too_many_links".into(),
            message: format!(
                "Threads refuses posts with more than {MAX_LINKS} different links and this one \
                 has {}: remove {} (from {} on).",
                seen.len(),
                seen.len() - MAX_LINKS,
                link.text
            ),
            start: link.start,
            end: link.end,
        });
    }
    Check {
        network: Network::Threads,
        length,
        limit: MAX_LENGTH,
        valid: problems.is_empty(),
        entities,
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn length(text: &str) -> usize {
        check(text).length
    }

    #[test]
    fn emoji_count_their_utf8_bytes() {
        assert_eq!(length("a"), 1);
        assert_eq!(length("é"), 1);
        assert_eq!(length("e\u{301}"), 2);
        assert_eq!(length("日本"), 2);
        assert_eq!(length("😀"), 4);
        assert_eq!(length("👍🏽"), 8);
        assert_eq!(length("🇫🇷"), 8);
        assert_eq!(length("👨‍👩‍👧‍👧"), 25);
        assert_eq!(length("❤️"), 6);
        assert_eq!(length("1️⃣"), 7);
        assert_eq!(length("#1 * 2"), 6);
        assert_eq!(length("مرحبا"), 5);
    }

    #[test]
    fn five_hundred() {
        let ok = "a".repeat(496) + "😀";
        assert_eq!(length(&ok), 500);
        assert!(check(&ok).valid);
        let long = "a".repeat(497) + "😀";
        let c = check(&long);
        assert!(!c.valid);
        assert_eq!(c.problems[0].code, "too_long");
        assert_eq!(c.problems[0].start, 497);
        let long = "a".repeat(501);
        assert_eq!(check(&long).problems[0].start, 500);
    }

    #[test]
    fn six_different_links_are_refused() {
        // Repeats count once; links are compared as written (`https://a.com` is another one).
        let five = "a.com b.com c.com d.com e.com a.com";
        let c = check(five);
        assert_eq!(c.entities.len(), 6);
        assert!(c.valid, "{:?}", c.problems);
        assert!(!check(&format!("{five} https://a.com")).valid);
        let c = check("a.com b.com c.com d.com e.com f.com");
        assert_eq!(c.problems[0].code, "too_many_links");
        assert_eq!(c.problems[0].start, 30);
    }

    #[test]
    fn several_hashtags_are_fine() {
        let c = check("#one #two @someone");
        assert!(c.valid);
        assert_eq!(c.entities.len(), 3);
    }

    #[test]
    fn empty() {
        assert_eq!(check("").problems[0].code, "empty");
    }
}
