//! Hashtags, mentions, lists and cashtags as twitter-text 3.1 extracts them. Each regular
//! expression is short; the scanners below jump from sign to sign (`#`, `@`, `$`) and check
//! what the expression requires around it, which keeps the common text (no sign) cheap.

use super::chars::{
    char_at, char_before, is_hashtag_alpha, is_hashtag_alphanumeric, is_js_whitespace,
    is_latin_accent, is_punct, is_space,
};
use super::{Extracted, remove_overlapping, urls::extract_urls};

/// `validHashtag`: a hashtag needs a letter or a mark, may hold digits and a few joining
/// characters, and must not follow a letter, a digit or `&`. `check_url_overlap` drops the
/// hashtags inside links, as twitter-text's `extractHashtagsWithIndices` does by default.
pub fn extract_hashtags(text: &str, check_url_overlap: bool) -> Vec<Extracted<'_>> {
    let mut tags = Vec::new();
    let mut pos = 0;
    let mut from = 0;
    while let Some(h) = next_sign(text, from, &['#', '＃']) {
        let sign_len = if text[h..].starts_with('＃') { 3 } else { 1 };
        from = h + sign_len;
        let boundary = if h == 0 {
            true
        } else {
            match char_before(text, h) {
                Some(c) if h - c.len_utf8() >= pos => {
                    matches!(c, '\u{fe0e}' | '\u{fe0f}')
                        || !(is_hashtag_alphanumeric(c) || c == '&')
                }
                _ => false,
            }
        };
        if !boundary || matches!(char_at(text, from), Some('\u{fe0f}' | '\u{20e3}')) {
            continue;
        }
        let mut end = from;
        let mut has_alpha = false;
        for (i, c) in text[from..].char_indices() {
            if !is_hashtag_alphanumeric(c) {
                break;
            }
            has_alpha |= is_hashtag_alpha(c);
            end = from + i + c.len_utf8();
        }
        if !has_alpha {
            continue;
        }
        pos = end;
        from = end;
        let after = &text[end..];
        if after.starts_with(['#', '＃']) || after.starts_with("://") {
            continue;
        }
        tags.push(Extracted {
            value: &text[h + sign_len..end],
            list_slug: "",
            start: h,
            end,
        });
    }
    if check_url_overlap && !tags.is_empty() {
        let urls = extract_urls(text, true);
        if !urls.is_empty() {
            let mut all: Vec<(usize, usize, Option<Extracted<'_>>)> =
                tags.drain(..).map(|t| (t.start, t.end, Some(t))).collect();
            all.extend(urls.into_iter().map(|u| (u.start, u.end, None)));
            remove_overlapping(&mut all, |e| (e.0, e.1));
            tags.extend(all.into_iter().filter_map(|e| e.2));
        }
    }
    tags
}

/// `validMentionOrList`: `@name` (1 to 20 of `[A-Za-z0-9_]`) with an optional `/list-slug`,
/// not glued to a preceding word, `!`, `#`, `$`, `%`, `&`, `*` or `@` (but allowed after
/// "RT:"), and not followed by `@`, an accented Latin letter or `://`.
pub fn extract_mentions_or_lists(text: &str) -> Vec<Extracted<'_>> {
    let mut found = Vec::new();
    let mut pos = 0;
    let mut from = 0;
    while let Some(h) = next_sign(text, from, &['@', '＠']) {
        let sign_len = if text[h..].starts_with('＠') { 3 } else { 1 };
        from = h + sign_len;
        if !mention_may_start(text, h, pos) {
            continue;
        }
        let name_start = from;
        let name_len = text.as_bytes()[from..]
            .iter()
            .take(20)
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        if name_len == 0 {
            continue;
        }
        let name_end = from + name_len;
        let mut end = name_end;
        let rest = &text.as_bytes()[name_end..];
        if rest.first() == Some(&b'/') && rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
            let slug = rest[2..]
                .iter()
                .take(24)
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'-')
                .count();
            end = name_end + 2 + slug;
        }
        pos = end;
        from = end;
        let after = &text[end..];
        if after.starts_with(['@', '＠'])
            || after.chars().next().is_some_and(is_latin_accent)
            || after.starts_with("://")
        {
            continue;
        }
        found.push(Extracted {
            value: &text[name_start..name_end],
            list_slug: &text[name_end..end],
            start: h,
            end,
        });
    }
    found
}

