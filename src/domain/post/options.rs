//! Per-network options of a variant. Each is offered only where the network supports it
//! (`capabilities`), and refused with a clear error elsewhere.

use serde::{Deserialize, Serialize};

use super::capabilities;
use crate::domain::Validation;
use crate::domain::text::Network;

/// The options of one variant; absent fields take the network's default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VariantOptions {
    /// Mastodon: public, unlisted, private, direct. LinkedIn: public, connections, logged_in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    /// Mastodon content warning (spoiler text); it counts toward the length.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_warning: Option<String>,
    /// ISO 639-1 code (Mastodon), or up to three (Bluesky), e.g. "en" or "en,fr".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// X: everyone, following, mentioned_users, subscribers, verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_settings: Option<String>,
    /// Instagram: feed, reel, story, carousel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instagram_format: Option<String>,
    /// Facebook: link, photo, text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facebook_format: Option<String>,
    /// Threads: everyone, accounts_you_follow, mentioned_only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_control: Option<String>,
}

fn one_of(v: &mut Validation, field: &str, value: &Option<String>, allowed: &[&str]) {
    if let Some(value) = value
        && !allowed.contains(&value.as_str())
    {
        v.add(
            field,
            format!("{value:?} is not one of {}", allowed.join(", ")),
        );
    }
}

fn offered(v: &mut Validation, field: &str, present: bool, supported: bool, network: Network) {
    if present && !supported {
        v.add(
            field,
            format!("{} does not support this option", network.as_str()),
        );
    }
}

/// A language tag Herald accepts: two or three lowercase letters (ISO 639-1/-3), with an
/// optional region (`pt-BR`).
fn language_ok(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let lang = parts.next().unwrap_or("");
    let region = parts.next();
    (2..=3).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_lowercase())
        && region.is_none_or(|r| r.len() == 2 && r.chars().all(|c| c.is_ascii_uppercase()))
        && parts.next().is_none()
}

impl VariantOptions {
    /// Checks each option is offered by `network` and has an allowed value. `prefix` names
    /// the variant in field paths (`variants[2].options`).
    pub fn validate(&self, v: &mut Validation, network: Network, prefix: &str) {
        let caps = capabilities::of(network);
        let f = |name: &str| format!("{prefix}.{name}");
        offered(
            v,
            &f("visibility"),
            self.visibility.is_some(),
            caps.visibility,
            network,
        );
        offered(
            v,
            &f("content_warning"),
            self.content_warning.is_some(),
            caps.content_warning,
            network,
        );
        offered(
            v,
            &f("language"),
            self.language.is_some(),
            caps.language,
            network,
        );
        offered(
            v,
            &f("reply_settings"),
            self.reply_settings.is_some(),
            caps.reply_settings,
            network,
        );
        offered(
            v,
            &f("instagram_format"),
            self.instagram_format.is_some(),
            caps.instagram_format,
            network,
        );
        offered(
            v,
            &f("facebook_format"),
            self.facebook_format.is_some(),
            caps.facebook_format,
            network,
        );
        offered(
            v,
            &f("reply_control"),
            self.reply_control.is_some(),
            caps.reply_control,
            network,
        );
        match network {
            Network::Mastodon => one_of(
                v,
                &f("visibility"),
                &self.visibility,
                &["public", "unlisted", "private", "direct"],
            ),
            Network::Linkedin => one_of(
                v,
                &f("visibility"),
                &self.visibility,
                &["public", "connections", "logged_in"],
            ),
            _ => {}
        }
        one_of(
            v,
            &f("reply_settings"),
            &self.reply_settings,
            &[
                "everyone",
                "following",
                "mentioned_users",
                "subscribers",
                "verified",
            ],
        );
        one_of(
            v,
            &f("instagram_format"),
            &self.instagram_format,
            &["feed", "reel", "story", "carousel"],
        );
        one_of(
            v,
            &f("facebook_format"),
            &self.facebook_format,
            &["link", "photo", "text"],
        );
        one_of(
            v,
            &f("reply_control"),
            &self.reply_control,
            &["everyone", "accounts_you_follow", "mentioned_only"],
        );
        if let Some(language) = &self.language {
            let tags: Vec<&str> = language.split(',').map(str::trim).collect();
            // Bluesky's post record takes up to three languages (lexicon app.bsky.feed.post `langs`).
            let max = if network == Network::Bluesky { 3 } else { 1 };
            if tags.len() > max || !tags.iter().all(|t| language_ok(t)) {
                v.add(
                    &f("language"),
                    format!("must be {max} language code(s) such as en or pt-BR"),
                );
            }
        }
        if let Some(cw) = &self.content_warning
            && cw.chars().count() > 1000
        {
            v.add(&f("content_warning"), "must be at most 1000 characters");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(options: VariantOptions, network: Network) -> Vec<String> {
        let mut v = Validation::new();
        options.validate(&mut v, network, "options");
        v.finish()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect()
    }

    #[test]
    fn options_are_offered_only_where_supported() {
        let mastodon = VariantOptions {
            visibility: Some("unlisted".into()),
            content_warning: Some("spoilers".into()),
            language: Some("en".into()),
            ..Default::default()
        };
        assert!(errors(mastodon.clone(), Network::Mastodon).is_empty());
        assert_eq!(errors(mastodon, Network::X).len(), 3);
        let bluesky = VariantOptions {
            language: Some("en, fr, pt-BR".into()),
            ..Default::default()
        };
        assert!(errors(bluesky, Network::Bluesky).is_empty());
    }

    #[test]
    fn values_are_checked() {
        let bad = VariantOptions {
            visibility: Some("everyone".into()),
            ..Default::default()
        };
        assert_eq!(
            errors(bad, Network::Mastodon),
            ["options.visibility: \"everyone\" is not one of public, unlisted, private, direct"]
        );
        let bad = VariantOptions {
            language: Some("english".into()),
            ..Default::default()
        };
        assert_eq!(errors(bad, Network::Mastodon).len(), 1);
        let four = VariantOptions {
            language: Some("en,fr,de,it".into()),
            ..Default::default()
        };
        assert_eq!(errors(four, Network::Bluesky).len(), 1);
        let ig = VariantOptions {
            instagram_format: Some("reel".into()),
            ..Default::default()
        };
        assert!(errors(ig, Network::Instagram).is_empty());
    }
}
