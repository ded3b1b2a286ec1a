//! A workspace is one brand or client: its settings and brand profile.

use super::validation::{check_time_zone, clean_name, clean_text};
use super::{FieldError, Validation};

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_PROFILE_CHARS: usize = 4000;

/// Everything a manager edits on the settings page, validated as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkspaceSettings {
    pub name: String,
    pub time_zone: String,
    pub requires_approval: bool,
    /// Every picture in a post needs alt text before it can be published.
    pub require_alt_text: bool,
    /// The most promotional posts may make up of the calendar, in percent.
    pub promo_target_percent: i64,
    pub brand: BrandProfile,
}

/// The brand voice and the notes later features (composer checks, reports) read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BrandProfile {
    pub voice: String,
    pub words_to_avoid: String,
    pub hashtags: String,
    pub audience_notes: String,
    pub goals: String,
}

impl WorkspaceSettings {
    /// Trims every field and returns all problems at once.
    pub fn validated(self) -> Result<Self, Vec<FieldError>> {
        let mut v = Validation::new();
        let out = WorkspaceSettings {
            name: clean_name(&mut v, "name", &self.name, MAX_NAME_CHARS),
            time_zone: check_time_zone(&mut v, "time_zone", &self.time_zone),
            requires_approval: self.requires_approval,
            require_alt_text: self.require_alt_text,
            promo_target_percent: self.promo_target_percent,
            brand: BrandProfile {
                voice: clean_text(&mut v, "brand_voice", &self.brand.voice, MAX_PROFILE_CHARS),
                words_to_avoid: clean_text(
                    &mut v,
                    "words_to_avoid",
                    &self.brand.words_to_avoid,
                    MAX_PROFILE_CHARS,
                ),
                hashtags: clean_hashtags(&mut v, &self.brand.hashtags),
                audience_notes: clean_text(
                    &mut v,
                    "audience_notes",
                    &self.brand.audience_notes,
                    MAX_PROFILE_CHARS,
                ),
                goals: clean_text(&mut v, "goals", &self.brand.goals, MAX_PROFILE_CHARS),
            },
        };
        v.check(
            (0..=100).contains(&out.promo_target_percent),
            "promo_target_percent",
            "must be between 0 and 100",
        );
        v.finish().map(|()| out)
    }
}

/// Hashtags are kept as one space-separated line, each with its `#`.
fn clean_hashtags(v: &mut Validation, raw: &str) -> String {
    let text = clean_text(v, "hashtags", raw, MAX_PROFILE_CHARS);
    let mut tags = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || c == ',') {
        let word = word.trim_start_matches('#');
        if word.is_empty() {
            continue;
        }
        if !word.chars().all(|c| c.is_alphanumeric() || c == '_') {
            v.add(
                "hashtags",
                format!("#{word} is not a hashtag (letters, digits and _ only)"),
            );
            continue;
        }
        tags.push(format!("#{word}"));
    }
    tags.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(name: &str, tz: &str) -> WorkspaceSettings {
        WorkspaceSettings {
            name: name.into(),
            time_zone: tz.into(),
            ..Default::default()
        }
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errors = settings("", "Nowhere/Else").validated().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "time_zone"]);
    }

    #[test]
    fn hashtags_are_normalised() {
        let mut s = settings("Acme", "UTC");
        s.brand.hashtags = "acme, #Café  #launch_day".into();
        assert_eq!(
            s.validated().unwrap().brand.hashtags,
            "#acme #Café #launch_day"
        );
        let mut s = settings("Acme", "UTC");
        s.brand.hashtags = "#no-dash".into();
        assert!(s.validated().is_err());
    }
}
