//! The "no hard sell" check (PRODUCT.md step 12): how promotional a post reads, from 0 to 100,
//! and the words that make it so, each with an informative alternative. The phrases live in
//! `lexicon-en.toml`; shouting in capitals and piles of exclamation marks are found here.
//! The brand profile's words to avoid and hashtags to use are checked too.

mod lexicon;

use serde::Serialize;

use super::workspace::BrandProfile;

/// From this score on, a post counts as promotional in the content mix.
pub const PROMOTIONAL_FROM: u8 = 40;
const SHOUTING_WEIGHT: u32 = 10;
const EXCLAMATION_WEIGHT: u32 = 10;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Finding {
    /// call_to_buy, urgency, discount, superlative, pressure, shouting, exclamations, avoid_word.
    pub category: String,
    pub label: String,
    /// The exact slice of the text, and its UTF-8 byte range.
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub alternative: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PromoReport {
    /// 0 (informative) to 100 (hard sell).
    pub score: u8,
    pub promotional: bool,
    pub findings: Vec<Finding>,
    /// The brand's hashtags, when the post uses none of them.
    pub missing_hashtags: Vec<String>,
}

pub fn assess(text: &str, brand: &BrandProfile) -> PromoReport {
    let mut findings = Vec::new();
    let mut points = 0u32;
    for (finding, weight) in lexicon_findings(text)
        .into_iter()
        .chain(shouting(text))
        .chain(exclamations(text))
    {
        points += weight;
        findings.push(finding);
    }
    findings.extend(avoided_words(text, &brand.words_to_avoid));
    findings.sort_by_key(|f| (f.start, f.end));
    let score = points.min(100) as u8;
    PromoReport {
        score,
        promotional: score >= PROMOTIONAL_FROM,
        findings,
        missing_hashtags: missing_hashtags(text, &brand.hashtags),
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `start..end` stands as whole words: no letter or digit glued on either side (a
/// phrase that itself starts or ends with a sign, like "% off", needs no boundary there).
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let phrase = &text[start..end];
    let before_ok = !phrase.starts_with(is_word_char) || !text[..start].ends_with(is_word_char);
    let after_ok = !phrase.ends_with(is_word_char) || !text[end..].starts_with(is_word_char);
    before_ok && after_ok
}

fn finding(
    category: &str,
    label: &str,
    text: &str,
    start: usize,
    end: usize,
    alternative: &str,
) -> Finding {
    Finding {
        category: category.to_owned(),
        label: label.to_owned(),
        text: text[start..end].to_owned(),
        start,
        end,
        alternative: alternative.to_owned(),
    }
}

fn lexicon_findings(text: &str) -> Vec<(Finding, u32)> {
    let compiled = &*lexicon::EN;
    let Some(matcher) = &compiled.matcher else {
        return Vec::new();
    };
    matcher
        .find_iter(text)
        .filter(|m| whole_word(text, m.start(), m.end()))
        .filter_map(|m| {
            let rule = compiled
                .lexicon
                .rules
                .get(*compiled.owners.get(m.pattern().as_usize())?)?;
            Some((
                finding(
                    &rule.category,
                    &rule.label,
                    text,
                    m.start(),
                    m.end(),
                    &rule.alternative,
                ),
                rule.weight,
            ))
        })
        .collect()
}

/// Two or more words of three or more capital letters in a row: shouting. A lone acronym
/// (NASA, HTML) is not.
fn shouting(text: &str) -> Vec<(Finding, u32)> {
    let mut out = Vec::new();
    let mut run: Option<(usize, usize, usize)> = None; // start, end, words
    let mut flush = |run: &mut Option<(usize, usize, usize)>| {
        if let Some((start, end, words)) = run.take()
            && words >= 2
        {
            let f = finding(
                "shouting",
                "Shouting in capitals",
                text,
                start,
                end,
                "Write in sentence case; let the content carry the emphasis.",
            );
            out.push((f, SHOUTING_WEIGHT));
        }
    };
    for (start, word) in text.split_word_bound_indices_simple() {
        let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
        let capitals = !letters.is_empty() && letters.iter().all(|c| c.is_uppercase());
        if capitals && letters.len() >= 3 {
            let end = start + word.len();
            run = Some(match run {
                Some((s, _, n)) => (s, end, n + 1),
                None => (start, end, 1),
            });
        } else if capitals && let Some((s, _, n)) = run {
            // Short capitals ("IS", "A") carry a shouted run on without counting.
            run = Some((s, start + word.len(), n));
        } else if word.chars().any(char::is_alphanumeric) {
            flush(&mut run);
        }
    }
    flush(&mut run);
    out
}

/// "!!" and longer piles, and a third "!" anywhere in the post.
fn exclamations(text: &str) -> Vec<(Finding, u32)> {
    let alternative = "One exclamation mark at most; a clear sentence is more convincing.";
    let mut out = Vec::new();
    let mut seen = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        if bytes[i] == b'!' {
            let start = i;
            while i < bytes.len() && bytes[i] == b'!' {
                i += 1;
            }
            seen += i - start;
            if i - start >= 2 || seen >= 3 {
                out.push((
                    finding(
                        "exclamations",
                        "Exclamation marks",
                        text,
                        start,
                        i,
                        alternative,
                    ),
                    EXCLAMATION_WEIGHT,
                ));
            }
        } else {
            i += 1;
        }
    }
    out
}

fn avoided_words(text: &str, words_to_avoid: &str) -> Vec<Finding> {
    let lower = text.to_lowercase();
    // Lowercasing can change byte lengths outside ASCII; only then fall back to no positions.
    if lower.len() != text.len() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for word in words_to_avoid
        .split([',', '\n', ';'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        let needle = word.to_lowercase();
        for (start, _) in lower.match_indices(&needle) {
            let end = start + needle.len();
            if whole_word(text, start, end) {
                out.push(finding(
                    "avoid_word",
                    "Word to avoid",
                    text,
                    start,
                    end,
                    "The brand profile lists this among the words to avoid.",
                ));
            }
        }
    }
    out
}

fn missing_hashtags(text: &str, hashtags: &str) -> Vec<String> {
    let wanted: Vec<&str> = hashtags.split_whitespace().collect();
    let lower = text.to_lowercase();
    if wanted.is_empty() || wanted.iter().any(|t| lower.contains(&t.to_lowercase())) {
        return Vec::new();
    }
    wanted.into_iter().map(str::to_owned).collect()
}

/// Word-ish pieces with their byte offsets: runs of non-space characters.
trait WordBounds {
    fn split_word_bound_indices_simple(&self) -> Vec<(usize, &str)>;
}

impl WordBounds for str {
    fn split_word_bound_indices_simple(&self) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in self.char_indices() {
            match (c.is_whitespace(), start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    out.push((s, &self[s..i]));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            out.push((s, &self[s..]));
        }
        out
    }
}

#[cfg(test)]
mod tests;
