//! The per-variant panels of the composer: counter, problems, options and preview.

use uuid::Uuid;

use super::link_view::{LinkCard, TrackedLink, variant_urls};
use super::media_view::{PreviewMedia, preview_media};
use super::preview::{Segment, position, segments};
use super::view::capitalise;
use crate::domain::post::{VariantOptions, capabilities};
use crate::domain::text::{self, Check, Network};
use crate::services::posts::{PostDetail, VariantDetail, check_options};
use crate::storage::media::Media;
use crate::web::ui::forms::Errors;
use crate::web::ui::pages::workspace::networks;

/// One variant's panel.
pub struct VariantView {
    pub id: Uuid,
    /// Where its form saves.
    pub action: String,
    pub csrf: String,
    pub network: &'static str,
    pub label: &'static str,
    pub letter: &'static str,
    pub handle: String,
    pub display_name: String,
    /// The avatar's letter in the preview.
    pub initial: String,
    pub detached: bool,
    pub threads: bool,
    /// The saved parts as the network counts them, for counters, problems and the preview.
    pub parts: Vec<PartView>,
    /// The text areas of a detached variant (the saved parts, plus a new empty one after
    /// "Add a part").
    pub texts: Vec<String>,
    /// `Some` where the network takes a first comment.
    pub first_comment: Option<String>,
    /// The first comment as the network shows it (links, hashtags, mentions).
    pub comment_segments: Vec<Segment>,
    pub options: Vec<OptionField>,
    /// Errors of this variant's form, by the service's field names.
    pub errors: Errors,
    /// The text area to focus after the panel is redrawn.
    pub focus: Option<usize>,
    pub read_only: bool,
    pub problem_count: usize,
    /// Shown in the preview's header: visibility, language.
    pub meta: Vec<String>,
    pub content_warning: Option<String>,
    /// The links of its parts, in order, as the network finds them.
    pub urls: Vec<String>,
    /// Where the preview card of its first link loads from.
    pub card_url: String,
    /// The card itself, when this answer carries it (its own answer, or the page without
    /// JavaScript).
    pub card: Option<LinkCard>,
    /// The first link changed with this save: the answer draws the card again.
    pub link_changed: bool,
    /// Where "Track links" posts.
    pub track_action: String,
    /// `{public_url}/l/`: links that start with it are tracked already.
    pub short_prefix: String,
    /// Its tracked short links with their clicks.
    pub tracked: Vec<TrackedLink>,
    /// Links were just tracked: the table takes the focus.
    pub tracked_focus: bool,
    /// The post's pictures and videos as this network gets them, for the preview.
    pub media: Vec<PreviewMedia>,
    /// What the network would refuse about them, in words ("Image 2 is …").
    pub media_problems: Vec<String>,
}

pub struct PartView {
    pub number: usize,
    pub counter: String,
    pub over: bool,
    /// The network's rules are not written yet: no counter to show.
    pub unsupported: bool,
    pub problems: Vec<ProblemView>,
    pub segments: Vec<Segment>,
    pub empty: bool,
}

pub struct ProblemView {
    pub message: String,
    pub position: Option<String>,
    /// A note rather than something to fix (a network Herald cannot check yet).
    pub note: bool,
}

/// One per-network option of a variant.
pub struct OptionField {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: String,
    /// Empty for a text input.
    pub choices: Vec<(&'static str, &'static str)>,
    pub value: String,
    pub placeholder: &'static str,
}

impl OptionField {
    pub fn selected(&self, value: &str) -> bool {
        self.value == value
    }
}

/// Which slot of a variant panel shows an error of `field`.
pub(super) fn variant_slot(field: &str) -> String {
    if let Some(i) = field
        .strip_prefix("parts[")
        .and_then(|r| r.strip_suffix(']'))
    {
        return format!("parts-{i}");
    }
    match field {
        "parts" | "first_comment" => field.to_owned(),
        f => match f.strip_prefix("options.") {
            Some(name) if super::form::OPTION_NAMES.contains(&name) => name.to_owned(),
            _ => "form".to_owned(),
        },
    }
}

impl VariantView {
    pub fn slot_id(&self, slot: impl AsRef<str>) -> String {
        format!("ve-{}-{}", self.id, slot.as_ref())
    }

    pub fn field_id(&self, name: impl AsRef<str>) -> String {
        format!("v-{}-{}", self.id, name.as_ref())
    }

    pub fn slot(&self, slot: impl AsRef<str>) -> Option<String> {
        let slot = slot.as_ref();
        let messages: Vec<String> = self
            .errors
            .0
            .iter()
            .filter(|e| variant_slot(&e.field) == slot)
            .map(|e| capitalise(&e.message))
            .collect();
        (!messages.is_empty()).then(|| messages.join("; "))
    }

