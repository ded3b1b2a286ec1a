//! The composer's forms as typed. Checkboxes and thread parts repeat a name, so the body is
//! read as a list of pairs (serde's urlencoded structs cannot collect repeated keys).

use uuid::Uuid;

use crate::domain::post::VariantOptions;
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
                _ => {}
            }
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
            media_ids: None,
            credit: None,
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
