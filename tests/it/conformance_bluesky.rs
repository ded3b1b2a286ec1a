//! Bluesky facet detection against @atproto/api's own detection cases
//! (`tests/fixtures/conformance/atproto-detect-facets.json`, a copy of the shared fixture extracted from
//! `packages/api/tests/rich-text-detection.test.ts`). Every case of every group runs; the pass
//! count per group is printed and all must pass.

use herald::domain::text::EntityKind;
use herald::domain::text::bluesky::{Facet, detect_facets};
use serde_json::Value;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/conformance/atproto-detect-facets.json"
);

fn fixture() -> Value {
    let text = std::fs::read_to_string(FIXTURE)
        .unwrap_or_else(|e| panic!("cannot read the atproto conformance cases at {FIXTURE}: {e}"));
    serde_json::from_str(&text).expect("atproto-detect-facets.json is JSON")
}

fn cases<'a>(fixture: &'a Value, group: &str) -> &'a Vec<Value> {
    fixture[group]
        .as_array()
        .unwrap_or_else(|| panic!("group {group} missing from {FIXTURE}"))
}

/// `RichText.segments()` as the reference test reads it (`segmentToOutput`): plain text as
/// `[text]`, a faceted segment as `[text, value]` where a mention's value is the DID the test
/// mock resolves (`did:fake:<handle>`), a link's its URI, and a tag's the empty string.
fn segments(text: &str, facets: &[Facet]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    if facets.is_empty() {
        out.push(vec![text.to_string()]);
        return out;
    }
    let mut cursor = 0;
    for facet in facets {
        if cursor < facet.start {
            out.push(vec![text[cursor..facet.start].to_string()]);
        } else if cursor > facet.start {
            continue;
        }
        if facet.start < facet.end {
            let sub = &text[facet.start..facet.end];
            if sub.trim().is_empty() {
                out.push(vec![sub.to_string()]);
            } else {
                let value = match facet.kind {
                    EntityKind::Mention => format!("did:fake:{}", facet.value),
                    EntityKind::Url => facet.value.clone(),
                    EntityKind::Hashtag | EntityKind::Cashtag => String::new(),
                };
                out.push(vec![sub.to_string(), value]);
            }
        }
        cursor = facet.end;
    }
    if cursor < text.len() {
        out.push(vec![text[cursor..].to_string()]);
    }
    out
}

/// The faceted segments, in order (facets hidden by an earlier one left out).
fn rendered(text: &str, facets: &[Facet]) -> Vec<Facet> {
    let mut cursor = 0;
    let mut out = Vec::new();
    for facet in facets {
        if cursor > facet.start {
            continue;
        }
        if facet.start < facet.end && !text[facet.start..facet.end].trim().is_empty() {
            out.push(facet.clone());
        }
        cursor = facet.end;
    }
    out
}

fn indices(v: &Value) -> Vec<(usize, usize)> {
    v.as_array()
        .expect("indices")
        .iter()
        .map(|i| {
            (
                i["byteStart"].as_u64().expect("byteStart") as usize,
                i["byteEnd"].as_u64().expect("byteEnd") as usize,
            )
        })
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("a list of strings")
        .iter()
        .map(|s| s.as_str().expect("a string").to_string())
        .collect()
}

fn report(group: &str, passed: usize, failures: &[String]) {
    let total = passed + failures.len();
    println!("atproto {group}: {passed}/{total} passed");
    for failure in failures {
        println!("  FAILED {failure}");
    }
}

#[test]
fn atproto_detect_facets_conformance() {
    let fixture = fixture();
    let mut all_failures = Vec::new();

    // Segments: mentions and links, rebuilt into RichText segments.
    let mut passed = 0;
    let mut failures = Vec::new();
    for case in cases(&fixture, "segments") {
        let input = case["input"].as_str().expect("input");
        let expected: Vec<Vec<String>> = case["expected"]
            .as_array()
            .expect("expected")
            .iter()
            .map(strings)
            .collect();
        let got = segments(input, &detect_facets(input));
        if got == expected {
            passed += 1;
        } else {
            failures.push(format!("{input:?}: expected {expected:?}, got {got:?}"));
        }
    }
    report("segments", passed, &failures);
    all_failures.extend(failures);

    // Tags: every tag value (hashtags and cashtags are both `#tag` features) and the byte
    // range of every faceted segment.
    let mut passed = 0;
    let mut failures = Vec::new();
    for case in cases(&fixture, "tags") {
        let input = case["input"].as_str().expect("input");
        let facets = rendered(input, &detect_facets(input));
        let tags: Vec<String> = facets
            .iter()
            .filter(|f| matches!(f.kind, EntityKind::Hashtag | EntityKind::Cashtag))
            .map(|f| f.value.clone())
            .collect();
        let got_indices: Vec<(usize, usize)> = facets.iter().map(|f| (f.start, f.end)).collect();
        let (want_tags, want_indices) = (strings(&case["tags"]), indices(&case["indices"]));
        if tags == want_tags && got_indices == want_indices {
            passed += 1;
        } else {
            failures.push(format!(
                "{input:?}: expected {want_tags:?} at {want_indices:?}, got {tags:?} at {got_indices:?}"
            ));
        }
    }
    report("tags", passed, &failures);
    all_failures.extend(failures);

    // Cashtags: only tag facets whose value starts with `$`.
    let mut passed = 0;
    let mut failures = Vec::new();
    for case in cases(&fixture, "cashtags") {
        let input = case["input"].as_str().expect("input");
        let facets: Vec<Facet> = rendered(input, &detect_facets(input))
            .into_iter()
            .filter(|f| {
                matches!(f.kind, EntityKind::Hashtag | EntityKind::Cashtag)
                    && f.value.starts_with('$')
            })
            .collect();
        let tags: Vec<String> = facets.iter().map(|f| f.value.clone()).collect();
        let got_indices: Vec<(usize, usize)> = facets.iter().map(|f| (f.start, f.end)).collect();
        let (want_tags, want_indices) = (strings(&case["tags"]), indices(&case["indices"]));
        if tags == want_tags && got_indices == want_indices {
            passed += 1;
        } else {
            failures.push(format!(
                "{input:?}: expected {want_tags:?} at {want_indices:?}, got {tags:?} at {got_indices:?}"
            ));
        }
    }
    report("cashtags", passed, &failures);
    all_failures.extend(failures);

    assert!(
        all_failures.is_empty(),
        "{} atproto cases failed:\n{}",
        all_failures.len(),
        all_failures.join("\n")
    );
}

#[test]
fn check_reports_the_facets_as_entities() {
    use herald::domain::text::{CheckOptions, Network, check};
    let text = "👨‍👩‍👧‍👧 @handle.com https://middle.com #tag $AAPL";
    let c = check(Network::Bluesky, text, &CheckOptions::default());
    let got: Vec<(EntityKind, &str)> = c
        .entities
        .iter()
        .map(|e| (e.kind, &text[e.start..e.end]))
        .collect();
    assert_eq!(
        got,
        vec![
            (EntityKind::Mention, "@handle.com"),
            (EntityKind::Url, "https://middle.com"),
            (EntityKind::Hashtag, "#tag"),
            (EntityKind::Cashtag, "$AAPL"),
        ]
    );
    for e in &c.entities {
        assert_eq!(e.text, &text[e.start..e.end]);
    }
    assert_eq!(c.length, 43);
    assert!(c.valid);
}
