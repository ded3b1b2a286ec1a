//! Facet detection as @atproto/api's `RichText.detectFacets` does it
//! (`packages/api/src/rich-text/detection.ts` and `util.ts`, copies in
//! `shared/fixtures/conformance/`).
//!
//! Written by hand rather than with a regex crate: the reference regexes use JavaScript
//! semantics that Rust's `regex` cannot express (look-ahead, an ASCII-only `\b` next to
//! Unicode classes, JavaScript's own `\s`) and the scan relies on `lastIndex` moving past
//! matches that are later thrown away. Each function below names the regex it follows and
//! walks the text the way `RegExp.prototype.exec` would, on UTF-8 byte offsets.

use std::collections::HashSet;
use std::sync::LazyLock;

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};
use unicode_segmentation::UnicodeSegmentation;

use crate::domain::text::EntityKind;

/// One detected facet: a byte range of the text and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facet {
    pub kind: EntityKind,
    /// UTF-8 byte offset of the first byte (the `@`, `#`, `＃` or `$` sign included).
    pub start: usize,
    /// UTF-8 byte offset just past the last byte.
    pub end: usize,
    /// Link: the URI (`https://` added to a bare domain). Mention: the handle without `@`,
    /// still to be resolved to a DID. Hashtag: the tag without its sign. Cashtag: `$` and the
    /// ticker in capitals.
    pub value: String,
}

/// Longest tag, in graphemes (`app.bsky.richtext.facet#tag`: maxGraphemes 64).
const MAX_TAG_GRAPHEMES: usize = 64;

static TLDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("tlds.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
});

/// Every facet of `text`, ordered by start (facets found earlier win ties, as the stable sort
/// of `RichText` keeps them). Overlapping facets are all returned, as atproto returns them;
/// [`visible`] keeps the ones a client renders.
pub fn detect_facets(text: &str) -> Vec<Facet> {
    let mut facets = Vec::new();
    detect_mentions(text, &mut facets);
    detect_links(text, &mut facets);
    detect_tags(text, &mut facets);
    detect_cashtags(text, &mut facets);
    facets.sort_by_key(|f| f.start);
    facets
}

/// The facets `RichText.segments()` renders: a facet that starts inside the previous one is
/// skipped, and a facet over whitespace only is shown as plain text.
pub fn visible(text: &str, facets: &[Facet]) -> Vec<Facet> {
    let mut cursor = 0;
    let mut out = Vec::new();
    for facet in facets {
        if facet.start < cursor {
            continue;
        }
        if facet.start < facet.end
            && text
                .get(facet.start..facet.end)
                .is_some_and(|s| !s.trim().is_empty())
        {
            out.push(facet.clone());
        }
        cursor = facet.end;
    }
    out
}

/// Whether a handle or bare domain ends in a known top-level domain, as atproto's
/// `isValidDomain` decides: `str` ends with `.` and a TLD of the list, compared case-sensitively
/// (the list is lower case, so `EXAMPLE.COM` is not a domain to it).
pub fn is_valid_domain(s: &str) -> bool {
    match s.rfind('.') {
        Some(dot) => TLDS.contains(&s[dot + 1..]),
        None => false,
    }
}

/// JavaScript's `\s`: WhiteSpace (tab, VT, FF, ZWNBSP and the Zs category) and LineTerminator.
pub(crate) fn is_js_space(c: char) -> bool {
    // Tab, line feed, vertical tab, form feed, carriage return; space; the other Zs spaces;
    // line and paragraph separators; the byte-order mark.
    matches!(c, '\t'..='\r' | ' ' | '\u{a0}' | '\u{2000}'..='\u{200a}')
        || [
            '\u{1680}', '\u{2028}', '\u{2029}', '\u{202f}', '\u{205f}', '\u{3000}', '\u{feff}',
        ]
        .contains(&c)
}

fn is_punctuation(c: char) -> bool {
    c.general_category_group() == GeneralCategoryGroup::Punctuation
}

/// The character that ends just before byte `pos`, with its start.
fn char_before(text: &str, pos: usize) -> Option<(usize, char)> {
    text.get(..pos)?.char_indices().next_back()
}

fn char_at(text: &str, pos: usize) -> Option<char> {
    text.get(pos..)?.chars().next()
}

/// The leading group `(^|\s|\()` or `(^|\s)` of the reference regexes: a match may begin at
/// byte `pos` when it is the start of the text, or when the character before it is a space
/// (or `(` when allowed) not already consumed by the previous match (`lastIndex`).
fn leading_ok(text: &str, pos: usize, last_end: usize, allow_paren: bool) -> bool {
    if pos == 0 {
        return true;
    }
    match char_before(text, pos) {
        Some((start, c)) => start >= last_end && (is_js_space(c) || (allow_paren && c == '(')),
        None => false,
    }
}

