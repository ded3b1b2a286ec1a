//! Links as twitter-text 3.1's `extractUrlsWithIndices` finds them.
//!
//! twitter-text does this with one large backtracking regular expression (`extractUrl`) and
//! some checks after it. The expression needs look-ahead after the top-level domain, which the
//! `regex` crate does not offer, and a backtracking engine would be slow on the 1,500-name TLD
//! alternation, so this module walks the text by hand, reproducing the expression's choices
//! (leftmost match, greedy parts, backtracking order) step by step. Each function names the
//! part of the expression it stands for.

use std::ops::Range;

use super::chars::{
    char_at, is_domain_char, is_latin_accent, is_path_char, is_path_ending_char, is_query_char,
    is_query_ending_char, is_url_preceding, starts_with_ignore_ascii_case,
};
use super::tlds::tld_end;

const MAX_URL_LENGTH: usize = 4096;
const MAX_TCO_SLUG_LENGTH: usize = 40;
const MAX_DOMAIN_LABEL_LENGTH: usize = 63;

/// The URLs in `text`, as byte ranges, in order. With `without_protocol`, bare domains such
/// as `example.com/path` count when their top-level domain is known (X); without it only
/// `http://` and `https://` links do (Mastodon).
pub fn extract_urls(text: &str, without_protocol: bool) -> Vec<Range<usize>> {
    let mut urls = Vec::new();
    let needed = if without_protocol { '.' } else { ':' };
    if !text.contains(needed) {
        return urls;
    }
    let mut scan = Scan::new(text);
    let mut pos = 0;
    while pos < text.len() {
        let Some((before, parts)) = scan.next_match(pos) else {
            break;
        };
        pos = parts.end;
        if !scan.is_valid_url(&parts) {
            continue;
        }
        if parts.domain.start == parts.start {
            // No protocol: keep the ASCII domains inside what matched.
            if !without_protocol || matches!(before, Some('-' | '_' | '.' | '/')) {
                continue;
            }
            let first = urls.len();
            urls.extend(ascii_domains(text, parts.domain.clone()));
            if urls.len() > first
                && parts.has_path
                && let Some(last) = urls.last_mut()
            {
                last.end = parts.end;
            }
        } else {
            let mut end = parts.end;
            if let Some(tco) = text.get(parts.start..parts.end).and_then(tco_match) {
                if tco.slug_len > MAX_TCO_SLUG_LENGTH {
                    continue;
                }
                end = parts.start + tco.len;
            }
            urls.push(parts.start..end);
        }
    }
    urls
}

/// What one match of `extractUrl` captured (byte offsets).
#[derive(Clone, Debug)]
struct Parts {
    /// Start of the URL, protocol included.
    start: usize,
    domain: Range<usize>,
    has_path: bool,
    end: usize,
}

/// One label of a dotted chain: a run of domain characters, `-` and `_`.
struct Label {
    start: usize,
    end: usize,
    dot_after: bool,
    /// Ends with a domain character (not `-` or `_`).
    ends_well: bool,
    /// Offset of its last `_`, if any.
    last_underscore: Option<usize>,
    /// End of the top-level domain right after its dot, if one is there.
    tld_after: Option<usize>,
    /// End of the domain for a match starting at this label's first character.
    best: Option<usize>,
}

