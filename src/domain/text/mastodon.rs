//! Mastodon: its `StatusLengthValidator` counts the graphemes of the content warning followed
//! by the text, where each `http(s)://` link counts as the instance's
//! `characters_reserved_per_url` (23 on a stock server) and a remote mention `@user@domain`
//! as `@user`. The limit is the instance's `max_characters` (500 on a stock server).
//!
//! Links are found as Mastodon finds them, with twitter-text's extractor and a protocol
//! required (a bare `example.com` is plain text there). Mentions follow Mastodon's
//! `Account::MENTION_RE`; hashtags its `Tag::HASHTAG_RE` (after a space or at the start, `#` or
//! `＃`, letters, marks, digits, `_` and middle dots, at least one letter). twitter-text's
//! hashtag rules differ too much (they accept a hashtag after punctuation and other joiners),
//! so they are not reused.

use std::borrow::Cow;
use std::ops::Range;

use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};
use unicode_segmentation::UnicodeSegmentation;

use super::twitter_text::{extract_urls, is_latin_accent, remove_overlapping};
use super::{Check, CheckOptions, Entity, EntityKind, Network, Problem};

pub fn check(text: &str, options: &CheckOptions) -> Check {
    let limits = options.mastodon.clone().unwrap_or_default();
    let warning = options.content_warning.as_deref().unwrap_or("");
    let urls = extract_urls(text, false);
    let mentions = mentions(text);
    let counted = Countable::new(text, limits.characters_reserved_per_url, &urls, &mentions);
    let mut length = 0;
    let mut crossing = None;
    let mut count = |starts: &mut dyn Iterator<Item = usize>| {
        for i in starts {
            length += 1;
            if length == limits.max_characters + 1 {
                crossing = Some(i);
            }
        }
    };
    if warning.is_empty() {
        count(&mut grapheme_starts(&counted.text));
    } else {
        // Counted together: a grapheme may span the junction.
        let combined = format!("{warning}{}", counted.text);
        count(&mut grapheme_starts(&combined));
    }

    let mut problems = Vec::new();
    if text.trim().is_empty() && warning.trim().is_empty() {
        problems.push(Problem {
            code: "empty".into(),
            message: "The post is empty: write something (or attach media) to publish on Mastodon"
                .into(),
            start: 0,
            end: 0,
        });
    }
    if let Some(at) = crossing {
        let over = length - limits.max_characters;
        problems.push(Problem {
            code: "too_long".into(),
            message: format!(
                "{length} of {} characters as this Mastodon server counts them{}: shorten by {over}",
                limits.max_characters,
                if warning.is_empty() {
                    ""
                } else {
                    " (content warning included)"
                }
            ),
            start: at
                .checked_sub(warning.len())
                .map_or(0, |i| counted.original_offset(i)),
            end: text.len(),
        });
    }

    Check {
        network: Network::Mastodon,
        length,
        limit: limits.max_characters,
        valid: problems.is_empty(),
        entities: entities(text, urls, mentions),
        problems,
    }
}

/// The text as the validator counts it (`countable_text`), and where its parts come from.
struct Countable<'a> {
    text: Cow<'a, str>,
    /// Replaced stretches, in order: (range in `text`, range in the original).
    replaced: Vec<(Range<usize>, Range<usize>)>,
}

impl<'a> Countable<'a> {
    fn new(original: &'a str, per_url: usize, urls: &[Range<usize>], mentions: &[Mention]) -> Self {
        // Ruby's `blank?`: a text of white space counts nothing.
        if original.trim().is_empty() {
            return Countable {
                text: Cow::Borrowed(""),
                replaced: Vec::new(),
            };
        }
        let mut spans: Vec<(usize, usize, Option<usize>)> =
            urls.iter().map(|u| (u.start, u.end, None)).collect();
        spans.extend(mentions.iter().map(|m| (m.start, m.end, Some(m.local_end))));
        remove_overlapping(&mut spans, |s| (s.0, s.1));
        // Local mentions count as they are: only links and remote mentions change the text.
        spans.retain(|&(_, end, local_end)| local_end != Some(end));
        if spans.is_empty() {
            return Countable {
                text: Cow::Borrowed(original),
                replaced: Vec::new(),
            };
        }
        let mut text = String::with_capacity(original.len());
        let mut replaced = Vec::with_capacity(spans.len());
        let mut last = 0;
        for (start, end, local_end) in spans {
            text.push_str(&original[last..start]);
            let from = text.len();
            match local_end {
                None => text.extend(std::iter::repeat_n('x', per_url)),
                Some(local_end) => text.push_str(&original[start..local_end]),
            }
            replaced.push((from..text.len(), start..end));
            last = end;
        }
        text.push_str(&original[last..]);
        Countable {
            text: Cow::Owned(text),
            replaced,
        }
    }