/// `MENTION_REGEX = /(^|\s|\()(@)([a-zA-Z0-9.-]+)(\b)/g`, then kept only when the handle ends
/// in a known TLD or in `.test`.
fn detect_mentions(text: &str, out: &mut Vec<Facet>) {
    let bytes = text.as_bytes();
    let is_handle_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-';
    // `\b` without the `u` flag: ASCII word characters only.
    let is_word_byte = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    let mut last_end = 0;
    let mut at = 0;
    while let Some(offset) = text.get(at..).and_then(|rest| rest.find('@')) {
        let sign = at + offset;
        at = sign + 1;
        if !leading_ok(text, sign, last_end, true) {
            continue;
        }
        let mut run_end = sign + 1;
        while run_end < bytes.len() && is_handle_byte(bytes[run_end]) {
            run_end += 1;
        }
        // Greedy run, then backtrack until `\b` holds at its end.
        let end = (sign + 2..=run_end)
            .rev()
            .find(|&end| is_word_byte(bytes.get(end - 1)) != is_word_byte(bytes.get(end)));
        let Some(end) = end else { continue };
        last_end = end;
        at = end;
        let handle = &text[sign + 1..end];
        if !is_valid_domain(handle) && !handle.ends_with(".test") {
            continue; // probably not a handle
        }
        out.push(Facet {
            kind: EntityKind::Mention,
            start: sign,
            end,
            value: handle.to_string(),
        });
    }
}

/// The end of the run of non-space characters starting at `from`.
fn non_space_end(text: &str, from: usize) -> usize {
    text.get(from..)
        .and_then(|rest| rest.find(is_js_space))
        .map_or(text.len(), |i| from + i)
}

/// `URL_REGEX = /(^|\s|\()((https?:\/\/[\S]+)|((?<domain>[a-z][a-z0-9]*(\.[a-z0-9]+)+)[\S]*))/gim`:
/// a link is an `http(s)://` address or a bare domain with a known TLD, to the next space,
/// less one trailing `.,;:!?` and then an unbalanced `)`.
fn detect_links(text: &str, out: &mut Vec<Facet>) {
    let bytes = text.as_bytes();
    let mut last_end = 0;
    let mut pos = 0;
    while pos < bytes.len() {
        let start = pos;
        pos += char_at(text, pos).map_or(1, char::len_utf8);
        if !bytes[start].is_ascii_alphabetic() || !leading_ok(text, start, last_end, true) {
            continue;
        }
        let Some((end, domain)) = match_link(text, start) else {
            continue;
        };
        last_end = end;
        pos = end;
        let matched = &text[start..end];
        let mut uri = if matched.starts_with("http") {
            matched.to_string()
        } else {
            match domain {
                Some(domain) if is_valid_domain(domain) => format!("https://{matched}"),
                _ => continue,
            }
        };
        let mut facet_end = end;
        if uri.ends_with(['.', ',', ';', ':', '!', '?']) {
            uri.pop();
            facet_end -= 1;
        }
        if uri.ends_with(')') && !uri.contains('(') {
            uri.pop();
            facet_end -= 1;
        }
        out.push(Facet {
            kind: EntityKind::Url,
            start,
            end: facet_end,
            value: uri,
        });
    }
}

/// Group 2 of `URL_REGEX` at `start`: its end, and the `domain` group when the bare-domain
/// branch matched. The `i` flag without `u` makes `[a-z]` match ASCII letters of either case
/// and nothing else.
fn match_link(text: &str, start: usize) -> Option<(usize, Option<&str>)> {
    let rest = &text[start..];
    let lower_prefix = |p: &str| {
        rest.get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
    };
    for scheme in ["https://", "http://"] {
        if lower_prefix(scheme) {
            let end = non_space_end(text, start + scheme.len());
            if end > start + scheme.len() {
                return Some((end, None));
            }
        }
    }
    let bytes = rest.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() {
        return None;
    }
    let mut i = 1;
    while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
        i += 1;
    }
    let mut labels = 0;
    while i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_alphanumeric() {
        i += 2;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        labels += 1;
    }
    if labels == 0 {
        return None;
    }
    Some((non_space_end(text, start + i), Some(&rest[..i])))
}

/// Characters a tag never contains: `\s` and `\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2`.
fn tag_breaks(c: char) -> bool {
    is_js_space(c)
        || matches!(
            c,
            '\u{ad}' | '\u{2060}' | '\u{200a}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{20e2}'
        )
}

/// `TAG_REGEX = /(^|\s)[#＃]((?!\ufe0f)[^\s…]*[^\d\s\p{P}…]+[^\s…]*)?/gu`: after the sign, the
/// run of characters up to a space or zero-width character, provided it holds something other
/// than digits and punctuation and does not begin with U+FE0F; then trailing punctuation is
/// dropped and tags over 64 graphemes are ignored.
fn detect_tags(text: &str, out: &mut Vec<Facet>) {
    let mut last_end = 0;
    let mut pos = 0;
    while pos < text.len() {
        let Some(sign) = char_at(text, pos) else {
            break;
        };
        let start = pos;
        pos += sign.len_utf8();
        if !matches!(sign, '#' | '＃') || !leading_ok(text, start, last_end, false) {
            continue;
        }
        // The match is at least the sign; the optional group may extend it.
        last_end = pos;
        let body_start = pos;
        if char_at(text, body_start) == Some('\u{fe0f}') {
            continue;
        }
        let run_end = text[body_start..]
            .find(tag_breaks)
            .map_or(text.len(), |i| body_start + i);
        let run = &text[body_start..run_end];
        if !run
            .chars()
            .any(|c| !c.is_ascii_digit() && !is_punctuation(c))
        {
            continue;
        }
        last_end = run_end;
        pos = run_end;
        let tag = run.trim_end_matches(is_punctuation);
        if tag.is_empty() || tag.graphemes(true).count() > MAX_TAG_GRAPHEMES {
            continue;
        }
        out.push(Facet {
            kind: EntityKind::Hashtag,
            start,
            end: body_start + tag.len(),
            value: tag.to_string(),
        });
    }
}

