//! X: length as twitter-text v3 weighs it (280, most scripts beyond Latin and emoji count
//! double, each link 23), the entities X links (links with or without a protocol, hashtags,
//! mentions, cashtags), and the characters X refuses.
//!
//! The extraction rules are twitter-text's (see `twitter_text`); counting is `parseTweet`
//! (see `weight`). The text is counted in NFC, as X does, and every position reported is a
//! byte offset into the text as given.

mod nfc;
mod weight;

use super::twitter_text::{self, is_invalid, remove_overlapping};
use super::{Check, Entity, EntityKind, Network, Problem};

pub use super::twitter_text::{
    Extracted, extract_cashtags, extract_hashtags, extract_mentions, extract_mentions_or_lists,
    extract_reply, is_valid_hashtag, is_valid_list, is_valid_url, is_valid_username,
};
pub use weight::{
    DEFAULT_WEIGHT, LIGHT_RANGES, MAX_WEIGHTED_LENGTH, SCALE, TRANSFORMED_URL_LENGTH,
};

/// The links X recognises in `text`, as byte ranges: `http(s)://` links, and bare domains
/// (`example.com/path`) whose top-level domain is known.
pub fn extract_urls(text: &str) -> Vec<std::ops::Range<usize>> {
    twitter_text::extract_urls(text, true)
}

/// twitter-text's `parseTweet` result for configuration v3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TweetLength {
    /// The length X counts against its 280 limit.
    pub weighted_length: usize,
    /// Not empty, within the limit, no invalid character.
    pub valid: bool,
    /// The weighted length in thousandths of the limit (rounded down).
    pub permillage: usize,
    /// UTF-16 index (original text) of the last code unit that fits, as twitter-text computes
    /// it (its normalisation adjustment can make it negative on odd input).
    pub valid_range_end: i64,
    /// UTF-16 index of the last code unit of the text (0 when empty).
    pub display_range_end: usize,
}

/// Weighs `text` as twitter-text's `parseTweet` does.
pub fn parse_tweet(text: &str) -> TweetLength {
    let normalized = nfc::Normalized::new(text);
    let urls = twitter_text::extract_urls(&normalized.text, true);
    let measure = weight::measure(&normalized.text, &urls);
    let weighted_length = measure.weighted / SCALE;
    let utf16_len = |s: &str| s.chars().map(char::len_utf16).sum::<usize>();
    let original_len = utf16_len(text);
    let offset = original_len as i64 - utf16_len(&normalized.text) as i64;
    TweetLength {
        weighted_length,
        valid: measure.valid_characters
            && weighted_length > 0
            && weighted_length <= MAX_WEIGHTED_LENGTH,
        permillage: (weighted_length as f64 / MAX_WEIGHTED_LENGTH as f64 * 1000.0).floor() as usize,
        valid_range_end: measure.valid_display_index as i64 + offset,
        display_range_end: original_len.saturating_sub(1),
    }
}