/// The text and what the search has learnt about it so far.
struct Scan<'a> {
    text: &'a str,
    /// The dotted chain of labels last analysed: every start inside it shares the analysis,
    /// which keeps the search linear on long words and long chains.
    chain: Vec<Label>,
    /// A run of label characters with no dot after it: no domain starts inside.
    dead_run: (usize, usize),
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Self {
        Scan {
            text,
            chain: Vec::new(),
            dead_run: (0, 0),
        }
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.text.as_bytes().get(i).copied()
    }

    /// The leftmost match of `extractUrl` starting at or after `pos`, with the character its
    /// `validUrlPrecedingChars` consumed (`None` for the start of the text).
    fn next_match(&mut self, pos: usize) -> Option<(Option<char>, Parts)> {
        let text = self.text;
        for (offset, c) in text.get(pos..)?.char_indices() {
            let s = pos + offset;
            if is_url_preceding(c)
                && let Some(parts) = self.url_at(s + c.len_utf8())
            {
                return Some((Some(c), parts));
            }
            if s == 0
                && let Some(parts) = self.url_at(0)
            {
                return Some((None, parts));
            }
        }
        None
    }

    /// `(https?://)?(validDomain)(?::port)?(/path)?(?query)?` at `u`.
    fn url_at(&mut self, u: usize) -> Option<Parts> {
        let rest = self.text.get(u..)?;
        let protocol = if !matches!(rest.as_bytes().first(), Some(b'h' | b'H')) {
            0
        } else if starts_with_ignore_ascii_case(rest, "https://") {
            8
        } else if starts_with_ignore_ascii_case(rest, "http://") {
            7
        } else {
            0
        };
        if protocol > 0
            && let Some(end) = self.domain_at(u + protocol)
        {
            return Some(self.tail(u, u + protocol..end));
        }
        let end = self.domain_at(u)?;
        Some(self.tail(u, u..end))
    }

    /// Port, path and query after a domain (all optional and greedy).
    fn tail(&self, start: usize, domain: Range<usize>) -> Parts {
        let mut end = domain.end;
        if self.byte(end) == Some(b':') {
            let digits = self.text.as_bytes()[end + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits > 0 {
                end += 1 + digits;
            }
        }
        let mut has_path = false;
        if self.byte(end) == Some(b'/') {
            has_path = true;
            end += 1;
            while let Some(next) = self.path_segment(end) {
                end = next;
            }
        }
        if self.byte(end) == Some(b'?')
            && let Some(next) = self.query_end(end + 1)
        {
            end = next;
        }
        Parts {
            start,
            domain,
            has_path,
            end,
        }
    }

    /// `validDomain` = `validSubdomain* validDomainName (validGTLD|validCCTLD|validPunycode)`.
    /// The expression takes subdomains greedily and gives them back one by one until a
    /// domain name followed by a top-level domain fits: the domain ends at the top-level
    /// domain after the last label that can be a domain name within the leading run of valid
    /// subdomains. Only the first label depends on where the match starts, so the rest of the
    /// chain is analysed once (`analyse_chain`).
    fn domain_at(&mut self, p: usize) -> Option<usize> {
        if !char_at(self.text, p).is_some_and(is_domain_char)
            || (self.dead_run.0 <= p && p < self.dead_run.1)
        {
            return None;
        }
        let k = match self.label_containing(p) {
            Some(k) => k,
            None => {
                let end = self.run_end(p);
                if self.byte(end) != Some(b'.') {
                    self.dead_run = (p, end);
                    return None;
                }
                self.analyse_chain(p);
                0
            }
        };
        let label = self.chain.get(k)?;
        if !label.dot_after || !label.ends_well {
            return None;
        }
        // The label from `p` is a valid subdomain: the later labels may hold the domain name.
        let later = self.chain.get(k + 1).and_then(|l| l.best);
        later.or_else(|| {
            if label.last_underscore.is_some_and(|u| u >= p) {
                None
            } else {
                label.tld_after
            }
        })
    }

    fn label_containing(&self, p: usize) -> Option<usize> {
        let after = self.chain.partition_point(|l| l.start <= p);
        let k = after.checked_sub(1)?;
        (p < self.chain[k].end).then_some(k)
    }

    /// Splits the dotted chain starting at `p` into labels and works out, from the last label
    /// back, where a domain starting at each label would end.
    fn analyse_chain(&mut self, p: usize) {
        let text = self.text;
        self.chain.clear();
        let mut q = p;
        loop {
            let end = self.run_end(q);
            if end == q {
                break;
            }
            let slice = &text[q..end];
            let dot_after = self.byte(end) == Some(b'.');
            self.chain.push(Label {
                start: q,
                end,
                dot_after,
                ends_well: slice.chars().next_back().is_some_and(is_domain_char),
                last_underscore: slice.rfind('_').map(|i| q + i),
                tld_after: if dot_after {
                    tld_end(text, end + 1, text.len())
                } else {
                    None
                },
                best: None,
            });
            if !dot_after {
                break;
            }
            q = end + 1;
        }
        let mut next_best = None;
        for label in self.chain.iter_mut().rev() {
            let well_formed = char_at(text, label.start).is_some_and(is_domain_char)
                && label.ends_well
                && label.dot_after;
            let as_name = if well_formed && label.last_underscore.is_none() {
                label.tld_after
            } else {
                None
            };
            label.best = if well_formed { next_best } else { None }.or(as_name);
            next_best = label.best;
        }
    }

    /// End of the run of domain characters, `-` and `_` from `q`.
    fn run_end(&self, q: usize) -> usize {
        let rest = &self.text[q..];
        q + rest
            .char_indices()
            .find(|&(_, c)| !(is_domain_char(c) || c == '-' || c == '_'))
            .map_or(rest.len(), |(i, _)| i)
    }

    /// One repetition of `validUrlPath`:
    /// `G* (B G*)* E | @ G+ /`, where G is a path character, B balanced parentheses and E a
    /// path-ending character or B. Backtracking makes the first form end after the last E of
    /// the chain of runs and parentheses.
    fn path_segment(&self, p: usize) -> Option<usize> {
        let (mut q, mut end) = self.path_run(p);
        while let Some(after) = self.balanced_parens(q) {
            let (run_end, last) = self.path_run(after);
            end = Some(last.unwrap_or(after));
            q = run_end;
        }
        if end.is_some() {
            return end;
        }
        if self.byte(p) == Some(b'@') {
            let (run_end, _) = self.path_run(p + 1);
            let slash = self.text[p + 1..run_end].rfind('/')?;
            return (slash > 0).then_some(p + 1 + slash + 1);
        }
        None
    }

    /// A run of path characters from `p`: its end, and the end of its last path-ending one.
    fn path_run(&self, p: usize) -> (usize, Option<usize>) {
        let mut last = None;
        let rest = &self.text[p..];
        for (i, c) in rest.char_indices() {
            if !is_path_char(c) {
                return (p + i, last);
            }
            if is_path_ending_char(c) {
                last = Some(p + i + c.len_utf8());
            }
        }
        (p + rest.len(), last)
    }

    /// `validUrlBalancedParens`: `( G+ )` or `( G* ( G+ ) G* )`.
    fn balanced_parens(&self, q: usize) -> Option<usize> {
        if self.byte(q) != Some(b'(') {
            return None;
        }
        let (r1, _) = self.path_run(q + 1);
        match self.byte(r1) {
            Some(b')') if r1 > q + 1 => Some(r1 + 1),
            Some(b'(') => {
                let (r2, _) = self.path_run(r1 + 1);
                if r2 == r1 + 1 || self.byte(r2) != Some(b')') {
                    return None;
                }
                let (r3, _) = self.path_run(r2 + 1);
                (self.byte(r3) == Some(b')')).then_some(r3 + 1)
            }
            _ => None,
        }
    }

    /// `validUrlQueryChars* validUrlQueryEndingChars` from `q`.
    fn query_end(&self, q: usize) -> Option<usize> {
        query_end(self.text, q)
    }

    /// twitter-text's `isValidUrl`: every label of the domain fits in 63 characters once
    /// punycode-encoded, a domain starting `xn--` holds an ASCII domain, and the whole stays
    /// under 4,096 characters.
    fn is_valid_url(&self, parts: &Parts) -> bool {
        let domain = &self.text[parts.domain.clone()];
        if domain.starts_with("xn--")
            && ascii_domains(self.text, parts.domain.clone())
                .next()
                .is_none()
        {
            return false;
        }
        if !domain.split('.').all(|label| {
            ascii_label_len(label).is_some_and(|n| (1..=MAX_DOMAIN_LABEL_LENGTH).contains(&n))
        }) {
            return false;
        }
        let protocol = if parts.domain.start == parts.start {
            "https://".len()
        } else {
            parts.domain.start - parts.start
        };
        let url_len: usize = self.text[parts.start..parts.end]
            .chars()
            .map(char::len_utf16)
            .sum();
        protocol + url_len <= MAX_URL_LENGTH
    }
}

