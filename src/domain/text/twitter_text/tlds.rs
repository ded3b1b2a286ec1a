//! The top-level domains twitter-text knows (`data/twitter-text-tlds.txt`), and matching one.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::chars::{char_at, is_domain_char, starts_with_ignore_ascii_case};

const DATA: &str = include_str!("../data/twitter-text-tlds.txt");

struct Tlds {
    generic: HashSet<&'static str>,
    country: HashSet<&'static str>,
    /// The longest name, in characters.
    max_chars: usize,
}

static TLDS: LazyLock<Tlds> = LazyLock::new(|| {
    let mut tlds = Tlds {
        generic: HashSet::new(),
        country: HashSet::new(),
        max_chars: 0,
    };
    let mut generic = false;
    for line in DATA.lines().map(str::trim) {
        match line {
            "" => {}
            "[country]" => generic = false,
            "[generic]" => generic = true,
            _ if line.starts_with('#') => {}
            name => {
                tlds.max_chars = tlds.max_chars.max(name.chars().count());
                if generic {
                    tlds.generic.insert(name);
                } else {
                    tlds.country.insert(name);
                }
            }
        }
    }
    tlds
});

/// Whether the top-level domain may end at `end`: twitter-text's look-ahead
/// `(?=[^0-9a-zA-Z@+-]|$)`, with `limit` as the end of the text.
fn may_end_at(text: &str, end: usize, limit: usize) -> bool {
    if end >= limit {
        return true;
    }
    match char_at(text, end) {
        None => true,
        Some(c) => !(c.is_ascii_alphanumeric() || matches!(c, '@' | '+' | '-')),
    }
}

/// Where a top-level domain starting at byte `at` ends, if one does, without reading past
/// `limit`. Like twitter-text's alternation: a generic TLD, else a country TLD (each the
/// longest whose end passes the look-ahead), else a punycode label `xn--…`.
pub(crate) fn tld_end(text: &str, at: usize, limit: usize) -> Option<usize> {
    let tlds = &*TLDS;
    let rest = text.get(at..limit)?;
    let mut buf = [0u8; 160];
    let mut len = 0;
    let mut generic = None;
    let mut country = None;
    for (count, (i, c)) in rest.char_indices().enumerate() {
        if count >= tlds.max_chars
            || !is_domain_char(c)
            || (c.is_ascii() && !c.is_ascii_alphabetic())
        {
            break;
        }
        for lower in c.to_lowercase() {
            let mut tmp = [0u8; 4];
            let encoded = lower.encode_utf8(&mut tmp).as_bytes();
            let Some(slot) = buf.get_mut(len..len + encoded.len()) else {
                return generic
                    .or(country)
                    .or_else(|| punycode_end(text, at, limit));
            };
            slot.copy_from_slice(encoded);
            len += encoded.len();
        }
        let end = at + i + c.len_utf8();
        let Ok(name) = std::str::from_utf8(&buf[..len]) else {
            break;
        };
        if tlds.generic.contains(name) && may_end_at(text, end, limit) {
            generic = Some(end);
        } else if tlds.country.contains(name) && may_end_at(text, end, limit) {
            country = Some(end);
        }
    }
    generic
        .or(country)
        .or_else(|| punycode_end(text, at, limit))
}

/// `xn--[-0-9a-z]+`, case-insensitive.
fn punycode_end(text: &str, at: usize, limit: usize) -> Option<usize> {
    let rest = text.get(at..limit)?;
    if !starts_with_ignore_ascii_case(rest, "xn--") {
        return None;
    }
    let run = rest.as_bytes()[4..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .count();
    (run > 0).then_some(at + 4 + run)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(text: &str) -> Option<&str> {
        tld_end(text, 0, text.len()).map(|e| &text[..e])
    }

    #[test]
    fn top_level_domains() {
        assert!(TLDS.generic.len() > 1000 && TLDS.country.len() > 250);
        assert_eq!(end("com"), Some("com"));
        assert_eq!(end("COM/x"), Some("COM"));
        assert_eq!(end("comm"), None);
        assert_eq!(end("com-x"), None);
        assert_eq!(end("comsec"), Some("comsec"));
        assert_eq!(end("みんなです"), Some("みんな"));
        assert_eq!(end("jp@x"), None);
        assert_eq!(end("co.uk"), Some("co"));
        assert_eq!(end("xn--p1ai/"), Some("xn--p1ai"));
        assert_eq!(end("bz2"), None);
        assert_eq!(tld_end("com", 0, 2), Some(2)); // "co"
        assert_eq!(tld_end("comx", 0, 3), Some(3));
        assert_eq!(tld_end("é", 1, 2), None);
    }
}