    /// Where byte `i` of the counted text comes from in the original.
    fn original_offset(&self, i: usize) -> usize {
        let mut shift: isize = 0;
        for (counted, original) in &self.replaced {
            if i < counted.start {
                break;
            }
            if i < counted.end {
                return original.start;
            }
            shift = original.end as isize - counted.end as isize;
        }
        i.saturating_add_signed(shift)
    }
}

struct Mention {
    start: usize,
    end: usize,
    /// End of `@user` (before `@domain`).
    local_end: usize,
}

/// Ruby's `[[:word:]]`: letters, marks, decimal digits, connector punctuation.
fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter | GeneralCategoryGroup::Mark
    ) || matches!(
        c.general_category(),
        GeneralCategory::DecimalNumber | GeneralCategory::ConnectorPunctuation
    )
}

/// Ruby's `[[:alpha:]]`: letters and marks.
fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter | GeneralCategoryGroup::Mark
    )
}

/// Length of `first` then (`[.-]+` `rest`)* at the start of `s` (greedy, whole repetitions).
fn dotted_run(s: &str, word: impl Fn(char) -> bool) -> usize {
    let run = |from: usize, pred: &dyn Fn(char) -> bool| {
        s[from..]
            .char_indices()
            .find(|&(_, c)| !pred(c))
            .map_or(s.len(), |(i, _)| from + i)
    };
    let mut end = run(0, &word);
    if end == 0 {
        return 0;
    }
    loop {
        let dots = run(end, &|c| c == '.' || c == '-');
        if dots == end {
            return end;
        }
        let next = run(dots, &word);
        if next == dots {
            return end;
        }
        end = next;
    }
}

/// `Account::MENTION_RE`: `@user` or `@user@domain`, not after `=`, `/` or a word character,
/// and (twitter-text's `end_mention_match`) not followed by `@`, an accented Latin letter or
/// `://`.
fn mentions(text: &str) -> Vec<Mention> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text.get(from..).and_then(|r| r.find('@')).map(|i| from + i) {
        from = at + 1;
        if text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c == '=' || c == '/' || is_word(c))
        {
            continue;
        }
        let user = dotted_run(&text[at + 1..], |c| c.is_ascii_alphanumeric() || c == '_');
        if user == 0 {
            continue;
        }
        let local_end = at + 1 + user;
        let mut end = local_end;
        if text[local_end..].starts_with('@') {
            let domain = dotted_run(&text[local_end + 1..], is_word);
            if domain > 0 {
                end = local_end + 1 + domain;
            }
        }
        from = end;
        let after = &text[end..];
        if after.starts_with(['@', '＠'])
            || after.starts_with("://")
            || after.chars().next().is_some_and(is_latin_accent)
        {
            continue;
        }
        found.push(Mention {
            start: at,
            end,
            local_end,
        });
    }
    found
}