fn query_end(text: &str, q: usize) -> Option<usize> {
    let mut last = None;
    for (i, c) in text.get(q..)?.char_indices() {
        if !is_query_char(c) {
            break;
        }
        if is_query_ending_char(c) {
            last = Some(q + i + c.len_utf8());
        }
    }
    last
}

/// The length of punycode.js's `toASCII(label)`: pieces split at ideographic and full-width
/// full stops, each with a character outside printable ASCII encoded as `xn--…`. `None` when
/// it is certainly longer than a DNS label may be.
fn ascii_label_len(label: &str) -> Option<usize> {
    let mut total = 0;
    for (i, piece) in label
        .split(['\u{3002}', '\u{ff0e}', '\u{ff61}'])
        .enumerate()
    {
        if i > 0 {
            total += 1;
        }
        if piece.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            total += piece.len();
        } else {
            // Each character yields at least one output character: no need to encode a piece
            // that cannot fit.
            if piece.chars().count() > MAX_DOMAIN_LABEL_LENGTH {
                return None;
            }
            total += 4 + idna::punycode::encode_str(piece)?.len();
        }
        if total > MAX_DOMAIN_LABEL_LENGTH {
            return None;
        }
    }
    Some(total)
}

/// The matches of `validAsciiDomain` (`([-a-z0-9À-ỿ…]+\.)+` then a top-level domain) inside
/// `range`, leftmost first, as byte ranges.
fn ascii_domains(text: &str, range: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
    let limit = range.end;
    let mut q = range.start;
    std::iter::from_fn(move || {
        let mut s = q;
        while s < limit {
            let c = char_at(text, s)?;
            if !is_ascii_label_char(c) {
                s += c.len_utf8();
                continue;
            }
            let first_end = ascii_label_end(text, s, limit);
            let mut afters = Vec::new();
            let mut end = first_end;
            while end < limit && text.as_bytes()[end] == b'.' {
                afters.push(end + 1);
                let next = ascii_label_end(text, end + 1, limit);
                if next == end + 1 {
                    break;
                }
                end = next;
            }
            for &at in afters.iter().rev() {
                if let Some(tld) = tld_end(text, at, limit) {
                    q = tld;
                    return Some(s..tld);
                }
            }
            // Any later start inside this label sees the same dots and fails the same way.
            s = first_end.max(s + c.len_utf8());
        }
        q = limit;
        None
    })
}

