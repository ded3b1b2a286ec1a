//! The attempts to publish each channel of a post, for the "When" section: when, how it
//! ended, and what the network answered (folded away: it is long and rarely needed).

use crate::services::posts::PostDetail;
use crate::storage::attempts::Attempt;
use crate::web::ui::format::when;
use crate::web::ui::pages::workspace::networks;

/// The network's answer is shown up to this many characters (a page of HTML can be huge).
const MAX_ANSWER_CHARS: usize = 20_000;

/// One channel's attempts, oldest first.
pub struct AttemptGroup {
    pub title: String,
    pub items: Vec<AttemptView>,
}

pub struct AttemptView {
    /// Names its folded answer, so a redraw keeps it open.
    pub id: uuid::Uuid,
    pub number: i64,
    pub at: String,
    /// The badge's class (`state-{css}`) and words.
    pub css: &'static str,
    pub outcome: &'static str,
    pub error: Option<String>,
    /// What the network answered, as indented JSON.
    pub answer: String,
}

pub fn groups(d: &PostDetail, attempts: &[Attempt], zone: &str) -> Vec<AttemptGroup> {
    d.variants
        .iter()
        .map(|v| AttemptGroup {
            title: format!(
                "{} on {}",
                v.channel.handle,
                networks::label(v.channel.network)
            ),
            items: attempts
                .iter()
                .filter(|a| a.variant_id == v.variant.id)
                .map(|a| AttemptView::of(a, zone))
                .collect(),
        })
        .collect()
}

impl AttemptView {
    fn of(a: &Attempt, zone: &str) -> Self {
        let (css, outcome) = match a.state.as_str() {
            "sending" => ("publishing", "Sending"),
            "published" => ("published", "Published"),
            "reconciled" => ("published", "Found on the network"),
            "retrying" => ("publishing", "Failed, retried later"),
            "outcome_unknown" => ("outcome_unknown", "Outcome unknown"),
            _ => ("failed", "Failed"),
        };
        let error = match (&a.error_kind, &a.error) {
            (Some(kind), Some(e)) if !e.is_empty() => {
                Some(format!("{}: {e}", kind.replace('_', " ")))
            }
            (_, Some(e)) if !e.is_empty() => Some(e.clone()),
            (Some(kind), _) => Some(kind.replace('_', " ")),
            _ => None,
        };
        AttemptView {
            id: a.id,
            number: a.number,
            at: when(a.started_at_ms, zone),
            css,
            outcome,
            error,
            answer: pretty(&a.raw_answer),
        }
    }
}

/// The stored JSON indented, cut at `MAX_ANSWER_CHARS`; the raw text when it is not JSON.
fn pretty(raw: &str) -> String {
    let text = serde_json::from_str::<serde_json::Value>(raw)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| raw.to_owned());
    if text.chars().count() <= MAX_ANSWER_CHARS {
        return text;
    }
    let mut cut: String = text.chars().take(MAX_ANSWER_CHARS).collect();
    cut.push_str("\n… (cut here; the API's attempts route gives all of it)");
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_indented_and_cut() {
        assert_eq!(pretty(r#"{"a":1}"#), "{\n  \"a\": 1\n}");
        assert_eq!(pretty("not json"), "not json");
        let long = format!("\"{}\"", "x".repeat(MAX_ANSWER_CHARS + 10));
        assert!(pretty(&long).ends_with("gives all of it)"));
    }
}