/// `Tag::HASHTAG_RE`: after the start or white space, `#` or `＃`, then either a run of word
/// characters and separators (`_`, `·`, `・`, ZWNJ) that starts and ends with a word character
/// and has a letter or separator inside, or else a run of word characters with a letter.
/// Returns (start, end) byte ranges, sign included.
fn hashtags(text: &str) -> Vec<(usize, usize)> {
    let is_separator = |c: char| matches!(c, '_' | '\u{b7}' | '\u{30fb}' | '\u{200c}');
    let mut found = Vec::new();
    for (at, sign) in text.char_indices().filter(|&(_, c)| c == '#' || c == '＃') {
        if text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| !c.is_whitespace())
        {
            continue;
        }
        let name_start = at + sign.len_utf8();
        let chars: Vec<(usize, char)> = text[name_start..]
            .char_indices()
            .take_while(|&(_, c)| is_word(c) || is_separator(c))
            .collect();
        let end_of = |k: usize| name_start + chars[k].0 + chars[k].1.len_utf8();
        let mut name_end = None;
        // First form.
        if chars.first().is_some_and(|&(_, c)| is_word(c))
            && let Some(last) = chars.iter().rposition(|&(_, c)| is_word(c))
            && last >= 2
            && chars[1..last]
                .iter()
                .any(|&(_, c)| is_alpha(c) || is_separator(c))
        {
            name_end = Some(end_of(last));
        }
        // Second form.
        if name_end.is_none() {
            let words = chars.iter().take_while(|&&(_, c)| is_word(c)).count();
            if chars[..words].iter().any(|&(_, c)| is_alpha(c)) {
                name_end = Some(end_of(words - 1));
            }
        }
        let Some(mut end) = name_end else {
            continue;
        };
        // Mastodon's extractor drops a trailing "http"/"https" glued to "://".
        if text[end..].starts_with("://") {
            let name = &text[name_start..end];
            for scheme in ["https", "http"] {
                if name.len() > scheme.len() && name.ends_with(scheme) {
                    end -= scheme.len();
                    break;
                }
            }
        }
        found.push((at, end));
    }
    found
}

/// Links, hashtags and mentions as Mastodon links them, overlaps removed.
fn entities(text: &str, urls: Vec<Range<usize>>, mentions: Vec<Mention>) -> Vec<Entity> {
    let mut all: Vec<(EntityKind, usize, usize)> = urls
        .into_iter()
        .map(|u| (EntityKind::Url, u.start, u.end))
        .collect();
    all.extend(
        hashtags(text)
            .into_iter()
            .map(|(s, e)| (EntityKind::Hashtag, s, e)),
    );
    all.extend(
        mentions
            .into_iter()
            .map(|m| (EntityKind::Mention, m.start, m.end)),
    );
    remove_overlapping(&mut all, |e| (e.1, e.2));
    all.into_iter()
        .map(|(kind, start, end)| Entity {
            kind,
            text: text[start..end].to_string(),
            start,
            end,
        })
        .collect()
}

