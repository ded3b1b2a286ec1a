//! What the composer shows, built from a `PostDetail`: the main form, one panel per variant
//! (counters, problems in words, a preview that looks like the network, the tailoring form),
//! and the ids of the places the autosave answer updates.

use uuid::Uuid;

use super::form::PostForm;
use super::preview::{Segment, position, segments};
use crate::domain::Permission;
use crate::domain::post::{VariantOptions, capabilities};
use crate::domain::promo::PromoReport;
use crate::domain::text::{self, Check, Network};
use crate::services::Actor;
use crate::services::posts::{PostDetail, VariantDetail, check_options};
use crate::storage::channels::Channel;
use crate::storage::tags::Tag;
use crate::storage::workspaces::MemberWorkspace;
use crate::web::ui::forms::Errors;
use crate::web::ui::pages::workspace::networks::{self, ChannelLook};

/// The composer: the page, and the pieces its autosave answers re-render.
pub struct Composer {
    pub ws: Uuid,
    pub ws_name: String,
    pub post_id: Option<Uuid>,
    pub csrf: String,
    pub form: PostForm,
    pub errors: Errors,
    pub groups: Vec<ChannelGroup>,
    pub campaigns: Vec<Choice>,
    pub members: Vec<Choice>,
    /// Every tag of the workspace, for the suggestions.
    pub known_tags: Vec<TagChip>,
    /// This post's saved tags.
    pub tags: Vec<TagChip>,
    pub variants: Vec<VariantView>,
    /// The autosave status line.
    pub status: String,
    /// Why the post cannot be changed, or why the last save failed.
    pub alert: Option<String>,
    pub read_only: bool,
    pub state: String,
    /// How promotional the saved main text reads; `None` before the first save, or in an
    /// answer that stored nothing (the panel then keeps what it showed).
    pub tone: Option<ToneView>,
}

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

pub struct ChannelGroup {
    pub network: &'static str,
    pub label: &'static str,
    pub letter: &'static str,
    pub channels: Vec<ChannelLook>,
}

pub struct Choice {
    pub id: String,
    pub label: String,
}

pub struct TagChip {
    pub name: String,
    pub color: String,
}

impl TagChip {
    pub fn of(t: &Tag) -> Self {
        TagChip {
            name: t.name.clone(),
            color: t.color.clone(),
        }
    }
}

/// The error slots of the main form, each beside its field.
pub const POST_SLOTS: [(&str, &str); 7] = [
    ("text", "text"),
    ("channels", ""),
    ("tags", "tags"),
    ("campaign", "campaign_id"),
    ("assignee", "assignee_id"),
    ("notes", "notes"),
    ("form", ""),
];

/// Which slot shows an error of `field` (as the service names fields).
fn post_slot(field: &str) -> &'static str {
    match field {
        "text" => "text",
        "campaign_id" => "campaign",
        "assignee_id" => "assignee",
        "notes" => "notes",
        f if f.starts_with("channel_ids") => "channels",
        f if f.starts_with("tags") => "tags",
        _ => "form",
    }
}

impl Composer {
    /// Where the main form saves.
    pub fn action(&self) -> String {
        match self.post_id {
            Some(id) => format!("/w/{}/posts/{id}", self.ws),
            None => format!("/w/{}/posts", self.ws),
        }
    }

    pub fn post_id_value(&self) -> String {
        self.post_id.map(|id| id.to_string()).unwrap_or_default()
    }

    /// The message for one error slot of the main form.
    pub fn slot(&self, slot: &str) -> Option<String> {
        let names = self.form.tag_names();
        let messages: Vec<String> = self
            .errors
            .0
            .iter()
            .filter(|e| post_slot(&e.field) == slot)
            .map(|e| {
                let tag = e
                    .field
                    .strip_prefix("tags[")
                    .and_then(|r| r.strip_suffix(']'))
                    .and_then(|i| i.parse::<usize>().ok())
                    .and_then(|i| names.get(i));
                match (slot, tag) {
                    ("tags", Some(name)) => format!("Tag “{}” {}", shorten(name, 24), e.message),
                    ("channels", _) => format!("A chosen channel {}", e.message),
                    ("form", _) => format!("{}: {}", e.field.replace('_', " "), e.message),
                    _ => capitalise(&e.message),
                }
            })
            .collect();
        (!messages.is_empty()).then(|| messages.join("; "))
    }

    pub fn invalid(&self, slot: &str) -> bool {
        self.errors.0.iter().any(|e| post_slot(&e.field) == slot)
    }