/// Checks a post for X.
pub fn check(text: &str) -> Check {
    let normalized = nfc::Normalized::new(text);
    let ntext: &str = &normalized.text;
    let urls = twitter_text::extract_urls(ntext, true);
    let measure = weight::measure(ntext, &urls);
    let length = measure.weighted / SCALE;

    let mut problems = Vec::new();
    if text.trim().is_empty() {
        problems.push(Problem {
            code: "empty".into(),
            message: if text.is_empty() {
                "The post is empty: write something to publish on X".into()
            } else {
                "The post holds only spaces and line breaks: X does not publish a blank post".into()
            },
            start: 0,
            end: 0,
        });
    }
    for (i, c) in text.char_indices().filter(|&(_, c)| is_invalid(c)) {
        problems.push(Problem {
            code: "invalid_character".into(),
            message: format!(
                "U+{:04X} ({}) at byte {i} is a character X refuses: remove it",
                c as u32,
                if c == '\u{feff}' {
                    "zero-width no-break space, often a byte order mark pasted along"
                } else {
                    "a Unicode noncharacter"
                }
            ),
            start: i,
            end: i + c.len_utf8(),
        });
    }
    if length > MAX_WEIGHTED_LENGTH {
        problems.push(Problem {
            code: "too_long".into(),
            message: format!(
                "{length} of {MAX_WEIGHTED_LENGTH} characters as X counts them: shorten by {}",
                length - MAX_WEIGHTED_LENGTH
            ),
            start: measure
                .crossing
                .map_or(0, |n| normalized.start_in_original(n)),
            end: text.len(),
        });
    }

    let entities = entities(ntext, urls)
        .into_iter()
        .filter_map(|(kind, start, end)| {
            let start = normalized.start_in_original(start);
            let end = normalized.end_in_original(end);
            Some(Entity {
                kind,
                text: text.get(start..end)?.to_string(),
                start,
                end,
            })
        })
        .collect();

    Check {
        network: Network::X,
        length,
        limit: MAX_WEIGHTED_LENGTH,
        valid: problems.is_empty(),
        entities,
        problems,
    }
}

