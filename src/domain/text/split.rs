//! Cutting a long text into the parts of a thread, each within the network's limits as
//! [`check`] counts them.
//!
//! Cuts go at sentence boundaries first, then between words, then between the words of
//! UAX #29 (scripts written without spaces, long hyphenated runs), then between graphemes;
//! never inside a link, hashtag, mention or cashtag unless that entity alone is too long for a
//! part, and inside a grapheme only when a single grapheme is (a letter under thousands of
//! combining marks). Each part is as long as the rule allows (greedy): a part ends at the last
//! sentence boundary that fits, and only a sentence too long for a part is cut between words.
//! Whitespace at a cut is dropped, so the parts are trimmed and never empty.

use unicode_segmentation::UnicodeSegmentation;

use super::{CheckOptions, Network, check};

/// How to split.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SplitOptions {
    /// Append a counter (" 1/3") to each part when there are several; its room is kept
    /// within the limit.
    pub numbered: bool,
}

/// Problems that a shorter part cures; others (a character the network refuses) follow the
/// text into whichever part holds it.
const CURED_BY_SPLITTING: [&str; 5] = [
    "too_long",
    "too_many_bytes",
    "too_many_hashtags",
    "too_many_mentions",
    "too_many_links",
];

/// Splits `text` for `network` with the network's default settings.
pub fn split(text: &str, network: Network, options: &SplitOptions) -> Vec<String> {
    split_with(text, network, options, &CheckOptions::default())
}

/// Splits `text` for `network` as [`check`] with `check_options` counts it (a Mastodon
/// instance's own limits, say).
pub fn split_with(
    text: &str,
    network: Network,
    options: &SplitOptions,
    check_options: &CheckOptions,
) -> Vec<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Vec::new();
    }
    let splitter = Splitter::new(text, network, check_options);
    if splitter.fits(trimmed, "") {
        return vec![trimmed.to_string()];
    }
    if !options.numbered {
        return splitter.cut("");
    }
    // Keep room for the widest counter: " 99/99" while there are fewer than 100 parts, and
    // so on; more parts than the room allowed for means cutting again with more room.
    let mut digits = 1;
    loop {
        let nines = "9".repeat(digits);
        let parts = splitter.cut(&format!(" {nines}/{nines}"));
        let total = parts.len();
        if total.to_string().len() <= digits || digits >= 20 {
            return parts
                .into_iter()
                .enumerate()
                .map(|(i, part)| format!("{part} {}/{total}", i + 1))
                .collect();
        }
        digits += 1;
    }
}

struct Splitter<'a> {
    text: &'a str,
    network: Network,
    options: &'a CheckOptions,
    /// Candidate cut offsets, best kind first; each list ascending and ending at `text.len()`.
    levels: Vec<Vec<usize>>,
    /// No part is looked for beyond this many bytes (a bound that only absurd texts reach,
    /// to keep splitting a huge text from measuring the whole rest at every cut).
    window: usize,
}

