//! The "Tone" panel: the no-hard-sell report in words.

use crate::domain::promo::PromoReport;

/// The "Tone" panel: the no-hard-sell report in words.
pub struct ToneView {
    pub score: u8,
    /// Informative, Some selling, Promotional.
    pub word: &'static str,
    /// `informative`, `some`, `promotional`: a class, beside the word that says the same.
    pub level: &'static str,
    pub findings: Vec<ToneFinding>,
    /// `#a #b`, when the post uses none of the brand's hashtags.
    pub missing_hashtags: String,
    pub target_percent: i64,
}

pub struct ToneFinding {
    pub label: String,
    pub text: String,
    pub advice: String,
}

impl ToneView {
    pub fn of(report: &PromoReport, target_percent: i64) -> Self {
        let (word, level) = match report.score {
            0..20 => ("Informative", "informative"),
            20..40 => ("Some selling", "some"),
            _ => ("Promotional", "promotional"),
        };
        ToneView {
            score: report.score,
            word,
            level,
            findings: report
                .findings
                .iter()
                .map(|f| ToneFinding {
                    label: f.label.clone(),
                    text: f.text.clone(),
                    advice: f.alternative.clone(),
                })
                .collect(),
            missing_hashtags: report
                .missing_hashtags
                .iter()
                .map(|t| {
                    if t.starts_with('#') {
                        t.clone()
                    } else {
                        format!("#{t}")
                    }
                })
                .collect::<Vec<_>>()
                .join(" "),
            target_percent,
        }
    }
}
