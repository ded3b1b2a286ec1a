//! twitter-text's conformance suites (`tests/fixtures/conformance/twitter-text-*.yml`, copies
//! of the shared fixtures, read at test time) against Herald's X rules: every case of every group
//! that holds under configuration v3, with the pass count printed per group
//! (`cargo test conformance_x -- --nocapture` shows them).
//!
//! Not run: `WeightedTweetsCounterTest` (configuration v2, emoji not discounted) and the two
//! `tweets` cases that are invalid only under configuration v1's 140 limit (see NOTES.md beside
//! the fixtures).

use std::path::PathBuf;

use herald::domain::text::x;
use yaml_rust2::{Yaml, YamlLoader};

/// Cases of the suites that do not apply to configuration v3, by description.
const NOT_V3: [&str; 2] = [
    "Invalid Tweet: 141 characters",
    "Invalid Tweet: 141 characters (due to newline)",
];

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conformance")
}

fn load(name: &str) -> Yaml {
    let path = fixtures().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}. The conformance suites live in tests/fixtures/conformance \
             (copies of ../shared/fixtures/conformance)",
            path.display()
        )
    });
    let mut docs = YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display()));
    assert!(
        !docs.is_empty(),
        "{} holds no YAML document",
        path.display()
    );
    docs.swap_remove(0)
}

fn groups(doc: &Yaml) -> Vec<(String, Vec<Yaml>)> {
    let tests = doc["tests"]
        .as_hash()
        .unwrap_or_else(|| panic!("no `tests` map in the suite"));
    tests
        .iter()
        .map(|(name, cases)| {
            (
                name.as_str().unwrap_or_default().to_string(),
                cases.as_vec().cloned().unwrap_or_default(),
            )
        })
        .collect()
}

fn text_of(case: &Yaml) -> &str {
    case["text"].as_str().unwrap_or_default()
}

