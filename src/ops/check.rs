//! `herald check --network N`: reads post text on standard input and prints one JSON object
//! (`network`, `length`, `limit`, `valid`, `entities`, `problems`), as `POST /api/v1/check`.

use std::path::Path;

use anyhow::Context;

use crate::domain::text::{self, Check, CheckOptions, MastodonLimits, Network};

/// Reads a Mastodon instance's limits from the JSON of `GET /api/v2/instance` (or v1's
/// `configuration`), where `configuration.statuses` holds them.
pub fn read_instance_config(path: &Path) -> anyhow::Result<MastodonLimits> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let statuses = &json["configuration"]["statuses"];
    let field = |name: &str| -> anyhow::Result<usize> {
        statuses[name]
            .as_u64()
            .map(|n| n as usize)
            .with_context(|| {
                format!(
                    "{}: configuration.statuses.{name} is missing or not a number",
                    path.display()
                )
            })
    };
    Ok(MastodonLimits {
        max_characters: field("max_characters")?,
        characters_reserved_per_url: field("characters_reserved_per_url")?,
    })
}

pub fn run(
    network: &str,
    instance_config: Option<&Path>,
    content_warning: Option<String>,
    input: &str,
) -> anyhow::Result<Check> {
    let network = Network::parse(network).with_context(|| {
        format!("unknown network {network:?}: expected x, mastodon, bluesky, threads, linkedin, instagram or facebook")
    })?;
    let mastodon = instance_config.map(read_instance_config).transpose()?;
    // A trailing newline comes from the shell (`echo`, heredocs), not from the author.
    let input = input.strip_suffix('\n').unwrap_or(input);
    let input = input.strip_suffix('\r').unwrap_or(input);
    Ok(text::check(
        network,
        input,
        &CheckOptions {
            mastodon,
            content_warning,
        },
    ))
}
