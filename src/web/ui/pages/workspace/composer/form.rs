//! The composer's forms as typed. Checkboxes, thread parts and attached media repeat a name,
//! so the body is read as a list of pairs (serde's urlencoded structs cannot collect
//! repeated keys).

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::domain::post::VariantOptions;
use crate::domain::post::credit::Credit;
use crate::domain::text::Network;
use crate::services::AppError;
use crate::services::posts::{PostDetail, PostInput, VariantPatch};
use crate::storage::posts::Variant;

pub type Pairs = Vec<(String, String)>;

/// The main form, as typed, so a rejected save shows exactly what the person wrote.
#[derive(Clone, Debug, Default)]
pub struct PostForm {
    /// The post's id once the first save created it (the "new post" page sends it back).
    pub id: String,
    pub text: String,
    pub channel_ids: Vec<String>,
    /// Tag names separated by commas.
    pub tags: String,
    pub campaign_id: String,
    pub assignee_id: String,
    pub notes: String,
    /// The attached media's ids in order, once the media button pressed (if any) has done
    /// its work; `None` when the form did not carry the media section (the list then stays
    /// as saved).
    pub media_ids: Option<Vec<String>>,
    /// The media button pressed: add from the library, remove, move earlier or later.
    pub media_action: Option<MediaAction>,
    /// Where the item it acted on was before, for where the keyboard goes next.
    pub media_at: Option<usize>,
    /// The credit fields as typed; `None` when the form did not carry them.
    pub credit: Option<CreditForm>,
}

/// What a button of the media section asks for, by the item's id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MediaAction {
    Add(String),
    Remove(String),
    Earlier(String),
    Later(String),
}

impl MediaAction {
    pub fn id(&self) -> &str {
        match self {
            Self::Add(id) | Self::Remove(id) | Self::Earlier(id) | Self::Later(id) => id,
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        let (verb, id) = raw.split_once(':')?;
        let id = id.trim().to_owned();
        match verb {
            "add" => Some(Self::Add(id)),
            "remove" => Some(Self::Remove(id)),
            "earlier" => Some(Self::Earlier(id)),
            "later" => Some(Self::Later(id)),
            _ => None,
        }
    }

    /// The list as this button leaves it. Adding an item already there changes nothing.
    pub fn apply(&self, ids: &mut Vec<String>) {
        let at = |id: &str| ids.iter().position(|x| x == id);
        match self {
            Self::Add(id) => {
                if at(id).is_none() {
                    ids.push(id.clone());
                }
            }
            Self::Remove(id) => ids.retain(|x| x != id),
            Self::Earlier(id) => {
                if let Some(i) = at(id).filter(|i| *i > 0) {
                    ids.swap(i, i - 1);
                }
            }
            Self::Later(id) => {
                if let Some(i) = at(id).filter(|i| i + 1 < ids.len()) {
                    ids.swap(i, i + 1);
                }
            }
        }
    }
}

/// The "Sharing someone else's post?" fields as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreditForm {
    pub url: String,
    pub author: String,
    /// `(network, handle)` for each handle field sent, empty ones included.
    pub handles: Vec<(String, String)>,
}

impl CreditForm {
    pub fn of(credit: &Credit) -> Self {
        CreditForm {
            url: credit.url.clone(),
            author: credit.author.clone(),
            handles: credit
                .handles
                .iter()
                .map(|(n, h)| (n.as_str().to_owned(), h.clone()))
                .collect(),
        }
    }