    pub fn invalid(&self, slot: impl AsRef<str>) -> bool {
        let slot = slot.as_ref();
        self.errors.0.iter().any(|e| variant_slot(&e.field) == slot)
    }

    /// The network's rules are not written yet (no count to show).
    pub fn unsupported(&self) -> bool {
        self.parts.iter().any(|p| p.unsupported)
    }

    /// Every error slot of the panel as (element id, field id, message), for answers that
    /// fill or clear them; `parts_sent` text areas were in the form.
    pub fn slot_list(&self, parts_sent: &usize) -> Vec<(String, String, Option<String>)> {
        let mut slots = vec![
            ("parts".to_owned(), String::new()),
            ("form".to_owned(), String::new()),
        ];
        for i in 0..(*parts_sent).max(self.texts.len()) {
            slots.push((format!("parts-{i}"), self.field_id(format!("part-{i}"))));
        }
        if self.first_comment.is_some() {
            slots.push(("first_comment".into(), self.field_id("first_comment")));
        }
        for o in &self.options {
            slots.push((o.name.to_owned(), self.field_id(o.name)));
        }
        slots
            .into_iter()
            .map(|(slot, field)| (self.slot_id(&slot), field, self.slot(&slot)))
            .collect()
    }

    /// `42 / 300`, or per part for a thread; for the panel's header.
    pub fn summary(&self) -> String {
        match self.parts.as_slice() {
            [one] => one.counter.clone(),
            many => format!("{} parts", many.len()),
        }
    }

    pub fn over(&self) -> bool {
        self.parts.iter().any(|p| p.over)
    }

    pub fn comment_text(&self) -> &str {
        self.first_comment.as_deref().unwrap_or("").trim()
    }

    pub fn is_focus(&self, i: &usize) -> bool {
        self.focus == Some(*i)
    }

    /// The link a network shows a card for: the first.
    pub fn link(&self) -> Option<&str> {
        self.urls.first().map(String::as_str)
    }

    /// How many of its links are not short links yet.
    pub fn untracked(&self) -> usize {
        self.urls
            .iter()
            .filter(|u| self.short_prefix.is_empty() || !u.starts_with(&self.short_prefix))
            .count()
    }

    /// The host of Herald's short links, for the "Track links" hint.
    pub fn short_host(&self) -> String {
        super::link_view::domain(&self.short_prefix)
    }
}

fn part_view(number: usize, text: &str, check: &Check) -> PartView {
    let unsupported = check.problems.iter().any(|p| p.code == "unsupported");
    let problems = check
        .problems
        .iter()
        .map(|p| ProblemView {
            message: p.message.clone(),
            position: position(text, p.start, p.end),
            note: p.code == "unsupported",
        })
        .collect();
    PartView {
        number,
        counter: if unsupported {
            "not counted yet".to_owned()
        } else {
            format!(
                "{} / {}",
                networks::group(check.length),
                networks::group(check.limit)
            )
        },
        over: !unsupported && check.length > check.limit,
        unsupported,
        problems,
        segments: segments(text, check),
        empty: text.trim().is_empty(),
    }
}

