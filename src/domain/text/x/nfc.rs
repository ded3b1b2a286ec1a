//! NFC normalisation that remembers where each part of the normalised text came from, so
//! positions found in the normalised text can be given back in the original.

use std::borrow::Cow;
use std::ops::Range;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// A text in NFC and the stretches that normalisation changed.
pub(crate) struct Normalized<'a> {
    pub text: Cow<'a, str>,
    /// Changed stretches, in order: where they are in the normalised text and in the original.
    /// Between them both texts are identical.
    changes: Vec<(Range<usize>, Range<usize>)>,
}

impl<'a> Normalized<'a> {
    pub fn new(original: &'a str) -> Self {
        if is_nfc_quick(original.chars()) == IsNormalized::Yes {
            return Normalized {
                text: Cow::Borrowed(original),
                changes: Vec::new(),
            };
        }
        let mut text = String::with_capacity(original.len());
        let mut changes = Vec::new();
        let mut chunk_start = 0;
        let boundaries = original
            .char_indices()
            .filter(|&(i, c)| i > 0 && is_boundary_before(c))
            .map(|(i, _)| i)
            .chain(std::iter::once(original.len()));
        for chunk_end in boundaries {
            let chunk = &original[chunk_start..chunk_end];
            let norm_start = text.len();
            if is_nfc_quick(chunk.chars()) == IsNormalized::Yes {
                text.push_str(chunk);
            } else {
                text.extend(chunk.nfc());
                if &text[norm_start..] != chunk {
                    changes.push((norm_start..text.len(), chunk_start..chunk_end));
                }
            }
            chunk_start = chunk_end;
        }
        Normalized {
            text: Cow::Owned(text),
            changes,
        }
    }

    /// The original offset where something starting at normalised offset `n` starts.
    pub fn start_in_original(&self, n: usize) -> usize {
        self.map(n, false)
    }

    /// The original offset where something ending at normalised offset `n` ends.
    pub fn end_in_original(&self, n: usize) -> usize {
        self.map(n, true)
    }

    fn map(&self, n: usize, is_end: bool) -> usize {
        let before = self.changes.partition_point(|(norm, _)| norm.start <= n);
        let Some((norm, orig)) = before.checked_sub(1).and_then(|i| self.changes.get(i)) else {
            return n;
        };
        if n >= norm.end {
            orig.end + (n - norm.end)
        } else if n == norm.start || !is_end {
            orig.start
        } else {
            orig.end
        }
    }
}

/// Normalisation never reaches across this character: it is a starter that composes with
/// nothing before it (NFC quick check "yes" and combining class 0).
fn is_boundary_before(c: char) -> bool {
    c.is_ascii()
        || (canonical_combining_class(c) == 0
            && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_positions_back() {
        let plain = Normalized::new("abc");
        assert!(matches!(plain.text, Cow::Borrowed(_)));
        assert_eq!(plain.start_in_original(2), 2);

        // "e" + combining acute becomes "é" (2 bytes instead of 3).
        let text = "x e\u{301}y z";
        let n = Normalized::new(text);
        assert_eq!(n.text, "x éy z");
        assert_eq!(n.start_in_original(2), 2);
        assert_eq!(n.end_in_original(4), 5);
        assert_eq!(n.start_in_original(4), 5);
        assert_eq!(n.end_in_original(n.text.len()), text.len());

        // A lone combining mark at the start, Hangul jamo, an angstrom sign.
        for odd in [
            "\u{301}a",
            "\u{1100}\u{1161}\u{11a8}",
            "\u{212b}",
            "a\u{fb2c}b",
        ] {
            let n = Normalized::new(odd);
            assert_eq!(n.text, odd.nfc().collect::<String>());
            assert_eq!(n.end_in_original(n.text.len()), odd.len());
        }
    }
}
