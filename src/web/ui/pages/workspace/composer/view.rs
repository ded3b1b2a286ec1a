//! What the composer shows, built from a `PostDetail`: the main form, one panel per variant
//! (counters, problems in words, a preview that looks like the network, the tailoring form),
//! and the ids of the places the autosave answer updates.

use uuid::Uuid;

use super::form::{CreditForm, PostForm};
use super::media_view::{AttachedMedia, Picker};
use crate::domain::Permission;
use crate::domain::text::Network;
use crate::services::Actor;
use crate::services::posts::PostDetail;
use crate::storage::channels::Channel;
use crate::storage::tags::Tag;
use crate::storage::workspaces::MemberWorkspace;
use crate::web::ui::forms::Errors;
use crate::web::ui::pages::workspace::networks::{self, ChannelLook};

pub use super::tone::ToneView;
pub use super::variant_view::{VariantView, variant_views};

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
    /// The "New campaign…" form beside the campaign list.
    pub new_campaign: CampaignDraft,
    /// A campaign was just created and chosen: the list takes the focus.
    pub campaign_created: bool,
    /// The post's pictures and videos, in order, as the media section lists them.
    pub media: Vec<AttachedMedia>,
    /// This answer changed the media list: it is drawn again.
    pub media_changed: bool,
    /// The control the keyboard goes to after that redraw.
    pub media_focus: Option<String>,
    /// The library picker, drawn open (its own address, without JavaScript).
    pub picker: Option<Picker>,
    /// The "When" section (a saved post, on the whole page and section answers).
    pub when: Option<super::when_view::WhenView>,
    /// The review section: approvals, comments, the audit log.
    pub review: Option<super::review_view::ReviewView>,
    /// The "Repeat" section: the recurring rule and the evergreen switch.
    pub repeat: Option<super::repeat_view::RepeatView>,
}

/// One handle field of the credit.
pub struct HandleField {
    pub network: &'static str,
    pub label: &'static str,
    /// The shape the network's handles take.
    pub placeholder: &'static str,
}

impl HandleField {
    pub fn of(network: Network) -> Self {
        HandleField {
            network: network.as_str(),
            label: networks::label(network),
            placeholder: match network {
                Network::X => "@ana_brews",
                Network::Mastodon => "@ana@social.coop",
                Network::Bluesky => "@ana.bsky.social",
                Network::Threads | Network::Instagram => "@ana.brews",
                Network::Linkedin | Network::Facebook => "Ana Souza",
            },
        }
    }

    /// LinkedIn and Facebook mentions are not plain text: a name is what can be written.
    pub fn by_name(&self) -> bool {
        matches!(self.network, "linkedin" | "facebook")
    }
}

static NO_CREDIT: CreditForm = CreditForm {
    url: String::new(),
    author: String::new(),
    handles: Vec::new(),
};

/// The "New campaign…" form as typed, with its errors (whole sentences, by field).
#[derive(Default)]
pub struct CampaignDraft {
    pub name: String,
    pub color: String,
    pub errors: Errors,
    /// Shown unfolded (it has errors to show).
    pub open: bool,
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

/// The error slots of the main form, each beside its field (the credit's handle fields
/// add one each).
pub const POST_SLOTS: [(&str, &str); 10] = [
    ("text", "text"),
    ("channels", ""),
    ("media", ""),
    ("credit-url", "credit-url"),
    ("credit-author", "credit-author"),
    ("tags", "tags"),
    ("campaign", "campaign_id"),
    ("assignee", "assignee_id"),
    ("notes", "notes"),
    ("form", ""),
];

/// Which slot shows an error of `field` (as the service names fields).
fn post_slot(field: &str) -> String {
    match field {
        "text" => "text",
        "campaign_id" => "campaign",
        "assignee_id" => "assignee",
        "notes" => "notes",
        "credit.url" => "credit-url",
        "credit.author" => "credit-author",
        f if f.starts_with("channel_ids") => "channels",
        f if f.starts_with("media_ids") => "media",
        f if f.starts_with("tags") => "tags",
        f => match f.strip_prefix("credit.handles.").and_then(Network::parse) {
            Some(n) => return format!("credit-handle-{}", n.as_str()),
            None => "form",
        },
    }
    .to_owned()
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
                    ("media", _) if e.field.contains('[') => {
                        format!("A chosen picture or video {}", e.message)
                    }
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
    pub fn slot_list(&self) -> Vec<(String, String, Option<String>)> {
        let handles = self.credit_handles().into_iter().map(|h| {
            let id = format!("credit-handle-{}", h.network);
            (id.clone(), id)
        });
        POST_SLOTS
            .iter()
            .map(|(slot, field)| ((*slot).to_owned(), (*field).to_owned()))
            .chain(handles)
            .map(|(slot, field)| (format!("ce-{slot}"), field, self.slot(&slot)))
            .collect()
    }

    /// The credit as typed or saved (empty on a new post).
    pub fn credit(&self) -> &CreditForm {
        self.form.credit.as_ref().unwrap_or(&NO_CREDIT)
    }

    /// The message beside the handle field of `network`.
    pub fn handle_slot(&self, network: &str) -> Option<String> {
        self.slot(&format!("credit-handle-{network}"))
    }

    pub fn handle_invalid(&self, network: &str) -> bool {
        self.invalid(&format!("credit-handle-{network}"))
    }

    /// The credit fields are shown unfolded: they hold something, or something to fix.
    pub fn credit_open(&self) -> bool {
        !self.credit().is_empty() || self.errors.0.iter().any(|e| e.field.starts_with("credit"))
    }

    /// A handle field for each network the post goes to, and for each that has a handle
    /// already (so choosing another channel for a moment loses nothing), in the usual order.
    pub fn credit_handles(&self) -> Vec<HandleField> {
        let credit = self.credit();
        networks::ORDER
            .into_iter()
            .filter(|n| {
                self.variants.iter().any(|v| v.network == n.as_str())
                    || credit.handles.iter().any(|(name, _)| name == n.as_str())
            })
            .map(HandleField::of)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::promo::PromoReport;
    use crate::web::ui::pages::workspace::composer::variant_view::variant_slot;

    #[test]
    fn errors_find_their_slots() {
        assert_eq!(post_slot("channel_ids[3]"), "channels");
        assert_eq!(post_slot("media_ids[1]"), "media");
        assert_eq!(post_slot("credit.url"), "credit-url");
        assert_eq!(post_slot("credit.handles.x"), "credit-handle-x");
        assert_eq!(post_slot("credit.handles.nope"), "form");
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
