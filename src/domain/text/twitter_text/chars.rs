//! The character classes of twitter-text's regular expressions, as predicates.
//!
//! twitter-text compiles JavaScript regular expressions without the `u` flag, so its classes
//! look at UTF-16 code units; every class below is closed under surrogate pairs in the way the
//! original uses it, so testing whole code points gives the same answers.

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// `spacesGroup`.
#[inline]
pub(crate) const fn is_space(c: char) -> bool {
    matches!(
        c,
        '\u{9}'..='\u{d}'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{180e}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// JavaScript's `\s`.
#[inline]
pub(crate) fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{9}'..='\u{d}'
            | ' '
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
            | '\u{feff}'
    )
}

/// `invalidCharsGroup`: characters a post may not contain.
#[inline]
pub(crate) fn is_invalid(c: char) -> bool {
    matches!(c, '\u{fffe}' | '\u{feff}' | '\u{ffff}')
}

/// `directionalMarkersGroup`.
#[inline]
pub(crate) fn is_directional_marker(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2066}'..='\u{2069}'
    )
}

/// `punct`.
#[inline]
pub(crate) const fn is_punct(c: char) -> bool {
    matches!(
        c,
        '!' | '\''
            | '#'
            | '%'
            | '&'
            | '('
            | ')'
            | '*'
            | '+'
            | ','
            | '\\'
            | '-'
            | '.'
            | '/'
            | ':'
            | ';'
            | '<'
            | '='
            | '>'
            | '?'
            | '@'
            | '['
            | ']'
            | '^'
            | '_'
            | '{'
            | '|'
            | '}'
            | '~'
            | '$'
    )
}

/// `validDomainChars`: anything but punctuation, spaces, invalid characters and directional
/// marks (so letters of every script, digits, symbols and emoji).
#[inline]
pub(crate) fn is_domain_char(c: char) -> bool {
    match ASCII_DOMAIN_CHARS.get(c as usize) {
        Some(&is) => is,
        None => !(is_space(c) || is_invalid(c) || is_directional_marker(c)),
    }
}

/// `is_domain_char` for ASCII, as a table: it runs on every character of every word.
static ASCII_DOMAIN_CHARS: [bool; 128] = {
    let mut table = [false; 128];
    let mut i = 0;
    while i < 128 {
        let c = i as u8 as char;
        table[i] = !(is_punct(c) || is_space(c));
        i += 1;
    }
    table
};

/// `latinAccentChars`.
#[inline]
pub(crate) fn is_latin_accent(c: char) -> bool {
    matches!(
        c,
        '\u{c0}'..='\u{d6}'
            | '\u{d8}'..='\u{f6}'
            | '\u{f8}'..='\u{ff}'
            | '\u{100}'..='\u{24f}'
            | '\u{253}'
            | '\u{254}'
            | '\u{256}'
            | '\u{257}'
            | '\u{259}'
            | '\u{25b}'
            | '\u{263}'
            | '\u{268}'
            | '\u{26f}'
            | '\u{272}'
            | '\u{289}'
            | '\u{28b}'
            | '\u{2bb}'
            | '\u{300}'..='\u{36f}'
            | '\u{1e00}'..='\u{1eff}'
    )
}

/// `cyrillicLettersAndMarks`.
#[inline]
pub(crate) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{400}'..='\u{4ff}')
}

/// `validUrlPrecedingChars` (the one-character form; the other alternative is the start of
/// the text).
#[inline]
pub(crate) fn is_url_preceding(c: char) -> bool {
    !(c.is_ascii_alphanumeric() || matches!(c, '@' | '＠' | '$' | '#' | '＃') || is_invalid(c))
}

/// `validGeneralUrlPathChars` (case-insensitive).
#[inline]
pub(crate) fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '!' | '*'
                | '\''
                | ';'
                | ':'
                | '='
                | '+'
                | ','
                | '.'
                | '$'
                | '/'
                | '%'
                | '#'
                | '['
                | ']'
                | '-'
                | '\u{2013}'
                | '_'
                | '~'
                | '@'
                | '|'
                | '&'
        )
        || is_cyrillic(c)
        || is_latin_accent(c)
}

/// The character part of `validUrlPathEndingChars` (the other part is balanced parentheses).
#[inline]
pub(crate) fn is_path_ending_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '+' | '-' | '=' | '_' | '#' | '/')
        || is_cyrillic(c)
        || is_latin_accent(c)
}

/// `validUrlQueryChars`.
#[inline]
pub(crate) fn is_query_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '!' | '?'
                | '*'
                | '\''
                | '@'
                | '('
                | ')'
                | ';'
                | ':'
                | '&'
                | '='
                | '+'
                | '$'
                | '/'
                | '%'
                | '#'
                | '['
                | ']'
                | '-'
                | '_'
                | '.'
                | ','
                | '~'
                | '|'
        )
}

/// `validUrlQueryEndingChars`.
#[inline]
pub(crate) fn is_query_ending_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '&' | '=' | '#' | '/')
}

/// `hashtagAlpha`: a letter or a mark of any script (twitter-text generates this class from
/// `\p{L}\p{M}`).
pub(crate) fn is_hashtag_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter | GeneralCategoryGroup::Mark
    )
}

/// `hashtagAlphaNumeric`: letters, marks, decimal digits of any script and the special
/// characters twitter-text allows inside a hashtag (underscore, joiners, middle dots, Hebrew
/// and Japanese punctuation that belongs to words).
pub(crate) fn is_hashtag_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    matches!(
        c,
        '\u{200c}'
            | '\u{200d}'
            | '\u{a67e}'
            | '\u{5be}'
            | '\u{5f3}'
            | '\u{5f4}'
            | '\u{ff5e}'
            | '\u{301c}'
            | '\u{309b}'
            | '\u{309c}'
            | '\u{30a0}'
            | '\u{30fb}'
            | '\u{3003}'
            | '\u{f0b}'
            | '\u{f0c}'
            | '\u{b7}'
    ) || is_hashtag_alpha(c)
        || c.general_category() == unicode_properties::GeneralCategory::DecimalNumber
}

/// The character starting at byte `i`, if `i` is a character boundary inside `text`.
#[inline]
pub(crate) fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|rest| rest.chars().next())
}

/// The character ending at byte `i`, if any.
#[inline]
pub(crate) fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|head| head.chars().next_back())
}

/// Whether `text` starts with `prefix`, ASCII letters compared without case.
pub(crate) fn starts_with_ignore_ascii_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_domain_char('a') && is_domain_char('あ') && is_domain_char('"'));
        assert!(!is_domain_char('.') && !is_domain_char('\u{202c}') && !is_domain_char(' '));
        for c in (0u8..128).map(char::from) {
            assert_eq!(is_domain_char(c), !(is_punct(c) || is_space(c)), "{c:?}");
        }
        assert!(is_hashtag_alpha('ß') && is_hashtag_alpha('\u{301}') && !is_hashtag_alpha('1'));
        assert!(is_hashtag_alphanumeric('١') && is_hashtag_alphanumeric('_'));
        assert!(is_hashtag_alphanumeric('〃') && !is_hashtag_alpha('〃'));
        assert!(is_url_preceding('(') && !is_url_preceding('a') && !is_url_preceding('＃'));
        assert_eq!(char_at("é", 1), None);
        assert_eq!(char_before("aé", 3), Some('é'));
        assert!(starts_with_ignore_ascii_case("HTTPS://x", "https://"));
        assert!(!starts_with_ignore_ascii_case("ht", "https://"));
    }
}