    pub fn handle(&self, network: &str) -> &str {
        self.handles
            .iter()
            .find(|(n, _)| n == network)
            .map_or("", |(_, h)| h.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.url.trim().is_empty()
            && self.author.trim().is_empty()
            && self.handles.iter().all(|(_, h)| h.trim().is_empty())
    }
}

impl PostForm {
    pub fn parse(pairs: &[(String, String)]) -> Self {
        let mut f = PostForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "id" => f.id = v.trim().to_owned(),
                "text" => f.text = v.clone(),
                "channel_ids" => f.channel_ids.push(v.clone()),
                "tags" => f.tags = v.clone(),
                "campaign_id" => f.campaign_id = v.trim().to_owned(),
                "assignee_id" => f.assignee_id = v.trim().to_owned(),
                "notes" => f.notes = v.clone(),
                // Always sent with the media section, so an empty list is told apart from
                // a form without one.
                "media_sent" => {
                    f.media_ids.get_or_insert_with(Vec::new);
                }
                "media_ids" => f
                    .media_ids
                    .get_or_insert_with(Vec::new)
                    .push(v.trim().to_owned()),
                "media_action" => f.media_action = MediaAction::parse(v),
                "credit.url" => f.credit.get_or_insert_with(CreditForm::default).url = v.clone(),
                "credit.author" => {
                    f.credit.get_or_insert_with(CreditForm::default).author = v.clone()
                }
                name => {
                    if let Some(network) = name.strip_prefix("credit.handles.") {
                        f.credit
                            .get_or_insert_with(CreditForm::default)
                            .handles
                            .push((network.to_owned(), v.clone()));
                    }
                }
            }
        }
        if let Some(action) = &f.media_action {
            let ids = f.media_ids.get_or_insert_with(Vec::new);
            f.media_at = ids.iter().position(|x| x == action.id());
            action.apply(ids);
        }
        f
    }

    pub fn from_detail(d: &PostDetail) -> Self {
        PostForm {
            id: d.post.id.to_string(),
            text: d.post.text.clone(),
            channel_ids: d
                .variants
                .iter()
                .map(|v| v.channel.id.to_string())
                .collect(),
            tags: d
                .tags
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            campaign_id: d
                .post
                .campaign_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            assignee_id: d
                .post
                .assignee_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            notes: d.post.notes.clone(),
            media_ids: Some(d.media.iter().map(|m| m.id.to_string()).collect()),
            media_action: None,
            media_at: None,
            credit: Some(CreditForm::of(&d.post.credit)),
        }
    }

    pub fn has_channel(&self, id: &Uuid) -> bool {
        let id = id.to_string();
        self.channel_ids.contains(&id)
    }

    /// The tag names typed, without `#`, empty ones dropped.
    pub fn tag_names(&self) -> Vec<String> {
        self.tags
            .split([',', '\n'])
            .map(|t| t.trim().trim_start_matches('#').trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect()
    }

    /// Everything the form sets; ids that do not parse are named like the service names them.
    pub fn to_input(&self) -> Result<PostInput, AppError> {
        let mut errors = Vec::new();
        let mut channel_ids = Vec::new();
        for (i, raw) in self.channel_ids.iter().enumerate() {
            match raw.parse::<Uuid>() {
                Ok(id) => channel_ids.push(id),
                Err(_) => errors.push((
                    format!("channel_ids[{i}]"),
                    "is not a channel of this workspace",
                )),
            }
        }
        let optional = |raw: &str, field: &str, errors: &mut Vec<(String, &str)>, what| {
            if raw.is_empty() {
                return None;
            }
            let id = raw.parse::<Uuid>().ok();
            if id.is_none() {
                errors.push((field.to_owned(), what));
            }
            id
        };
        let campaign = optional(
            &self.campaign_id,
            "campaign_id",
            &mut errors,
            "is not a campaign of this workspace",
        );
        let assignee = optional(
            &self.assignee_id,
            "assignee_id",
            &mut errors,
            "is not a member of this workspace",
        );
        let media_ids = self.media_ids.as_ref().map(|ids| {
            ids.iter()
                .enumerate()
                .filter_map(|(i, raw)| {
                    let id = raw.parse::<Uuid>().ok();
                    if id.is_none() {
                        errors.push((
                            format!("media_ids[{i}]"),
                            "is not in this workspace's media library",
                        ));
                    }
                    id
                })
                .collect::<Vec<_>>()
        });
        let credit = self.credit.as_ref().map(|typed| {
            let mut handles = BTreeMap::new();
            for (name, handle) in &typed.handles {
                if handle.trim().is_empty() {
                    continue;
                }
                match Network::parse(name) {
                    Some(network) => {
                        handles.insert(network, handle.clone());
                    }
                    None => errors.push((format!("credit.handles.{name}"), "is not a network")),
                }
            }
            Credit {
                url: typed.url.clone(),
                author: typed.author.clone(),
                handles,
            }
        });
        if !errors.is_empty() {
            return Err(AppError::Validation(
                errors
                    .into_iter()
                    .map(|(field, message)| crate::domain::FieldError {
                        field,
                        message: message.to_owned(),
                    })
                    .collect(),
            ));
        }
        Ok(PostInput {
            text: Some(self.text.clone()),
            channel_ids: Some(channel_ids),
            tags: Some(self.tag_names()),
            campaign_id: Some(campaign),
            assignee_id: Some(assignee),
            notes: Some(self.notes.clone()),
            media_ids,
            credit,
        })
    }
}