    /// Every error slot of the main form as (element id, field id, message).
    pub fn slot_list(&self) -> Vec<(String, &'static str, Option<String>)> {
        POST_SLOTS
            .iter()
            .map(|(slot, field)| (format!("ce-{slot}"), *field, self.slot(slot)))
            .collect()
    }

    pub fn has_campaign(&self, id: &str) -> bool {
        self.form.campaign_id == id
    }

    pub fn has_assignee(&self, id: &str) -> bool {
        self.form.assignee_id == id
    }

    /// How many variants have something to fix, for the status line.
    pub fn needs_changes(&self) -> usize {
        self.variants.iter().filter(|v| v.problem_count > 0).count()
    }
}

/// The first `max` characters of `s`, with an ellipsis when there were more.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `in_review` -> `In review`.
pub fn state_label(state: &str) -> String {
    capitalise(&state.replace('_', " "))
}

/// Why `actor` cannot change this post (or write one at all), if they cannot.
pub fn lock_reason(
    ws: &MemberWorkspace,
    actor: &Actor,
    detail: Option<&PostDetail>,
) -> Option<String> {
    if ws.workspace.archived_at_ms.is_some() {
        return Some(
            "This workspace is archived: its posts are read-only until an owner restores it."
                .into(),
        );
    }
    if !ws.role.allows(Permission::WriteDrafts) {
        return Some(
            "You can read posts here; contributors, editors, managers and owners write them."
                .into(),
        );
    }
    let d = detail?;
    if d.post.author_id != actor.user.id && !ws.role.allows(Permission::Schedule) {
        return Some(
            "Contributors change only their own posts; ask the author or an editor.".into(),
        );
    }
    d.variants
        .iter()
        .find(|v| !v.variant.state.editable())
        .map(|v| {
            format!(
                "This post is {} on {}; it can no longer be changed.",
                v.variant.state.as_str().replace('_', " "),
                networks::label(v.channel.network)
            )
        })
}

pub fn channel_groups(channels: &[Channel]) -> Vec<ChannelGroup> {
    networks::ORDER
        .iter()
        .filter_map(|n| {
            let channels: Vec<ChannelLook> = channels
                .iter()
                .filter(|c| c.network == *n)
                .map(ChannelLook::of)
                .collect();
            (!channels.is_empty()).then(|| ChannelGroup {
                network: n.as_str(),
                label: networks::label(*n),
                letter: networks::letter(*n),
                channels,
            })
        })
        .collect()
}

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
fn variant_slot(field: &str) -> String {
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
    let problem_count = parts
        .iter()
        .flat_map(|p| &p.problems)
        .filter(|p| !p.note)
        .count();
    let options = option_fields(network, &d.variant.options);
    let initial = d
        .channel
        .display_name
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_else(|| "?".to_owned());
    VariantView {
        id: d.variant.id,
        action: format!("/w/{ws}/posts/{post}/variants/{}", d.variant.id),
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
    }
}

pub fn variant_views(ws: Uuid, csrf: &str, d: &PostDetail, read_only: bool) -> Vec<VariantView> {
    d.variants
        .iter()
        .map(|v| variant_view(ws, d.post.id, csrf, v, read_only))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_find_their_slots() {
        assert_eq!(post_slot("channel_ids[3]"), "channels");
        assert_eq!(post_slot("tags[0]"), "tags");
        assert_eq!(post_slot("form"), "form");
        assert_eq!(variant_slot("parts[1]"), "parts-1");
        assert_eq!(variant_slot("options.visibility"), "visibility");
        assert_eq!(variant_slot("options.bogus"), "form");
        assert_eq!(variant_slot("first_comment"), "first_comment");
        assert_eq!(state_label("in_review"), "In review");
        assert_eq!(shorten("abcdef", 3), "abc…");
        assert_eq!(shorten("abc", 3), "abc");
    }

    #[test]
    fn tone_words_follow_the_score() {
        let report = |score| PromoReport {
            score,
            missing_hashtags: vec!["acme".into(), "#coffee".into()],
            ..PromoReport::default()
        };
        assert_eq!(ToneView::of(&report(19), 20).word, "Informative");
        assert_eq!(ToneView::of(&report(20), 20).word, "Some selling");
        assert_eq!(ToneView::of(&report(40), 20).word, "Promotional");
        assert_eq!(
            ToneView::of(&report(0), 20).missing_hashtags,
            "#acme #coffee"
        );
    }
}
