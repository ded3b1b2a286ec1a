//! The lexicon: a TOML file anyone can read and extend, parsed once.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Lexicon {
    #[serde(rename = "rule")]
    pub rules: Vec<Rule>,
}

#[derive(Debug, Deserialize)]
pub struct Rule {
    pub category: String,
    pub label: String,
    pub weight: u32,
    pub alternative: String,
    pub phrases: Vec<String>,
}

/// The English lexicon and one automaton over all its phrases (pattern i -> rule of `owners[i]`).
pub struct Compiled {
    pub lexicon: Lexicon,
    pub matcher: Option<AhoCorasick>,
    pub owners: Vec<usize>,
}

const ENGLISH: &str = include_str!("lexicon-en.toml");

pub static EN: LazyLock<Compiled> = LazyLock::new(|| compile(ENGLISH));

fn compile(text: &str) -> Compiled {
    // The file ships inside the binary and a test parses it, so a broken edit fails CI, not
    // users; an unparsable file still yields an empty lexicon rather than a panic.
    let lexicon: Lexicon = toml::from_str(text).unwrap_or(Lexicon { rules: Vec::new() });
    let mut patterns = Vec::new();
    let mut owners = Vec::new();
    for (i, rule) in lexicon.rules.iter().enumerate() {
        for phrase in &rule.phrases {
            patterns.push(phrase.to_lowercase());
            owners.push(i);
        }
    }
    let matcher = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(&patterns)
        .ok();
    Compiled {
        lexicon,
        matcher,
        owners,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_lexicon_parses_and_is_sound() {
        let parsed: Lexicon = toml::from_str(ENGLISH).expect("lexicon-en.toml parses");
        assert!(parsed.rules.len() >= 5);
        for rule in &parsed.rules {
            assert!(
                !rule.phrases.is_empty() && !rule.alternative.is_empty(),
                "{}",
                rule.category
            );
            assert!(rule.weight > 0 && rule.weight <= 100);
        }
        assert!(EN.matcher.is_some());
    }
}