fn is_ascii_label_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || is_latin_accent(c)
}

fn ascii_label_end(text: &str, from: usize, limit: usize) -> usize {
    let rest = &text[from..limit];
    from + rest
        .char_indices()
        .find(|&(_, c)| !is_ascii_label_char(c))
        .map_or(rest.len(), |(i, _)| i)
}

struct Tco {
    slug_len: usize,
    len: usize,
}

/// `validTcoUrl`: `^https?://t\.co/([a-z0-9]+)(?:\?query)?`.
fn tco_match(url: &str) -> Option<Tco> {
    let prefix = if starts_with_ignore_ascii_case(url, "https://t.co/") {
        "https://t.co/".len()
    } else if starts_with_ignore_ascii_case(url, "http://t.co/") {
        "http://t.co/".len()
    } else {
        return None;
    };
    let slug_len = url.as_bytes()[prefix..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if slug_len == 0 {
        return None;
    }
    let mut len = prefix + slug_len;
    if url.as_bytes().get(len) == Some(&b'?')
        && let Some(end) = query_end(url, len + 1)
    {
        len = end;
    }
    Some(Tco { slug_len, len })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<&str> {
        extract_urls(text, true)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn finds_links_and_bare_domains() {
        assert_eq!(
            urls("see https://example.com/a_(b) now"),
            ["https://example.com/a_(b)"]
        );
        assert_eq!(urls("foo.com foo.comm t.co/x"), ["foo.com", "t.co/x"]);
        assert_eq!(urls("http://t.co/abc's"), ["http://t.co/abc"]);
        assert_eq!(urls("http://domain.com-that"), Vec::<&str>::new());
        assert_eq!(urls("これはexample.com/path中国"), ["example.com/path"]);
        assert_eq!(
            extract_urls("example.com and http://x.org", false)
                .into_iter()
                .map(|r| r.start)
                .collect::<Vec<_>>(),
            [16]
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "",
            ".",
            "é=@",
            "http://",
            "http://.",
            "a.b.c.d.e.f.g",
            "\u{202e}https://_) _\u{202e}\0$https://\u{fffe}é=@(\u{fe0f})_",
            "x.xn--",
            "(((((((.com",
            "http://a.com/((((((",
            "http://a.com/@@@@/",
            "ά.com/é?é",
        ] {
            let _ = extract_urls(text, true);
            let _ = extract_urls(text, false);
        }
    }
}