/// Whether `validMentionPrecedingChars` can match right before the at sign at `h`, using no
/// character before `pos` (those belong to an earlier match).
fn mention_may_start(text: &str, h: usize, pos: usize) -> bool {
    if h == 0 {
        return true;
    }
    let Some(c) = char_before(text, h) else {
        return false;
    };
    let c_start = h - c.len_utf8();
    if c_start >= pos
        && !(c.is_ascii_alphanumeric()
            || matches!(c, '_' | '!' | '#' | '$' | '%' | '&' | '*' | '@' | '＠'))
    {
        return true;
    }
    // "RT" or "RT:" (any case) right before the sign, at the start or after a character that
    // is not a word character, `+`, `~`, `.` or `-`.
    let head = &text.as_bytes()[..h];
    let head = head.strip_suffix(b":").unwrap_or(head);
    let Some(rt_start) = head.len().checked_sub(2) else {
        return false;
    };
    if !head[rt_start..].eq_ignore_ascii_case(b"rt") {
        return false;
    }
    if rt_start == 0 {
        return pos == 0;
    }
    match char_before(text, rt_start) {
        Some(c) => {
            rt_start - c.len_utf8() >= pos
                && !(c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '~' | '.' | '-'))
        }
        None => false,
    }
}

/// `extractMentionsWithIndices`: the mentions that are not lists.
pub fn extract_mentions(text: &str) -> Vec<Extracted<'_>> {
    let mut mentions = extract_mentions_or_lists(text);
    mentions.retain(|m| m.list_slug.is_empty());
    mentions
}

/// `extractReplies`: the account a post replies to, when it starts (after spaces) with a
/// mention.
pub fn extract_reply(text: &str) -> Option<&str> {
    let start = text.len() - text.trim_start_matches(is_space).len();
    let rest = &text[start..];
    let sign_len = if rest.starts_with('@') {
        1
    } else if rest.starts_with('＠') {
        3
    } else {
        return None;
    };
    let name_len = rest.as_bytes()[sign_len..]
        .iter()
        .take(20)
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    if name_len == 0 {
        return None;
    }
    let after = &rest[sign_len + name_len..];
    if after.starts_with(['@', '＠'])
        || after.chars().next().is_some_and(is_latin_accent)
        || after.starts_with("://")
    {
        return None;
    }
    Some(&rest[sign_len..sign_len + name_len])
}

/// `validCashtag`: `$` after a space (or at the start), 1 to 6 letters with an optional `.`
/// or `_` and 1 or 2 letters, then a space, punctuation or the end.
pub fn extract_cashtags(text: &str) -> Vec<Extracted<'_>> {
    let mut tags = Vec::new();
    let mut pos = 0;
    let mut from = 0;
    while let Some(h) = next_sign(text, from, &['$']) {
        from = h + 1;
        let boundary =
            h == 0 || char_before(text, h).is_some_and(|c| is_space(c) && h - c.len_utf8() >= pos);
        if !boundary {
            continue;
        }
        let Some(len) = cashtag_len(&text[from..]) else {
            continue;
        };
        let end = from + len;
        pos = end;
        from = end;
        tags.push(Extracted {
            value: &text[h + 1..end],
            list_slug: "",
            start: h,
            end,
        });
    }
    tags
}

/// `[a-z]{1,6}(?:[._][a-z]{1,2})?(?=$|\s|[punct])`, trying the longest first as the
/// backtracking expression does.
fn cashtag_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let letters = |from: usize, max: usize| {
        b.get(from..).map_or(0, |r| {
            r.iter()
                .take(max)
                .take_while(|c| c.is_ascii_alphabetic())
                .count()
        })
    };
    let may_end = |at: usize| match s.get(at..).and_then(|r| r.chars().next()) {
        None => true,
        Some(c) => is_js_whitespace(c) || is_punct(c),
    };
    for first in (1..=letters(0, 6)).rev() {
        if matches!(b.get(first), Some(b'.' | b'_')) {
            for second in (1..=letters(first + 1, 2)).rev() {
                if may_end(first + 1 + second) {
                    return Some(first + 1 + second);
                }
            }
        }
        if may_end(first) {
            return Some(first);
        }
    }
    None
}

/// The next occurrence of one of `signs` at or after byte `from`.
fn next_sign(text: &str, from: usize, signs: &[char]) -> Option<usize> {
    text.get(from..)?.find(signs).map(|i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(found: Vec<Extracted<'_>>) -> Vec<&str> {
        found.into_iter().map(|e| e.value).collect()
    }

    #[test]
    fn hashtags_mentions_cashtags() {
        assert_eq!(
            values(extract_hashtags("a #tag, #123 b#no #ok", true)),
            ["tag", "ok"]
        );
        assert_eq!(values(extract_hashtags("#a#b", true)), Vec::<&str>::new());
        assert_eq!(values(extract_mentions("RT:@a x@b @c/list @d")), ["a", "d"]);
        let lists = extract_mentions_or_lists("@c/list-1 ok");
        assert_eq!(
            (lists[0].value, lists[0].list_slug, lists[0].end),
            ("c", "/list-1", 9)
        );
        assert_eq!(
            values(extract_cashtags("$AB.CD $x_y $TOOLONGX")),
            ["AB.CD", "x_y"]
        );
        assert_eq!(extract_reply("  @me hi"), Some("me"));
    }
}
