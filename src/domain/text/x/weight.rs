//! X's weighted length, as twitter-text's `parseTweet` computes it with configuration v3
//! (`twitter-text-config-v3.json`): the text in NFC; each link weighs 23 characters; each
//! emoji sequence one unit of the default weight; every other code point its range's weight.

use std::ops::Range;

use crate::domain::text::twitter_text::is_invalid;

/// Configuration v3, in hundredths of a character (`scale` 100).
pub const MAX_WEIGHTED_LENGTH: usize = 280;
pub const SCALE: usize = 100;
pub const DEFAULT_WEIGHT: usize = 200;
pub const TRANSFORMED_URL_LENGTH: usize = 23;
/// Code points weighing 100 (one character); all others weigh `DEFAULT_WEIGHT`.
pub const LIGHT_RANGES: [(u32, u32); 4] = [(0, 4351), (8192, 8205), (8208, 8223), (8242, 8247)];

fn char_weight(c: char) -> usize {
    let cp = c as u32;
    if LIGHT_RANGES.iter().any(|&(lo, hi)| lo <= cp && cp <= hi) {
        100
    } else {
        DEFAULT_WEIGHT
    }
}

/// What counting a (normalised) text found.
pub(crate) struct Measure {
    /// In hundredths of a character.
    pub weighted: usize,
    /// Byte offset (normalised text) of the unit that first took the length past the limit.
    pub crossing: Option<usize>,
    /// twitter-text's validity of characters: no unit ends with an invalid character.
    pub valid_characters: bool,
    /// twitter-text's `validDisplayIndex`: UTF-16 index of the last code unit of the last
    /// unit that fit, counted while every character so far was valid.
    pub valid_display_index: usize,
}

/// Counts `text` (already in NFC) given its links (sorted byte ranges).
pub(crate) fn measure(text: &str, urls: &[Range<usize>]) -> Measure {
    let limit = MAX_WEIGHTED_LENGTH * SCALE;
    let mut measure = Measure {
        weighted: 0,
        crossing: None,
        valid_characters: true,
        valid_display_index: 0,
    };
    let bytes = text.as_bytes();
    let utf16_len = |s: &str| s.chars().map(char::len_utf16).sum::<usize>();
    let mut urls = urls.iter().peekable();
    let mut utf16 = 0;
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while urls.next_if(|u| u.start < start).is_some() {}
        let (weight, invalid) = if let Some(url) = urls.next_if(|u| u.start == start) {
            let end = url.end.clamp(start + 1, text.len());
            utf16 += text.get(start..end).map_or(1, utf16_len);
            i = end;
            (TRANSFORMED_URL_LENGTH * SCALE, false)
        } else if bytes[i] < 0x80 && !may_start_keycap(bytes, i) {
            // The common case: an ASCII character, weight 1, never an emoji.
            utf16 += 1;
            i += 1;
            (100, false)
        } else {
            let Some(rest) = text.get(i..) else {
                break;
            };
            if let Some(len) = emoji_sequence_len(rest) {
                utf16 += utf16_len(&rest[..len]);
                i += len;
                (DEFAULT_WEIGHT, false)
            } else {
                let Some(c) = rest.chars().next() else {
                    break;
                };
                utf16 += c.len_utf16();
                i += c.len_utf8();
                (char_weight(c), is_invalid(c))
            }
        };
        measure.weighted += weight;
        if invalid {
            measure.valid_characters = false;
        }
        if measure.valid_characters && measure.weighted <= limit {
            measure.valid_display_index = utf16.saturating_sub(1);
        }
        if measure.crossing.is_none() && measure.weighted > limit {
            measure.crossing = Some(start);
        }
    }
    measure
}

/// An ASCII `#`, `*` or digit followed by a non-ASCII character may start a keycap emoji.
fn may_start_keycap(bytes: &[u8], i: usize) -> bool {
    matches!(bytes[i], b'#' | b'*' | b'0'..=b'9') && bytes.get(i + 1).is_some_and(|b| *b >= 0x80)
}

/// Characters that continue an emoji sequence: variation selector 16, the keycap, the
/// zero-width joiner, skin tones, regional indicators (flags) and tags (subdivision flags).
fn continues_emoji(c: char) -> bool {
    matches!(
        c,
        '\u{fe0f}'
            | '\u{20e3}'
            | '\u{200d}'
            | '\u{1f3fb}'..='\u{1f3ff}'
            | '\u{1f1e6}'..='\u{1f1ff}'
            | '\u{e0020}'..='\u{e007f}'
    )
}

/// The longest emoji sequence of two or more code points at the start of `s`, in bytes.
///
/// twitter-text finds emoji with twemoji-parser's expression, generated from Unicode's list
/// of emoji (fully-qualified, minimally-qualified and unqualified forms). The `emojis` crate
/// holds the same list; a single code point is left to the character weights, which give it
/// the same 2 units, except `©` and `®` that twemoji counts as emoji only with U+FE0F.
fn emoji_sequence_len(s: &str) -> Option<usize> {
    const MAX_CODE_POINTS: usize = 16;
    let mut chars = s.char_indices();
    let (_, first) = chars.next()?;
    let (second_at, second) = chars.next()?;
    if !continues_emoji(second) || first.is_ascii_alphabetic() {
        return None;
    }
    let mut ends = [0usize; MAX_CODE_POINTS];
    ends[0] = second_at + second.len_utf8();
    let mut count = 1;
    let mut previous = second;
    for (i, c) in chars {
        if count == MAX_CODE_POINTS || !(continues_emoji(c) || previous == '\u{200d}') {
            break;
        }
        ends[count] = i + c.len_utf8();
        count += 1;
        previous = c;
    }
    ends[..count]
        .iter()
        .rev()
        .copied()
        .find(|&end| emojis::get(&s[..end]).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weighted(text: &str) -> usize {
        measure(text, &[]).weighted / SCALE
    }

    #[test]
    fn weights() {
        assert_eq!(weighted("abc"), 3);
        assert_eq!(weighted("日本"), 4);
        assert_eq!(weighted("👨\u{200d}👩\u{200d}👧\u{200d}👦"), 2);
        assert_eq!(weighted("🙋🏽👨\u{200d}🎤"), 4);
        assert_eq!(weighted("1\u{20e3}"), 2);
        assert_eq!(weighted("🇫🇷🇩🇪"), 4);
        assert_eq!(weighted("©"), 1);
        assert_eq!(weighted("©\u{fe0f}"), 2);
        assert_eq!(weighted("✌\u{fe0e}"), 4);
        assert_eq!(weighted("\u{200d}\u{200d}"), 2);
        assert_eq!(weighted("a\u{fe0f}"), 3);
    }
}