impl<'a> Splitter<'a> {
    fn new(text: &'a str, network: Network, options: &'a CheckOptions) -> Self {
        let whole = check(network, text, options);
        // Entity ranges, merged, so that a cut's position is looked up by bisection.
        let mut protected: Vec<(usize, usize)> =
            whole.entities.iter().map(|e| (e.start, e.end)).collect();
        protected.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(protected.len());
        for (start, end) in protected {
            match merged.last_mut() {
                Some(last) if start < last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        let inside_entity = |at: usize| {
            let i = merged.partition_point(|&(start, _)| start < at);
            i > 0 && at < merged[i - 1].1
        };
        let end = text.len();
        let finish = |mut cuts: Vec<usize>, protect: bool| {
            cuts.retain(|&at| at > 0 && at < end && !(protect && inside_entity(at)));
            cuts.push(end);
            cuts.dedup();
            cuts
        };
        let sentences = text
            .split_sentence_bound_indices()
            .map(|(i, _)| i)
            .collect();
        let mut words = Vec::new();
        let mut prev_space = false;
        for (i, c) in text.char_indices() {
            if prev_space && !c.is_whitespace() {
                words.push(i);
            }
            prev_space = c.is_whitespace();
        }
        let word_bounds = text.split_word_bound_indices().map(|(i, _)| i).collect();
        let graphemes: Vec<usize> = text.grapheme_indices(true).map(|(i, _)| i).collect();
        let chars = text.char_indices().map(|(i, _)| i).collect();
        let levels = vec![
            finish(sentences, true),
            finish(words, true),
            finish(word_bounds, true),
            finish(graphemes.clone(), true),
            finish(graphemes, false),
            finish(chars, false),
        ];
        Splitter {
            text,
            network,
            options,
            levels,
            window: whole
                .limit
                .saturating_mul(4)
                .saturating_add(4096)
                .max(1 << 16),
        }
    }

    fn fits(&self, part: &str, suffix: &str) -> bool {
        let c = if suffix.is_empty() {
            check(self.network, part, self.options)
        } else {
            check(self.network, &format!("{part}{suffix}"), self.options)
        };
        c.length <= c.limit
            && !c
                .problems
                .iter()
                .any(|p| CURED_BY_SPLITTING.contains(&p.code.as_str()))
    }

    fn part(&self, start: usize, end: usize) -> &'a str {
        self.text[start..end].trim_end()
    }

    /// The parts, each fitting with `suffix` appended.
    fn cut(&self, suffix: &str) -> Vec<String> {
        let mut parts = Vec::new();
        let mut start = self.skip_space(0);
        while start < self.text.len() {
            let end = self
                .levels
                .iter()
                .find_map(|cuts| self.furthest_fit(cuts, start, suffix))
                .unwrap_or_else(|| self.next_grapheme(start));
            parts.push(self.part(start, end).to_string());
            start = self.skip_space(end);
        }
        parts
    }

    /// The furthest offset of `cuts` after `start` whose part fits, if any: galloping out from
    /// the nearest cut, then bisecting the last stretch (a longer part never counts less).
    fn furthest_fit(&self, cuts: &[usize], start: usize, suffix: &str) -> Option<usize> {
        let limit = start.saturating_add(self.window);
        let from = cuts.partition_point(|&at| at <= start);
        let to = cuts.partition_point(|&at| at <= limit);
        let cuts = cuts.get(from..to)?;
        let fits = |i: usize| self.fits(self.part(start, cuts[i]), suffix);
        let mut best = None;
        let mut probe = 0;
        let mut step = 1;
        let mut fails = cuts.len();
        while probe < cuts.len() {
            if fits(probe) {
                best = Some(probe);
                probe += step;
                step *= 2;
            } else {
                fails = probe;
                break;
            }
        }
        let mut low = best.map_or(0, |b| b + 1);
        let mut high = fails;
        while low < high {
            let mid = low + (high - low) / 2;
            if fits(mid) {
                best = Some(mid);
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        best.map(|i| cuts[i])
    }

    fn next_grapheme(&self, start: usize) -> usize {
        self.text[start..]
            .graphemes(true)
            .next()
            .map_or(self.text.len(), |g| start + g.len())
    }

    fn skip_space(&self, from: usize) -> usize {
        self.text[from..]
            .find(|c: char| !c.is_whitespace())
            .map_or(self.text.len(), |i| from + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The networks whose rules are written (another change fills in the rest; until then
    /// their `check` answers `unsupported`).
    fn networks() -> Vec<Network> {
        Network::ALL
            .into_iter()
            .filter(|&n| {
                !check(n, "a", &CheckOptions::default())
                    .problems
                    .iter()
                    .any(|p| p.code == "unsupported")
            })
            .collect()
    }

    fn no_space(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    /// Every part valid, trimmed, not empty, and the parts together are the text.
    fn assert_good_split(text: &str, network: Network, numbered: bool) -> Vec<String> {
        let parts = split(text, network, &SplitOptions { numbered });
        let total = parts.len();
        let mut joined = String::new();
        for (i, part) in parts.iter().enumerate() {
            let c = check(network, part, &CheckOptions::default());
            assert!(
                c.valid,
                "{network:?} part {i} invalid: {:?}\n{part:?}",
                c.problems
            );
            assert_eq!(part.trim(), part);
            let body = if numbered && total > 1 {
                part.strip_suffix(&format!(" {}/{total}", i + 1))
                    .unwrap_or_else(|| panic!("part {i} lacks its counter: {part:?}"))
            } else {
                part.as_str()
            };
            assert!(!body.trim().is_empty());
            joined.push_str(body);
        }
        assert_eq!(no_space(&joined), no_space(text), "{network:?}");
        parts
    }

    fn sentences(n: usize) -> String {
        (0..n)
            .map(|i| format!("This is sentence number {i}, with a few words in it."))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn short_text_is_one_part_without_a_counter() {
        assert_eq!(
            split(
                "  hello  ",
                Network::Bluesky,
                &SplitOptions { numbered: true }
            ),
            ["hello"]
        );
        assert!(split(" \n ", Network::Bluesky, &SplitOptions::default()).is_empty());
    }

    #[test]
    fn cuts_at_sentence_boundaries() {
        let text = sentences(20);
        let parts = assert_good_split(&text, Network::Bluesky, false);
        assert!(parts.len() > 1);
        for part in &parts {
            assert!(part.ends_with('.'), "{part:?}");
            assert!(part.starts_with("This"), "{part:?}");
        }
        // Greedy: no part could have taken the next sentence.
        for pair in parts.windows(2) {
            let first = pair[1].split_inclusive(". ").next().unwrap_or_default();
            let longer = format!("{} {}", pair[0], first.trim());
            assert!(!check(Network::Bluesky, &longer, &CheckOptions::default()).valid);
        }
    }

    #[test]
    fn a_long_sentence_is_cut_between_words() {
        let text = "word ".repeat(200);
        let parts = assert_good_split(&text, Network::Bluesky, false);
        assert_eq!(parts.len(), 4);
        for part in &parts {
            assert!(part.split(' ').all(|w| w == "word"), "{part:?}");
        }
    }

    #[test]
    fn numbering_keeps_its_room() {
        let text = sentences(40);
        for network in networks() {
            let parts = assert_good_split(&text, network, true);
            if network == Network::Bluesky {
                assert!(parts.len() >= 5, "{}", parts.len());
                assert!(parts[0].ends_with(&format!(" 1/{}", parts.len())));
            }
        }
    }

    #[test]
    fn links_and_tags_stay_whole() {
        let url = "https://example.com/a/rather/long/path/to/somewhere?with=query&and=more";
        let text = format!(
            "{} {url} {} #hashtag @someone.bsky.social {}",
            "a ".repeat(130),
            "b ".repeat(60),
            "c ".repeat(100)
        );
        for network in networks() {
            let parts = assert_good_split(&text, network, false);
            let whole = check(network, &text, &CheckOptions::default());
            for entity in whole.entities {
                assert!(
                    parts.iter().any(|p| p.contains(&entity.text)),
                    "{network:?} cut {:?}",
                    entity.text
                );
            }
        }
    }

    #[test]
    fn a_link_too_long_for_a_part_is_cut_anyway() {
        let text = format!("see https://example.com/{}", "x".repeat(700));
        let parts = assert_good_split(&text, Network::Bluesky, false);
        assert_eq!(parts[0], "see");
        assert!(parts.len() >= 3);
    }

    #[test]
    fn text_without_spaces_is_cut_between_graphemes() {
        let text = "日本語の文章".repeat(120);
        let parts = assert_good_split(&text, Network::Threads, true);
        assert!(parts.len() > 1);
        let emoji = "👨‍👩‍👧‍👧".repeat(100);
        let parts = assert_good_split(&emoji, Network::Threads, false);
        assert!(parts.iter().all(|p| p.graphemes(true).all(|g| g == "👨‍👩‍👧‍👧")));
    }

    #[test]
    fn a_grapheme_too_big_for_bluesky_is_cut_between_characters() {
        let text = format!("a{}", "\u{301}".repeat(2000));
        assert_good_split(&text, Network::Bluesky, false);
    }

    #[test]
    fn instagram_hashtags_are_spread_over_parts() {
        let text = (0..70)
            .map(|i| format!("#tag{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let parts = assert_good_split(&text, Network::Instagram, false);
        assert_eq!(parts.len(), 3);
    }

    #[test]
    fn a_huge_text_splits_quickly() {
        let text = sentences(2000);
        let parts = assert_good_split(&text, Network::Bluesky, true);
        assert!(parts.len() > 300);
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        let atom = prop_oneof![
            6 => "[a-zA-Z]{1,12}",
            2 => Just(" ".to_string()),
            1 => Just(". ".to_string()),
            1 => Just("\n\n".to_string()),
            1 => Just("https://example.com/some/path".to_string()),
            1 => "#[a-z]{1,20}",
            1 => "@[a-z]{1,10}",
            1 => "\\$[A-Z]{1,5}",
            1 => Just("👨‍👩‍👧‍👧".to_string()),
            1 => Just("🇫🇷".to_string()),
            1 => Just("👍🏽".to_string()),
            1 => Just("e\u{301}".to_string()),
            1 => Just("\u{301}".to_string()),
            1 => Just("مرحبا".to_string()),
            1 => Just("日本語".to_string()),
            1 => "\\PC{1,8}",
        ];
        prop::collection::vec(atom, 0..400).prop_map(|atoms| atoms.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn every_part_fits_and_nothing_is_lost(
            text in text_strategy(),
            network in prop::sample::select(networks()),
            numbered in any::<bool>(),
        ) {
            assert_good_split(&text, network, numbered);
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,600}") {
            for network in networks() {
                let _ = split(&text, network, &SplitOptions { numbered: true });
            }
        }
    }
}