fn option_fields(network: Network, o: &VariantOptions) -> Vec<OptionField> {
    let caps = capabilities::of(network);
    let mut out = Vec::new();
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    if caps.visibility {
        let choices = match network {
            Network::Linkedin => vec![
                ("", "Default"),
                ("public", "Anyone"),
                ("connections", "Connections only"),
                ("logged_in", "Signed-in members"),
            ],
            _ => vec![
                ("", "Account default"),
                ("public", "Public"),
                ("unlisted", "Unlisted"),
                ("private", "Followers only"),
                ("direct", "Mentioned only"),
            ],
        };
        out.push(OptionField {
            name: "visibility",
            label: "Visibility",
            hint: if network == Network::Mastodon {
                "Unlisted posts are public but stay out of trending and public timelines.".into()
            } else {
                "Who can see the post.".into()
            },
            choices,
            value: value(&o.visibility),
            placeholder: "",
        });
    }
    if caps.content_warning {
        out.push(OptionField {
            name: "content_warning",
            label: "Content warning",
            hint: "Shown instead of the text until people open it; it counts toward the limit."
                .into(),
            choices: Vec::new(),
            value: value(&o.content_warning),
            placeholder: "e.g. Spoilers",
        });
    }
    if caps.language {
        out.push(OptionField {
            name: "language",
            label: "Language",
            hint: if network == Network::Bluesky {
                "Up to three codes separated by commas, such as en or en, fr.".into()
            } else {
                "One code such as en or pt-BR.".into()
            },
            choices: Vec::new(),
            value: value(&o.language),
            placeholder: "en",
        });
    }
    if caps.reply_settings {
        out.push(OptionField {
            name: "reply_settings",
            label: "Who can reply",
            hint: String::new(),
            choices: vec![
                ("", "Default"),
                ("everyone", "Everyone"),
                ("following", "Accounts you follow"),
                ("mentioned_users", "Only accounts you mention"),
                ("subscribers", "Subscribers"),
                ("verified", "Verified accounts"),
            ],
            value: value(&o.reply_settings),
            placeholder: "",
        });
    }
    if caps.reply_control {
        out.push(OptionField {
            name: "reply_control",
            label: "Who can reply",
            hint: String::new(),
            choices: vec![
                ("", "Default"),
                ("everyone", "Everyone"),
                ("accounts_you_follow", "Accounts you follow"),
                ("mentioned_only", "Only accounts you mention"),
            ],
            value: value(&o.reply_control),
            placeholder: "",
        });
    }
    if caps.instagram_format {
        out.push(OptionField {
            name: "instagram_format",
            label: "Format",
            hint: "Instagram posts need an image or a video.".into(),
            choices: vec![
                ("", "Default: feed post"),
                ("feed", "Feed post"),
                ("reel", "Reel"),
                ("story", "Story"),
                ("carousel", "Carousel"),
            ],
            value: value(&o.instagram_format),
            placeholder: "",
        });
    }
    if caps.facebook_format {
        out.push(OptionField {
            name: "facebook_format",
            label: "Format",
            hint: String::new(),
            choices: vec![
                ("", "Default"),
                ("text", "Text only"),
                ("link", "Link post"),
                ("photo", "Photo post"),
            ],
            value: value(&o.facebook_format),
            placeholder: "",
        });
    }
    out
}

/// What the preview's header says besides the account: visibility, language.
fn meta(fields: &[OptionField]) -> Vec<String> {
    let mut out = Vec::new();
    for f in fields {
        if f.value.is_empty() || f.name == "content_warning" {
            continue;
        }
        let shown = f
            .choices
            .iter()
            .find(|(v, _)| *v == f.value)
            .map(|(_, label)| (*label).to_owned())
            .unwrap_or_else(|| f.value.to_uppercase());
        out.push(shown);
    }
    out
}

pub fn variant_view(
    ws: Uuid,
    post: Uuid,
    csrf: &str,
    d: &VariantDetail,
    media: &[Media],
    read_only: bool,
) -> VariantView {
    let network = d.channel.network;
    let caps = capabilities::of(network);
    let parts: Vec<PartView> = d
        .variant
        .parts
        .iter()
        .zip(&d.checks)
        .enumerate()
        .map(|(i, (text, check))| part_view(i + 1, text, check))
        .collect();
    let media_problems: Vec<String> = d.media_problems.iter().map(|p| p.message.clone()).collect();
    let problem_count = parts
        .iter()
        .flat_map(|p| &p.problems)
        .filter(|p| !p.note)
        .count()
        + media_problems.len();
    let options = option_fields(network, &d.variant.options);
    let initial = d
        .channel
        .display_name
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_else(|| "?".to_owned());
    let action = format!("/w/{ws}/posts/{post}/variants/{}", d.variant.id);
    VariantView {
        id: d.variant.id,
        card_url: format!("{action}/link-preview"),
        track_action: format!("{action}/track-links"),
        action,
        csrf: csrf.to_owned(),
        network: network.as_str(),
        label: networks::label(network),
        letter: networks::letter(network),
        handle: d.channel.handle.clone(),
        display_name: d.channel.display_name.clone(),
        initial,
        detached: d.variant.detached,
        threads: caps.threads,
        texts: d.variant.parts.0.clone(),
        parts,
        first_comment: caps.first_comment.then(|| d.variant.first_comment.clone()),
        comment_segments: if caps.first_comment {
            let comment = d.variant.first_comment.trim();
            let check = text::check(network, comment, &check_options(&d.channel, None));
            segments(comment, &check)
        } else {
            Vec::new()
        },
        meta: meta(&options),
        content_warning: d
            .variant
            .options
            .content_warning
            .clone()
            .filter(|cw| !cw.trim().is_empty()),
        options,
        errors: Errors::default(),
        focus: None,
        read_only,
        problem_count,
        urls: variant_urls(d),
        card: None,
        link_changed: false,
        short_prefix: String::new(),
        tracked: Vec::new(),
        tracked_focus: false,
        media: preview_media(media, network),
        media_problems,
    }
}

pub fn variant_views(ws: Uuid, csrf: &str, d: &PostDetail, read_only: bool) -> Vec<VariantView> {
    d.variants
        .iter()
        .map(|v| variant_view(ws, d.post.id, csrf, v, &d.media, read_only))
        .collect()
}