/// `CASHTAG_REGEX = /(^|\s|\()\$([A-Za-z][A-Za-z0-9]{0,4})(?=\s|$|[.,;:!?)"'\u2019])/gu`:
/// `$` and one to five ASCII letters or digits starting with a letter, followed by a space,
/// the end, or one of `.,;:!?)"'’`. The value is `$` and the ticker in capitals.
fn detect_cashtags(text: &str, out: &mut Vec<Facet>) {
    let bytes = text.as_bytes();
    let mut last_end = 0;
    let mut at = 0;
    while let Some(offset) = text.get(at..).and_then(|rest| rest.find('$')) {
        let sign = at + offset;
        at = sign + 1;
        if !leading_ok(text, sign, last_end, true) {
            continue;
        }
        if !bytes.get(sign + 1).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let mut end = sign + 2;
        while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
            end += 1;
        }
        // Backtracking shortens the ticker only to stop before another letter or digit,
        // which the look-ahead refuses: a run over five characters never matches.
        if end - sign - 1 > 5 {
            continue;
        }
        let follows_ok = match char_at(text, end) {
            None => true,
            Some(c) => is_js_space(c) || ".,;:!?)\"'\u{2019}".contains(c),
        };
        if !follows_ok {
            continue;
        }
        last_end = end;
        at = end;
        out.push(Facet {
            kind: EntityKind::Cashtag,
            start: sign,
            end,
            value: format!("${}", text[sign + 1..end].to_ascii_uppercase()),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(EntityKind, &str, String)> {
        detect_facets(text)
            .into_iter()
            .map(|f| (f.kind, &text[f.start..f.end], f.value))
            .collect()
    }

    #[test]
    fn domains_need_a_known_lower_case_tld() {
        assert!(is_valid_domain("example.com"));
        assert!(is_valid_domain("bsky.app"));
        assert!(!is_valid_domain("example.COM"));
        assert!(!is_valid_domain("com"));
        assert!(!is_valid_domain("website.com.jpg"));
        assert!(!is_valid_domain("e.g"));
    }

    #[test]
    fn mentions_links_tags_and_cashtags_together() {
        let text = "hi @alice.bsky.social see example.com/x, #rust and $AAPL!";
        assert_eq!(
            values(text),
            vec![
                (
                    EntityKind::Mention,
                    "@alice.bsky.social",
                    "alice.bsky.social".to_string()
                ),
                (
                    EntityKind::Url,
                    "example.com/x",
                    "https://example.com/x".to_string()
                ),
                (EntityKind::Hashtag, "#rust", "rust".to_string()),
                (EntityKind::Cashtag, "$AAPL", "$AAPL".to_string()),
            ]
        );
    }

    #[test]
    fn upper_case_scheme_is_not_a_link_to_atproto() {
        assert!(values("HTTPS://EXAMPLE.COM").is_empty());
        assert_eq!(values("Https://x.com").len(), 0);
        assert_eq!(values("http://x.com")[0].2, "http://x.com");
    }

    #[test]
    fn trailing_punctuation_and_parentheses() {
        assert_eq!(values("(https://a.com/x).")[0].1, "https://a.com/x");
        assert_eq!(values("https://a.com/x?!")[0].1, "https://a.com/x?");
        assert_eq!(values("(https://a.com/x)")[0].1, "https://a.com/x");
        assert_eq!(values("https://a.com/(x)")[0].1, "https://a.com/(x)");
    }

    #[test]
    fn a_mention_inside_a_link_is_hidden_when_rendering() {
        let text = "https://a.com/(@bob.com";
        let all = detect_facets(text);
        assert_eq!(all.len(), 2);
        assert_eq!(visible(text, &all).len(), 1);
    }

    #[test]
    fn no_panic_on_odd_text() {
        for text in [
            "",
            "#",
            "@",
            "$",
            "＃",
            "\u{301}#\u{301}",
            "#\u{fe0f}",
            "@.com",
            "a.",
            "(",
            "ab.c\u{10ffff}",
            "مرحبا #سلام @x.com",
            "👨‍👩‍👧‍👧#👍🏽 🇫🇷",
        ] {
            for f in detect_facets(text) {
                assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
                assert!(f.start <= f.end);
            }
        }
    }

    #[test]
    fn rtl_hashtag_is_a_tag() {
        assert_eq!(values("مرحبا #سلام")[0].2, "سلام");
    }
}
