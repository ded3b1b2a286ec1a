//! Variant states (DESIGN.md, "Publishing") and the post state derived from them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VariantState {
    Draft,
    InReview,
    ChangesRequested,
    Approved,
    Scheduled,
    Publishing,
    Published,
    Failed,
    OutcomeUnknown,
    Cancelled,
}

impl VariantState {
    pub const ALL: [VariantState; 10] = [
        VariantState::Draft,
        VariantState::InReview,
        VariantState::ChangesRequested,
        VariantState::Approved,
        VariantState::Scheduled,
        VariantState::Publishing,
        VariantState::Published,
        VariantState::Failed,
        VariantState::OutcomeUnknown,
        VariantState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VariantState::Draft => "draft",
            VariantState::InReview => "in_review",
            VariantState::ChangesRequested => "changes_requested",
            VariantState::Approved => "approved",
            VariantState::Scheduled => "scheduled",
            VariantState::Publishing => "publishing",
            VariantState::Published => "published",
            VariantState::Failed => "failed",
            VariantState::OutcomeUnknown => "outcome_unknown",
            VariantState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<VariantState> {
        VariantState::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Whether the author may still change the text: not once it is on its way or out.
    pub fn editable(self) -> bool {
        matches!(
            self,
            VariantState::Draft
                | VariantState::InReview
                | VariantState::ChangesRequested
                | VariantState::Approved
                | VariantState::Scheduled
                | VariantState::Failed
                | VariantState::Cancelled
        )
    }
}

/// The state of a post as people read it, derived from its variants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PostState {
    /// No channel chosen yet, or every variant a draft.
    Draft,
    /// Every variant in the same state.
    Uniform(VariantState),
    /// Some variants published, others not (failed, pending...).
    PartlyPublished,
    /// Variants in different states, none published.
    Mixed,
}

impl PostState {
    pub fn derive(states: &[VariantState]) -> PostState {
        let Some(first) = states.first() else {
            return PostState::Draft;
        };
        if states.iter().all(|s| s == first) {
            return match first {
                VariantState::Draft => PostState::Draft,
                other => PostState::Uniform(*other),
            };
        }
        if states.contains(&VariantState::Published) {
            PostState::PartlyPublished
        } else {
            PostState::Mixed
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PostState::Draft => "draft",
            PostState::Uniform(s) => s.as_str(),
            PostState::PartlyPublished => "partly_published",
            PostState::Mixed => "mixed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use VariantState::*;

    #[test]
    fn post_state_is_derived_from_variants() {
        assert_eq!(PostState::derive(&[]).as_str(), "draft");
        assert_eq!(PostState::derive(&[Draft, Draft]).as_str(), "draft");
        assert_eq!(
            PostState::derive(&[Scheduled, Scheduled]).as_str(),
            "scheduled"
        );
        assert_eq!(
            PostState::derive(&[Published, Failed]).as_str(),
            "partly_published"
        );
        assert_eq!(PostState::derive(&[Draft, InReview]).as_str(), "mixed");
    }

    #[test]
    fn states_round_trip_through_text() {
        for s in VariantState::ALL {
            assert_eq!(VariantState::parse(s.as_str()), Some(s));
        }
        assert!(!Published.editable() && !Publishing.editable() && Draft.editable());
    }
}