fn strings(y: &Yaml) -> Vec<String> {
    y.as_vec()
        .map(|v| {
            v.iter()
                .map(|s| s.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn int(y: &Yaml) -> i64 {
    y.as_i64().unwrap_or(i64::MIN)
}

/// Code point index of byte offset `byte` (the suites count code points).
fn cp(text: &str, byte: usize) -> i64 {
    text[..byte].chars().count() as i64
}

/// Runs one case; `Err` holds what differed.
type Outcome = Result<(), String>;

fn compare<T: PartialEq + std::fmt::Debug>(got: T, expected: T) -> Outcome {
    if got == expected {
        Ok(())
    } else {
        Err(format!("got {got:?}, expected {expected:?}"))
    }
}

fn run_validate(group: &str, case: &Yaml) -> Option<Outcome> {
    let text = text_of(case);
    let expected = &case["expected"];
    Some(match group {
        "tweets" => compare(x::parse_tweet(text).valid, expected.as_bool()?),
        "usernames" => compare(x::is_valid_username(text), expected.as_bool()?),
        "lists" => compare(x::is_valid_list(text), expected.as_bool()?),
        "hashtags" => compare(x::is_valid_hashtag(text), expected.as_bool()?),
        "urls" => compare(x::is_valid_url(text, true), expected.as_bool()?),
        "urls_without_protocol" => compare(x::is_valid_url(text, false), expected.as_bool()?),
        "WeightedTweetsWithDiscountedEmojiCounterTest" | "UnicodeDirectionalMarkerCounterTest" => {
            let got = x::parse_tweet(text);
            compare(
                (
                    got.weighted_length as i64,
                    got.valid,
                    got.permillage as i64,
                    0,
                    got.display_range_end as i64,
                    0,
                    got.valid_range_end,
                ),
                (
                    int(&expected["weightedLength"]),
                    expected["valid"].as_bool()?,
                    int(&expected["permillage"]),
                    int(&expected["displayRangeStart"]),
                    int(&expected["displayRangeEnd"]),
                    int(&expected["validRangeStart"]),
                    int(&expected["validRangeEnd"]),
                ),
            )
        }
        _ => return None,
    })
}

fn run_extract(group: &str, case: &Yaml) -> Option<Outcome> {
    let text = text_of(case);
    let expected = &case["expected"];
    let with_indices = |key: &str| -> Vec<(String, i64, i64)> {
        expected
            .as_vec()
            .map(|v| {
                v.iter()
                    .map(|e| {
                        let indices = e["indices"].as_vec().cloned().unwrap_or_default();
                        (
                            e[key].as_str().unwrap_or_default().to_string(),
                            indices.first().map_or(-1, int),
                            indices.get(1).map_or(-1, int),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let values = |found: Vec<x::Extracted<'_>>| -> Vec<String> {
        found.iter().map(|e| e.value.to_string()).collect()
    };
    let indexed = |found: Vec<x::Extracted<'_>>| -> Vec<(String, i64, i64)> {
        found
            .iter()
            .map(|e| (e.value.to_string(), cp(text, e.start), cp(text, e.end)))
            .collect()
    };
    let urls = || -> Vec<String> {
        x::extract_urls(text)
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    };
    Some(match group {
        "mentions" => compare(values(x::extract_mentions(text)), strings(expected)),
        "mentions_with_indices" => compare(
            indexed(x::extract_mentions(text)),
            with_indices("screen_name"),
        ),
        "mentions_or_lists_with_indices" => {
            let got: Vec<(String, String, i64, i64)> = x::extract_mentions_or_lists(text)
                .iter()
                .map(|e| {
                    (
                        e.value.to_string(),
                        e.list_slug.to_string(),
                        cp(text, e.start),
                        cp(text, e.end),
                    )
                })
                .collect();
            let want: Vec<(String, String, i64, i64)> = expected
                .as_vec()?
                .iter()
                .map(|e| {
                    let indices = e["indices"].as_vec().cloned().unwrap_or_default();
                    (
                        e["screen_name"].as_str().unwrap_or_default().to_string(),
                        e["list_slug"].as_str().unwrap_or_default().to_string(),
                        indices.first().map_or(-1, int),
                        indices.get(1).map_or(-1, int),
                    )
                })
                .collect();
            compare(got, want)
        }
        "replies" => compare(x::extract_reply(text), expected.as_str()),
        "urls" | "tco_urls_with_params" => compare(urls(), strings(expected)),
        "urls_with_indices" | "urls_with_directional_markers" => {
            let got: Vec<(String, i64, i64)> = x::extract_urls(text)
                .into_iter()
                .map(|r| {
                    (
                        text[r.clone()].to_string(),
                        cp(text, r.start),
                        cp(text, r.end),
                    )
                })
                .collect();
            compare(got, with_indices("url"))
        }
        "hashtags" | "hashtags_from_astral" => {
            compare(values(x::extract_hashtags(text, true)), strings(expected))
        }
        "hashtags_with_indices" => compare(
            indexed(x::extract_hashtags(text, true)),
            with_indices("hashtag"),
        ),
        "cashtags" => compare(values(x::extract_cashtags(text)), strings(expected)),
        "cashtags_with_indices" => {
            compare(indexed(x::extract_cashtags(text)), with_indices("cashtag"))
        }
        _ => return None,
    })
}

fn run_tlds(_group: &str, case: &Yaml) -> Option<Outcome> {
    let text = text_of(case);
    let got: Vec<String> = x::extract_urls(text)
        .into_iter()
        .map(|r| text[r].to_string())
        .collect();
    Some(compare(got, strings(&case["expected"])))
}

type Runner = fn(&str, &Yaml) -> Option<Outcome>;

fn run_suite(file: &str, runner: Runner, skip_groups: &[&str]) -> Vec<String> {
    let doc = load(file);
    let mut failures = Vec::new();
    for (group, cases) in groups(&doc) {
        if skip_groups.contains(&group.as_str()) {
            println!("{file} {group}: not run (configuration v2)");
            continue;
        }
        let (mut passed, mut run) = (0, 0);
        for case in &cases {
            let description = case["description"].as_str().unwrap_or_default();
            if group == "tweets" && NOT_V3.contains(&description) {
                continue;
            }
            run += 1;
            match runner(&group, case) {
                Some(Ok(())) => passed += 1,
                Some(Err(diff)) => failures.push(format!("{file} {group}: {description}: {diff}")),
                None => failures.push(format!(
                    "{file} {group}: no runner for this group (case {description:?})"
                )),
            }
        }
        println!("{file} {group}: {passed}/{run} passed");
    }
    failures
}

#[test]
fn twitter_text_validate_suite() {
    let failures = run_suite(
        "twitter-text-validate.yml",
        run_validate,
        &["WeightedTweetsCounterTest"],
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn twitter_text_extract_suite() {
    let failures = run_suite("twitter-text-extract.yml", run_extract, &[]);
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn twitter_text_tld_suite() {
    let failures = run_suite("twitter-text-tlds.yml", run_tlds, &[]);
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn configuration_v3_is_the_one_implemented() {
    let path = fixtures().join("twitter-text-config-v3.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let config: serde_json::Value = serde_json::from_str(&text).expect("config v3 is JSON");
    assert_eq!(config["maxWeightedTweetLength"], x::MAX_WEIGHTED_LENGTH);
    assert_eq!(config["scale"], x::SCALE);
    assert_eq!(config["defaultWeight"], x::DEFAULT_WEIGHT);
    assert_eq!(config["transformedURLLength"], x::TRANSFORMED_URL_LENGTH);
    assert_eq!(config["emojiParsingEnabled"], true);
    let ranges: Vec<(u32, u32, u64)> = config["ranges"]
        .as_array()
        .expect("ranges")
        .iter()
        .map(|r| {
            (
                r["start"].as_u64().unwrap_or_default() as u32,
                r["end"].as_u64().unwrap_or_default() as u32,
                r["weight"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    let ours: Vec<(u32, u32, u64)> = x::LIGHT_RANGES.iter().map(|&(s, e)| (s, e, 100)).collect();
    assert_eq!(ranges, ours);
}