/// Where each extended grapheme cluster of `s` starts. Between two ASCII characters other
/// than CR LF there is always a boundary, so ASCII stretches skip the segmenter (most of the
/// cost of a check otherwise).
fn grapheme_starts(s: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = s.as_bytes();
    let certain_boundary = move |j: usize| {
        bytes[j - 1] < 0x80 && bytes[j] < 0x80 && !(bytes[j - 1] == b'\r' && bytes[j] == b'\n')
    };
    let mut i = 0;
    let mut pending: Vec<usize> = Vec::new();
    std::iter::from_fn(move || {
        if let Some(start) = pending.pop() {
            return Some(start);
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        if bytes[i] < 0x80 && (i + 1 == bytes.len() || certain_boundary(i + 1)) {
            i += 1;
            return Some(start);
        }
        let mut end = i + 1;
        while end < bytes.len() && !certain_boundary(end) {
            end += 1;
        }
        i = end;
        let region = s.get(start..end).unwrap_or_default();
        pending.extend(region.grapheme_indices(true).map(|(k, _)| start + k));
        pending.reverse();
        pending.pop()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::MastodonLimits;

    fn length(text: &str, warning: Option<&str>) -> usize {
        check(
            text,
            &CheckOptions {
                mastodon: None,
                content_warning: warning.map(str::to_string),
            },
        )
        .length
    }

    #[test]
    fn counting_table() {
        let long_url = format!("https://example.com/{}", "a".repeat(80));
        assert_eq!(long_url.len(), 100);
        let cases: Vec<(String, Option<&str>, usize)> = vec![
            ("hello".into(), None, 5),
            (long_url.clone(), None, 23),
            (format!("see {long_url} now"), None, 4 + 23 + 4),
            ("example.com is text here".into(), None, 24),
            ("hi @alice@example.social!".into(), None, "hi @alice!".len()),
            ("hi @alice".into(), None, 9),
            ("body".into(), Some("spoiler"), 11),
            ("👨\u{200d}👩\u{200d}👧\u{200d}👦".into(), None, 1),
            ("🇫🇷 e\u{301}".into(), None, 3),
            ("   ".into(), Some("cw"), 2),
            ("".into(), None, 0),
        ];
        for (text, warning, expected) in cases {
            assert_eq!(
                length(&text, warning),
                expected,
                "{text:?} with {warning:?}"
            );
        }
    }

    #[test]
    fn limits_and_problems() {
        let text = "a".repeat(600);
        let c = check(&text, &CheckOptions::default());
        assert_eq!((c.length, c.limit, c.valid), (600, 500, false));
        let p = &c.problems[0];
        assert_eq!((p.code.as_str(), p.start, p.end), ("too_long", 500, 600));
        assert_eq!(
            p.message,
            "600 of 500 characters as this Mastodon server counts them: shorten by 100"
        );

        let big = CheckOptions {
            mastodon: Some(MastodonLimits {
                max_characters: 5000,
                characters_reserved_per_url: 30,
            }),
            content_warning: None,
        };
        let c = check(&format!("{text} https://example.com"), &big);
        assert_eq!((c.length, c.limit, c.valid), (631, 5000, true));

        // The limit crossed inside a link: the problem starts at the link.
        let c = check(
            &format!("{} https://example.com/x", "a".repeat(490)),
            &CheckOptions::default(),
        );
        assert_eq!(c.problems[0].start, 491);
        // Crossed inside the content warning: the whole text.
        let c = check(
            "text",
            &CheckOptions {
                mastodon: None,
                content_warning: Some("w".repeat(501)),
            },
        );
        assert_eq!((c.problems[0].start, c.problems[0].end), (0, 4));
        assert!(c.problems[0].message.contains("content warning included"));

        let c = check(" ", &CheckOptions::default());
        assert_eq!(c.problems[0].code, "empty");
    }

    #[test]
    fn entities_as_mastodon_links_them() {
        let text =
            "#rust・lang by @alice@example.social and @bob: https://x.org/a #123 a#no ＃タグ";
        let c = check(text, &CheckOptions::default());
        let found: Vec<(EntityKind, &str)> = c
            .entities
            .iter()
            .map(|e| (e.kind, e.text.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (EntityKind::Hashtag, "#rust・lang"),
                (EntityKind::Mention, "@alice@example.social"),
                (EntityKind::Mention, "@bob"),
                (EntityKind::Url, "https://x.org/a"),
                (EntityKind::Hashtag, "＃タグ"),
            ]
        );
        for e in &c.entities {
            assert_eq!(&text[e.start..e.end], e.text);
        }
    }

    #[test]
    fn grapheme_starts_match_the_segmenter() {
        for s in [
            "",
            "a",
            "ab\r\nc",
            "\r\n",
            "\r\r\n\n",
            "e\u{301}x",
            "a👍🏽b",
            "🇫🇷🇩🇪🇫",
            "a\u{200d}b",
            "x\u{feff}y",
            "ab日本\u{300}c",
            "a\u{903}b",
            "\u{301}a",
            "\u{600}a",
            "क्\u{200d}ष",
        ] {
            let fast: Vec<usize> = grapheme_starts(s).collect();
            let slow: Vec<usize> = s.grapheme_indices(true).map(|(i, _)| i).collect();
            assert_eq!(fast, slow, "{s:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

        #[test]
        fn any_text_gives_slices_of_itself(
            text in crate::domain::text::x::tests::tricky_text(),
            warning in proptest::option::of("\\PC{0,20}"),
        ) {
            let options = CheckOptions { mastodon: None, content_warning: warning };
            let c = check(&text, &options);
            for e in &c.entities {
                proptest::prop_assert_eq!(text.get(e.start..e.end), Some(e.text.as_str()));
            }
            for p in &c.problems {
                proptest::prop_assert!(p.start <= p.end && text.get(p.start..p.end).is_some());
            }
            let long = format!("{}{text}", "x".repeat(495));
            let c = check(&long, &options);
            for p in &c.problems {
                proptest::prop_assert!(long.get(p.start..p.end).is_some());
            }
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "@",
            "#",
            "@@",
            "@a@",
            "#\u{301}",
            "＃",
            "@a.-",
            "a@b.c",
            "#a·",
            "\u{feff}@x",
        ] {
            let _ = check(text, &CheckOptions::default());
        }
    }
}
