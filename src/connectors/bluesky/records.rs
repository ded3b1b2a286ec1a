//! Building `app.bsky.feed.post` records (`lexicons/app.bsky.feed.post.json`): text, facets
//! from Herald's own detection with mentions resolved to DIDs, languages, reply references,
//! and the image, video or link-card embed.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::domain::text::EntityKind;
use crate::domain::text::bluesky::facets::{Facet, detect_facets, visible};

/// The record key a part is published under, chosen by Herald so that a retry of the same
/// part conflicts instead of posting twice (DESIGN.md, "Publishing"). Posts take TIDs
/// (<https://atproto.com/specs/tid>): 53 bits of microseconds and 10 bits of clock id in
/// base32-sortable. The time is when the variant's first attempt began, and the clock id
/// comes from the idempotency key and the part's index, so the same part always gets the
/// same key.
pub fn record_key(key: &str, index: usize, first_attempt_ms: i64) -> String {
    let digest = Sha256::digest(format!("{key}-{index}").as_bytes());
    let clock_id = u64::from(u16::from_be_bytes([digest[0], digest[1]]) & 0x3ff);
    let micros = (first_attempt_ms.max(0) as u64)
        .saturating_mul(1000)
        .saturating_add(index as u64)
        & ((1 << 53) - 1);
    tid(micros, clock_id)
}

fn tid(micros: u64, clock_id: u64) -> String {
    const ALPHABET: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";
    let value = (micros << 10) | (clock_id & 0x3ff);
    (0..13)
        .rev()
        .map(|i| ALPHABET[((value >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// Facets as the lexicon wants them. `resolve` turns a handle into a DID; mentions it cannot
/// resolve are left as plain text, as Bluesky's own app does.
pub fn facets(text: &str, dids: &dyn Fn(&str) -> Option<String>) -> Vec<Value> {
    visible(text, &detect_facets(text))
        .into_iter()
        .filter_map(|f: Facet| {
            let feature = match f.kind {
                EntityKind::Url => json!({"$type": "app.bsky.richtext.facet#link", "uri": f.value}),
                EntityKind::Hashtag => {
                    json!({"$type": "app.bsky.richtext.facet#tag", "tag": f.value})
                }
                EntityKind::Cashtag => {
                    json!({"$type": "app.bsky.richtext.facet#tag", "tag": f.value})
                }
                EntityKind::Mention => {
                    json!({"$type": "app.bsky.richtext.facet#mention", "did": dids(&f.value)?})
                }
            };
            Some(json!({
                "index": {"byteStart": f.start, "byteEnd": f.end},
                "features": [feature],
            }))
        })
        .collect()
}

/// The handles mentioned in `text`, to resolve before building facets.
pub fn mentioned_handles(text: &str) -> Vec<String> {
    detect_facets(text)
        .into_iter()
        .filter(|f| f.kind == EntityKind::Mention)
        .map(|f| f.value)
        .collect()
}

/// `langs`: up to three codes from "en,fr".
pub fn langs(language: Option<&str>) -> Vec<String> {
    language
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(3)
        .map(str::to_owned)
        .collect()
}

pub fn strong_ref(uri: &str, cid: &str) -> Value {
    json!({"uri": uri, "cid": cid})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_keys_are_valid_tids_and_stable() {
        let a = record_key("variant-1", 0, 1_700_000_000_000);
        assert_eq!(a.len(), 13);
        assert!(a.starts_with(|c: char| "234567abcdefghij".contains(c)));
        assert_eq!(a, record_key("variant-1", 0, 1_700_000_000_000));
        assert_ne!(a, record_key("variant-1", 1, 1_700_000_000_000));
        assert_ne!(a, record_key("variant-2", 0, 1_700_000_000_000));
        // Later first attempts sort later.
        assert!(record_key("v", 0, 1_800_000_000_000) > a);
    }

    #[test]
    fn facets_carry_byte_offsets_and_resolved_mentions() {
        let text = "héllo @alice.test and @ghost.test see https://acme.coffee #rust";
        let resolve = |h: &str| (h == "alice.test").then(|| "did:plc:alice".to_owned());
        let f = facets(text, &resolve);
        let kinds: Vec<&str> = f
            .iter()
            .map(|v| v["features"][0]["$type"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "app.bsky.richtext.facet#mention",
                "app.bsky.richtext.facet#link",
                "app.bsky.richtext.facet#tag"
            ]
        );
        let start = f[0]["index"]["byteStart"].as_u64().unwrap() as usize;
        assert_eq!(&text[start..start + 11], "@alice.test");
        assert_eq!(f[0]["features"][0]["did"], "did:plc:alice");
        assert_eq!(langs(Some("en, fr,de,it")), ["en", "fr", "de"]);
    }
}
