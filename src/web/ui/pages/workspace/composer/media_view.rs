//! The composer's media: the attached items as the form lists them (thumbnail, name, alt
//! text, buttons to order and remove them), the library picker's items, and the pictures
//! each network's preview shows (the crop Herald makes for that network, where it makes one).

use uuid::Uuid;

use super::form::MediaAction;
use crate::domain::media::MediaKind;
use crate::domain::text::Network;
use crate::services::media::{MediaItem, crop_for};
use crate::storage::media::Media;

/// The library's addresses for an item's bytes, for the session (an `<img>` cannot send a
/// token). `?v=` changes when the item does (a new focal point, a new crop).
fn base(m: &Media) -> String {
    format!("/w/{}/media/{}", m.workspace_id, m.id)
}

fn thumbnail(m: &Media) -> Option<String> {
    m.thumb_key
        .as_ref()
        .map(|_| format!("{}/thumbnail?v={}", base(m), m.updated_at_ms))
}

fn kind(m: &Media) -> MediaKind {
    m.media_format().kind()
}

fn kind_label(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Image => "Picture",
        MediaKind::Gif => "GIF",
        MediaKind::Video => "Video",
    }
}

/// `01:05`, for a video's length.
fn duration(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    format!("{:02}:{:02}", s / 60, s % 60)
}

/// Pictures and GIFs need a description; videos are exempt.
fn alt_missing(m: &Media) -> bool {
    kind(m) != MediaKind::Video && m.alt_text.trim().is_empty()
}

/// One attached item in the form's media section.
pub struct AttachedMedia {
    pub id: Uuid,
    pub name: String,
    /// The item's page in the library (alt text, focal point).
    pub href: String,
    pub thumbnail: Option<String>,
    pub kind_label: &'static str,
    pub alt_text: String,
    pub alt_missing: bool,
    /// A video's length.
    pub duration: Option<String>,
}

impl AttachedMedia {
    pub fn of(m: &Media) -> Self {
        AttachedMedia {
            id: m.id,
            name: m.name.clone(),
            href: base(m),
            thumbnail: thumbnail(m),
            kind_label: kind_label(kind(m)),
            alt_text: m.alt_text.trim().to_owned(),
            alt_missing: alt_missing(m),
            duration: m.duration_ms.map(duration),
        }
    }

    /// The ids of its buttons, so the keyboard can come back to them after a redraw.
    pub fn button_id(&self, what: &str) -> String {
        format!("media-{what}-{}", self.id)
    }
}

/// The id of the control to focus once the media list is redrawn after `action`, which
/// acted on the item that was at `at`; `ids` is the list as it now is. The same button
/// when it still works, else its neighbour; after a removal, the item that took its place
/// (or the new last one, or the picker when none is left).
pub fn focus_after(action: &MediaAction, at: Option<usize>, ids: &[String]) -> Option<String> {
    let button = |what: &str, i: usize| Some(format!("media-{what}-{}", ids[i]));
    let now = ids.iter().position(|x| x == action.id());
    match (action, now) {
        (MediaAction::Add(_), _) => None,
        (MediaAction::Earlier(_), Some(0)) if ids.len() > 1 => button("later", 0),
        (MediaAction::Later(_), Some(i)) if i + 1 == ids.len() && i > 0 => button("earlier", i),
        (MediaAction::Earlier(_), Some(i)) => button("earlier", i)
            .filter(|_| i > 0)
            .or(button("remove", i)),
        (MediaAction::Later(_), Some(i)) => button("later", i)
            .filter(|_| i + 1 < ids.len())
            .or(button("remove", i)),
        _ if ids.is_empty() => Some("media-picker-toggle".to_owned()),
        _ => button("remove", at.unwrap_or(0).min(ids.len() - 1)),
    }
}

/// One picture or video as a network's preview shows it.
pub struct PreviewMedia {
    /// What the preview loads: the network's crop, the thumbnail, or nothing (a video
    /// without a poster).
    pub src: Option<String>,
    pub alt_text: String,
    pub video: bool,
    /// Herald cuts this picture to the network's accepted shape before sending it.
    pub cropped: bool,
    pub duration: Option<String>,
}

pub fn preview_media(media: &[Media], network: Network) -> Vec<PreviewMedia> {
    media
        .iter()
        .map(|m| {
            let cropped = crop_for(m, network).is_some();
            PreviewMedia {
                src: if cropped {
                    Some(format!(
                        "{}/renditions/{}?v={}",
                        base(m),
                        network.as_str(),
                        m.updated_at_ms
                    ))
                } else {
                    thumbnail(m)
                },
                alt_text: m.alt_text.trim().to_owned(),
                video: kind(m) == MediaKind::Video,
                cropped,
                duration: m.duration_ms.map(duration),
            }
        })
        .collect()
}

/// The library picker: a search box and the items it finds, each with an "Add" button.
pub struct Picker {
    pub ws: Uuid,
    pub q: String,
    pub items: Vec<PickerItem>,
    /// More items than shown match: say so, and offer the search.
    pub more: bool,
    /// The library has nothing yet (not merely nothing matching the search).
    pub library_empty: bool,
}

impl Picker {
    pub fn action(&self) -> String {
        format!("/w/{}/posts/media-picker", self.ws)
    }
}

pub struct PickerItem {
    pub id: Uuid,
    pub name: String,
    pub thumbnail: Option<String>,
    pub kind_label: &'static str,
    /// `1,920 × 1,080`, or a video's length.
    pub facts: String,
    pub alt_missing: bool,
    /// Already in the post: the button says so and does nothing.
    pub attached: bool,
}

impl PickerItem {
    pub fn of(item: &MediaItem, attached: &[String]) -> Self {
        let m = &item.media;
        let mut facts = format!("{} × {}", m.width, m.height);
        if let Some(d) = m.duration_ms {
            facts.push_str(&format!(" · {}", duration(d)));
        }
        PickerItem {
            id: m.id,
            name: m.name.clone(),
            thumbnail: thumbnail(m),
            kind_label: kind_label(kind(m)),
            facts,
            alt_missing: alt_missing(m),
            attached: attached.contains(&m.id.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keyboard_stays_on_the_moved_item() {
        let ids: Vec<String> = ["b", "a", "c"].map(String::from).to_vec();
        let focus = |a: MediaAction, at: usize, ids: &[String]| focus_after(&a, Some(at), ids);
        let earlier = MediaAction::Earlier("b".into());
        assert_eq!(focus(earlier, 1, &ids).as_deref(), Some("media-later-b"));
        let later = MediaAction::Later("a".into());
        assert_eq!(focus(later, 0, &ids).as_deref(), Some("media-later-a"));
        let last = MediaAction::Later("c".into());
        assert_eq!(focus(last, 1, &ids).as_deref(), Some("media-earlier-c"));
        let removed = MediaAction::Remove("z".into());
        assert_eq!(
            focus(removed.clone(), 1, &ids).as_deref(),
            Some("media-remove-a")
        );
        assert_eq!(
            focus(removed.clone(), 3, &ids).as_deref(),
            Some("media-remove-c")
        );
        assert_eq!(
            focus(removed, 0, &[]).as_deref(),
            Some("media-picker-toggle")
        );
        assert_eq!(focus(MediaAction::Add("d".into()), 0, &ids), None);
        assert_eq!(duration(65_900), "01:05");
    }
}