/// twitter-text's `extractEntitiesWithIndices`: links, mentions and lists, hashtags and
/// cashtags, overlaps removed (earlier kinds win ties). A list `@user/list` is reported as a
/// mention of `@user`.
fn entities(text: &str, urls: Vec<std::ops::Range<usize>>) -> Vec<(EntityKind, usize, usize)> {
    let mut all: Vec<(EntityKind, usize, usize, usize)> = Vec::new();
    all.extend(
        urls.into_iter()
            .map(|u| (EntityKind::Url, u.start, u.end, u.end)),
    );
    for m in extract_mentions_or_lists(text) {
        let name_end = m.end - m.list_slug.len();
        all.push((EntityKind::Mention, m.start, m.end, name_end));
    }
    for h in extract_hashtags(text, false) {
        all.push((EntityKind::Hashtag, h.start, h.end, h.end));
    }
    for c in extract_cashtags(text) {
        all.push((EntityKind::Cashtag, c.start, c.end, c.end));
    }
    remove_overlapping(&mut all, |e| (e.1, e.2));
    all.into_iter()
        .map(|(kind, start, _, shown_end)| (kind, start, shown_end))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn kinds(check: &Check) -> Vec<(EntityKind, &str)> {
        check
            .entities
            .iter()
            .map(|e| (e.kind, e.text.as_str()))
            .collect()
    }

    #[test]
    fn counts_and_extracts() {
        let c = check(
            "Read https://example.com/a-very-long-path-that-goes-on-and-on #rust @herald/team $HRLD ok",
        );
        assert_eq!(c.length, 5 + 23 + 1 + 5 + 1 + 12 + 1 + 5 + 3);
        assert!(c.valid);
        assert_eq!(
            kinds(&c),
            [
                (
                    EntityKind::Url,
                    "https://example.com/a-very-long-path-that-goes-on-and-on"
                ),
                (EntityKind::Hashtag, "#rust"),
                (EntityKind::Mention, "@herald"),
                (EntityKind::Cashtag, "$HRLD"),
            ]
        );
        for e in &c.entities {
            assert_eq!(
                &"Read https://example.com/a-very-long-path-that-goes-on-and-on #rust @herald/team $HRLD ok"
                    [e.start..e.end],
                e.text
            );
        }
    }

    #[test]
    fn too_long_starts_where_the_limit_is_crossed() {
        let text = format!("{}{}", "a".repeat(279), "日本語");
        let c = check(&text);
        assert_eq!(c.length, 285);
        let p = &c.problems[0];
        assert_eq!(
            (p.code.as_str(), p.start, p.end),
            ("too_long", 279, text.len())
        );
        assert_eq!(
            p.message,
            "285 of 280 characters as X counts them: shorten by 5"
        );
    }

    #[test]
    fn positions_are_in_the_original_text() {
        // "e" + combining acute is one character after NFC; the hashtag after it keeps its
        // original offsets.
        let text = "cafe\u{301} #tag";
        let c = check(text);
        assert_eq!(c.length, 9);
        assert_eq!(c.entities[0].text, "#tag");
        assert_eq!(c.entities[0].start, text.find('#').unwrap_or_default());
    }

    #[test]
    fn empty_and_invalid() {
        assert_eq!(check("").problems[0].code, "empty");
        assert_eq!(check("  \n").problems[0].code, "empty");
        let c = check("a\u{feff}b");
        assert!(!c.valid);
        assert_eq!(
            (
                c.problems[0].code.as_str(),
                c.problems[0].start,
                c.problems[0].end
            ),
            ("invalid_character", 1, 4)
        );
    }

    /// Texts built from pieces that exercise the rules: signs, protocols, dots, TLDs,
    /// combining marks, joiners, skin tones, flags, directional and invalid characters.
    pub(crate) fn tricky_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            prop::sample::select(vec![
                "@",
                "＠",
                "#",
                "＃",
                "$",
                "http://",
                "https://",
                ".",
                "com",
                "co",
                "jp",
                "みんな",
                "a",
                "Z",
                "é",
                "\u{301}",
                "\u{200d}",
                "👨",
                "🏽",
                "🇫",
                "\u{fe0f}",
                "\u{20e3}",
                "1",
                "\u{202e}",
                "\u{2066}",
                "/",
                "-",
                "_",
                "?",
                "=",
                "(",
                ")",
                ":",
                "日",
                "ا",
                " ",
                "\n",
                "\r\n",
                "\u{fffe}",
                "\u{feff}",
                "xn--",
                "t.co/",
                "www.",
                "RT",
                "\u{fb2c}",
                "Å",
            ])
            .prop_map(str::to_string),
            any::<char>().prop_map(|c| c.to_string()),
        ];
        prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

        #[test]
        fn any_text_gives_slices_of_itself(text in tricky_text()) {
            let c = check(&text);
            for e in &c.entities {
                proptest::prop_assert_eq!(text.get(e.start..e.end), Some(e.text.as_str()));
            }
            for p in &c.problems {
                proptest::prop_assert!(p.start <= p.end && text.get(p.start..p.end).is_some());
            }
            let parsed = parse_tweet(&text);
            proptest::prop_assert_eq!(parsed.weighted_length, c.length);
        }
    }

    /// Shapes that make a naive search quadratic (every position of a long word or chain
    /// tried as a link start); they must stay cheap and correct.
    #[test]
    fn long_adversarial_texts() {
        for (text, length) in [
            ("日本.".repeat(1000), 5000),
            ("日本語".repeat(1000), 6000),
            ("ab.".repeat(1000), 3000),
            ("a_b.".repeat(1000), 4000),
            (format!("{}.com", "日本".repeat(1000)), 4000 + 4),
            (format!("http://a.com/{}", "(a".repeat(1000)), 23 + 2000),
            ("#a#".repeat(1000), 3000),
            ("@a@".repeat(1000), 3000),
        ] {
            assert_eq!(
                check(&text).length,
                length,
                "{:?}",
                text.chars().take(6).collect::<String>()
            );
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        let long = "👍🏽".repeat(5000);
        for text in [
            "\u{301}",
            "\u{301}\u{301}#a",
            "é=@",
            "\u{202e}abc\u{202c}",
            "🏴\u{e0067}\u{e0062}",
            "\u{200d}",
            "🇫",
            "x\u{fb2c}.com/é",
            "#\u{fe0f}\u{20e3}",
            long.as_str(),
        ] {
            let c = check(text);
            for e in &c.entities {
                assert_eq!(&text[e.start..e.end], e.text);
            }
            let _ = parse_tweet(text);
        }
    }
}
