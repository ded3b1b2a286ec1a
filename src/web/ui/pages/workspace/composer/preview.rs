//! Pure helpers for the composer's feedback: a text cut into styled segments (links,
//! hashtags, mentions, the part past the limit) from a check's UTF-8 byte ranges, and a
//! problem's position in words.

use unicode_segmentation::UnicodeSegmentation;

use crate::domain::text::{Check, EntityKind};

/// A run of text with one look in the preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    /// `pv-link`, `pv-tag`, `pv-mention`, `pv-cashtag`, with ` pv-flag` where a problem lies;
    /// empty for plain text.
    pub class: String,
}

/// Cuts `text` at every entity and problem boundary of `check`. Ranges that are not on
/// character boundaries (they should always be) are ignored rather than trusted.
pub fn segments(text: &str, check: &Check) -> Vec<Segment> {
    let ok = |i: usize| i <= text.len() && text.is_char_boundary(i);
    let entities: Vec<_> = check
        .entities
        .iter()
        .filter(|e| e.start < e.end && ok(e.start) && ok(e.end))
        .collect();
    let flagged: Vec<(usize, usize)> = check
        .problems
        .iter()
        .filter(|p| p.start < p.end && ok(p.start) && ok(p.end))
        .map(|p| (p.start, p.end))
        .collect();
    let mut cuts = vec![0, text.len()];
    for e in &entities {
        cuts.extend([e.start, e.end]);
    }
    for (s, e) in &flagged {
        cuts.extend([*s, *e]);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Segment> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a >= b {
            continue;
        }
        let kind = entities
            .iter()
            .find(|e| e.start <= a && b <= e.end)
            .map(|e| match e.kind {
                EntityKind::Url => "pv-link",
                EntityKind::Hashtag => "pv-tag",
                EntityKind::Mention => "pv-mention",
                EntityKind::Cashtag => "pv-cashtag",
            });
        let flag = flagged.iter().any(|(s, e)| *s <= a && b <= *e);
        let class = match (kind, flag) {
            (Some(k), true) => format!("{k} pv-flag"),
            (Some(k), false) => k.to_owned(),
            (None, true) => "pv-flag".to_owned(),
            (None, false) => String::new(),
        };
        match out.last_mut() {
            Some(last) if last.class == class => last.text.push_str(&text[a..b]),
            _ => out.push(Segment {
                text: text[a..b].to_owned(),
                class,
            }),
        }
    }
    out
}

/// Where a problem lies, for people: `from character 301: “…”` (characters as people see
/// them, counted from 1), or `None` when it concerns the whole text.
pub fn position(text: &str, start: usize, end: usize) -> Option<String> {
    if start >= end {
        return None;
    }
    let before = text.get(..start)?;
    let slice = text.get(start..end)?;
    let from = before.graphemes(true).count() + 1;
    let graphemes: Vec<&str> = slice.graphemes(true).collect();
    const SHOWN: usize = 40;
    let mut quoted: String = graphemes.iter().take(SHOWN).copied().collect();
    if graphemes.len() > SHOWN {
        quoted.push('…');
    }
    let quoted = quoted.replace('\n', " ⏎ ");
    Some(if graphemes.len() == 1 {
        format!("character {from}: “{quoted}”")
    } else {
        format!(
            "characters {from} to {}: “{quoted}”",
            from + graphemes.len() - 1
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::{Entity, Network, Problem};

    fn check(entities: Vec<Entity>, problems: Vec<Problem>) -> Check {
        Check {
            network: Network::Bluesky,
            length: 0,
            limit: 300,
            valid: problems.is_empty(),
            entities,
            problems,
        }
    }

    fn entity(kind: EntityKind, text: &str, start: usize) -> Entity {
        Entity {
            kind,
            text: text.to_owned(),
            start,
            end: start + text.len(),
        }
    }

    #[test]
    fn entities_become_styled_segments() {
        let text = "Hi #coffee see https://acme.example é";
        let c = check(
            vec![
                entity(EntityKind::Hashtag, "#coffee", 3),
                entity(EntityKind::Url, "https://acme.example", 15),
            ],
            vec![],
        );
        let got: Vec<(String, String)> = segments(text, &c)
            .into_iter()
            .map(|s| (s.text, s.class))
            .collect();
        assert_eq!(
            got,
            [
                ("Hi ".into(), "".into()),
                ("#coffee".into(), "pv-tag".into()),
                (" see ".into(), "".into()),
                ("https://acme.example".into(), "pv-link".into()),
                (" é".into(), "".into()),
            ]
        );
    }

    #[test]
    fn the_part_past_the_limit_is_flagged() {
        let text = "abc #tag def";
        let problem = Problem {
            code: "too_long".into(),
            message: String::new(),
            start: 6,
            end: text.len(),
        };
        let c = check(vec![entity(EntityKind::Hashtag, "#tag", 4)], vec![problem]);
        let got: Vec<(String, String)> = segments(text, &c)
            .into_iter()
            .map(|s| (s.text, s.class))
            .collect();
        assert_eq!(
            got,
            [
                ("abc ".into(), "".into()),
                ("#t".into(), "pv-tag".into()),
                ("ag".into(), "pv-tag pv-flag".into()),
                (" def".into(), "pv-flag".into()),
            ]
        );
    }

    #[test]
    fn bad_ranges_are_ignored() {
        let text = "é";
        let c = check(vec![entity(EntityKind::Mention, "x", 1)], vec![]);
        assert_eq!(segments(text, &c).len(), 1);
        assert_eq!(segments("", &c), []);
    }

    #[test]
    fn positions_count_what_people_see() {
        let text = "👍🏽 ab\ncd";
        let start = "👍🏽 ".len();
        assert_eq!(
            position(text, start, text.len()).unwrap(),
            "characters 3 to 7: “ab ⏎ cd”"
        );
        assert_eq!(
            position(text, start, start + 1).unwrap(),
            "character 3: “a”"
        );
        assert_eq!(position(text, 0, 0), None);
        assert_eq!(position(text, 1, 2), None);
        let long = "x".repeat(100);
        assert!(position(&long, 0, 100).unwrap().ends_with("…”"));
    }
}