/// What a variant form's button asks for; typing saves with `Save`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Save,
    Detach,
    Follow,
    AddPart,
    RemovePart(usize),
    /// Cut the text into a thread that fits the network.
    Split,
}

/// The names of the per-network options, as fields of the variant form.
pub const OPTION_NAMES: [&str; 7] = [
    "visibility",
    "content_warning",
    "language",
    "reply_settings",
    "instagram_format",
    "facebook_format",
    "reply_control",
];

/// One variant's form as typed. Fields the panel did not show are `None` and stay as saved.
#[derive(Clone, Debug, Default)]
pub struct VariantForm {
    pub action: Option<Action>,
    /// The main text as the browser has it (sent along so "Edit for this network" starts
    /// from what the author sees, even before the main form's save).
    pub text: Option<String>,
    pub parts: Option<Vec<String>>,
    pub first_comment: Option<String>,
    /// `(name, value)` of each option field present.
    pub options: Vec<(String, String)>,
    /// Number the parts of a split ("1/3").
    pub numbered: bool,
}

impl VariantForm {
    pub fn parse(pairs: &[(String, String)]) -> Self {
        let mut f = VariantForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "action" => {
                    f.action = Some(match v.as_str() {
                        "detach" => Action::Detach,
                        "follow" => Action::Follow,
                        "add_part" => Action::AddPart,
                        "split" => Action::Split,
                        other => match other.strip_prefix("remove:").map(str::parse) {
                            Some(Ok(i)) => Action::RemovePart(i),
                            _ => Action::Save,
                        },
                    })
                }
                "text" => f.text = Some(v.clone()),
                "parts" => f.parts.get_or_insert_with(Vec::new).push(v.clone()),
                "first_comment" => f.first_comment = Some(v.clone()),
                "numbered" => f.numbered = !v.is_empty(),
                name if OPTION_NAMES.contains(&name) => f.options.push((k.clone(), v.clone())),
                _ => {}
            }
        }
        f
    }

    pub fn action(&self) -> Action {
        self.action.unwrap_or(Action::Save)
    }

    /// The options as typed; `None` when the panel showed none. Empty values take the
    /// network's default.
    pub fn variant_options(&self) -> Option<VariantOptions> {
        if self.options.is_empty() {
            return None;
        }
        let mut o = VariantOptions::default();
        for (name, value) in &self.options {
            let value = value.trim();
            let value = (!value.is_empty()).then(|| value.to_owned());
            match name.as_str() {
                "visibility" => o.visibility = value,
                "content_warning" => o.content_warning = value,
                "language" => o.language = value,
                "reply_settings" => o.reply_settings = value,
                "instagram_format" => o.instagram_format = value,
                "facebook_format" => o.facebook_format = value,
                "reply_control" => o.reply_control = value,
                _ => {}
            }
        }
        Some(o)
    }

    /// The change this form asks for on `variant` (whose post text is `post_text`).
    pub fn patch(&self, variant: &Variant, post_text: &str) -> VariantPatch {
        let mut patch = VariantPatch {
            parts: self.parts.clone(),
            follow_post: None,
            first_comment: self.first_comment.clone(),
            options: self.variant_options(),
        };
        match self.action() {
            Action::Save | Action::AddPart => {}
            Action::Split if variant.detached => {}
            Action::Detach | Action::Split => {
                patch.parts = Some(if variant.detached {
                    variant.parts.0.clone()
                } else {
                    vec![self.text.clone().unwrap_or_else(|| post_text.to_owned())]
                });
            }
            Action::Follow => {
                patch.parts = None;
                patch.follow_post = Some(true);
            }
            Action::RemovePart(i) => {
                if let Some(parts) = &mut patch.parts
                    && i < parts.len()
                {
                    parts.remove(i);
                }
            }
        }
        patch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Pairs {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_post_form_collects_repeated_checkboxes() {
        let a = Uuid::now_v7();
        let f = PostForm::parse(&pairs(&[
            ("csrf_token", "x"),
            ("text", " Hello "),
            ("channel_ids", &a.to_string()),
            ("channel_ids", "nope"),
            ("tags", "#launch, summer ,, "),
        ]));
        assert_eq!(f.text, " Hello ");
        assert_eq!(f.tag_names(), ["launch", "summer"]);
        assert!(f.has_channel(&a));
        let AppError::Validation(errors) = f.to_input().unwrap_err() else {
            panic!("a validation error")
        };
        assert_eq!(errors[0].field, "channel_ids[1]");
        let ok = PostForm::parse(&pairs(&[("channel_ids", &a.to_string())]));
        let input = ok.to_input().unwrap();
        assert_eq!(input.channel_ids, Some(vec![a]));
        assert_eq!(input.campaign_id, Some(None));
    }

    #[test]
    fn media_buttons_reorder_the_list_the_form_carries() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let (a_s, b_s) = (a.to_string(), b.to_string());
        let form = |action: &str| {
            PostForm::parse(&pairs(&[
                ("media_sent", "1"),
                ("media_ids", &a_s),
                ("media_ids", &b_s),
                ("media_action", action),
            ]))
        };
        let ids = |f: PostForm| f.to_input().unwrap().media_ids.unwrap();
        assert_eq!(ids(form("")), [a, b]);
        assert_eq!(ids(form(&format!("later:{a}"))), [b, a]);
        assert_eq!(
            ids(form(&format!("earlier:{a}"))),
            [a, b],
            "first stays first"
        );
        assert_eq!(ids(form(&format!("remove:{b}"))), [a]);
        assert_eq!(ids(form(&format!("add:{a}"))), [a, b], "no second copy");
        let c = Uuid::now_v7();
        let added = form(&format!("add:{c}"));
        assert_eq!(added.media_at, None);
        assert_eq!(ids(added), [a, b, c]);
        assert_eq!(form(&format!("remove:{b}")).media_at, Some(1));
        // An empty section clears the list; a form without one leaves it as saved.
        let empty = PostForm::parse(&pairs(&[("media_sent", "1")]));
        assert_eq!(ids(empty), Vec::<Uuid>::new());
        assert_eq!(PostForm::parse(&[]).to_input().unwrap().media_ids, None);
        let bad = PostForm::parse(&pairs(&[("media_ids", "nope")]));
        let AppError::Validation(errors) = bad.to_input().unwrap_err() else {
            panic!("a validation error")
        };
        assert_eq!(errors[0].field, "media_ids[0]");
    }

    #[test]
    fn the_credit_is_read_with_its_handles() {
        let f = PostForm::parse(&pairs(&[
            ("credit.url", "https://ana.coffee/p/1"),
            ("credit.author", "Ana"),
            ("credit.handles.x", "@ana_brews"),
            ("credit.handles.mastodon", " "),
        ]));
        let credit = f.to_input().unwrap().credit.unwrap();
        assert_eq!(credit.url, "https://ana.coffee/p/1");
        assert_eq!(credit.handles.len(), 1, "empty handles are left out");
        assert_eq!(credit.handles[&Network::X], "@ana_brews");
        assert_eq!(f.credit.as_ref().unwrap().handle("mastodon"), " ");
        let cleared = PostForm::parse(&pairs(&[("credit.url", ""), ("credit.author", "")]));
        assert_eq!(cleared.to_input().unwrap().credit, Some(Credit::default()));
        assert_eq!(PostForm::parse(&[]).to_input().unwrap().credit, None);
        let odd = PostForm::parse(&pairs(&[("credit.handles.myspace", "@ana")]));
        let AppError::Validation(errors) = odd.to_input().unwrap_err() else {
            panic!("a validation error")
        };
        assert_eq!(errors[0].field, "credit.handles.myspace");
    }

    #[test]
    fn variant_actions_are_read() {
        let f = VariantForm::parse(&pairs(&[
            ("parts", "One"),
            ("parts", "Two"),
            ("action", "remove:1"),
            ("visibility", "unlisted"),
            ("language", " "),
        ]));
        assert_eq!(f.action(), Action::RemovePart(1));
        let o = f.variant_options().unwrap();
        assert_eq!(o.visibility.as_deref(), Some("unlisted"));
        assert_eq!(o.language, None);
        assert!(VariantForm::parse(&[]).variant_options().is_none());
        assert_eq!(
            VariantForm::parse(&pairs(&[("action", "remove:x")])).action(),
            Action::Save
        );
    }
}
