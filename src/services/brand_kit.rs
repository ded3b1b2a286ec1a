//! The brand kit (step 6 of the product): a logo, a cover picture and colours, from which
//! Herald makes every network's profile picture and banner at its exact size, offers them
//! as a zip, and keeps a review status on the set. Any change to the kit sends the set back
//! to draft, since what was reviewed is no longer what would be used.

use std::io::Write;

use uuid::Uuid;

use super::{Actor, AppError, AppResult, Services};
use crate::domain::media::profile::{self, ProfileSpec, Slot};
use crate::domain::media::{FocalPoint, MediaKind};
use crate::domain::{Permission, Validation};
use crate::imaging;
use crate::storage::brand_kits::{self, BrandKit};
use crate::storage::media::{self, Media};

pub const MAX_COLORS: usize = 8;

/// The kit with its pictures loaded.
#[derive(Clone, Debug)]
pub struct BrandKitDetail {
    pub kit: BrandKit,
    pub logo: Option<Media>,
    pub cover: Option<Media>,
}

/// What to change; `None` leaves a field as it is, `Some(None)` clears a picture.
#[derive(Clone, Debug, Default)]
pub struct BrandKitPatch {
    pub logo_media_id: Option<Option<Uuid>>,
    pub cover_media_id: Option<Option<Uuid>>,
    pub colors: Option<Vec<String>>,
}

/// A review decision on the profile image set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewAction {
    Submit,
    Approve,
    RequestChanges,
    Reopen,
}

impl ReviewAction {
    pub fn parse(s: &str) -> Option<ReviewAction> {
        match s {
            "submit" => Some(ReviewAction::Submit),
            "approve" => Some(ReviewAction::Approve),
            "request_changes" => Some(ReviewAction::RequestChanges),
            "reopen" => Some(ReviewAction::Reopen),
            _ => None,
        }
    }
}

/// One generated profile image.
pub struct ProfileImage {
    pub spec: ProfileSpec,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl Services {
    pub async fn brand_kit(&self, actor: &Actor, ws: Uuid) -> AppResult<BrandKitDetail> {
        self.workspace(actor, ws).await?;
        self.load_brand_kit(ws).await
    }

    pub async fn update_brand_kit(
        &self,
        actor: &Actor,
        ws: Uuid,
        patch: BrandKitPatch,
    ) -> AppResult<BrandKitDetail> {
        self.active_workspace_for(actor, ws, Permission::Manage)
            .await?;
        let mut kit = self.load_brand_kit(ws).await?.kit;
        let mut v = Validation::new();
        if let Some(logo) = patch.logo_media_id {
            self.check_kit_picture(&mut v, ws, "logo_media_id", logo)
                .await?;
            kit.logo_media_id = logo;
        }
        if let Some(cover) = patch.cover_media_id {
            self.check_kit_picture(&mut v, ws, "cover_media_id", cover)
                .await?;
            kit.cover_media_id = cover;
        }
        if let Some(colors) = &patch.colors {
            let mut clean = Vec::new();
            for (i, c) in colors.iter().enumerate() {
                let c = c.trim().to_lowercase();
                if c.is_empty() {
                    continue;
                }
                if !super::tags::valid_color(&c) {
                    v.add(&format!("colors[{i}]"), "must be a colour like #2563eb");
                } else if !clean.contains(&c) {
                    clean.push(c);
                }
            }
            if clean.len() > MAX_COLORS {
                v.add("colors", format!("at most {MAX_COLORS} colours"));
            }
            kit.colors = clean.join(",");
        }
        v.finish()?;
        kit.review_status = "draft".into();
        kit.review_note = String::new();
        kit.reviewed_by = None;
        kit.updated_at_ms = self.now_ms();
        brand_kits::save(&self.db, &kit).await?;
        self.load_brand_kit(ws).await
    }

    /// Submit for review (managers), approve or request changes (those who approve), or
    /// reopen as a draft.
    pub async fn review_brand_kit(
        &self,
        actor: &Actor,
        ws: Uuid,
        action: ReviewAction,
        note: &str,
    ) -> AppResult<BrandKitDetail> {
        let needed = match action {
            ReviewAction::Submit | ReviewAction::Reopen => Permission::Manage,
            ReviewAction::Approve | ReviewAction::RequestChanges => Permission::Approve,
        };
        self.active_workspace_for(actor, ws, needed).await?;
        let mut kit = self.load_brand_kit(ws).await?.kit;
        let mut v = Validation::new();
        let note = crate::domain::validation::clean_text(&mut v, "note", note, 2_000);
        v.finish()?;
        let (from, to) = (
            kit.review_status.as_str(),
            match action {
                ReviewAction::Submit => "in_review",
                ReviewAction::Approve => "approved",
                ReviewAction::RequestChanges => "changes_requested",
                ReviewAction::Reopen => "draft",
            },
        );
        let allowed = match action {
            ReviewAction::Submit => matches!(from, "draft" | "changes_requested"),
            ReviewAction::Approve | ReviewAction::RequestChanges => from == "in_review",
            ReviewAction::Reopen => from != "draft",
        };
        if !allowed {
            return Err(AppError::Conflict(format!(
                "The profile images are {}; that cannot become {} directly.",
                from.replace('_', " "),
                to.replace('_', " ")
            )));
        }
        if action == ReviewAction::Submit
            && kit.logo_media_id.is_none()
            && kit.cover_media_id.is_none()
        {
            return Err(AppError::field(
                "logo_media_id",
                "choose a logo or a cover picture first",
            ));
        }
        if action == ReviewAction::RequestChanges && note.is_empty() {
            return Err(AppError::field("note", "say what should change"));
        }
        kit.review_status = to.into();
        kit.review_note = note;
        kit.reviewed_by = Some(actor.user.id);
        kit.updated_at_ms = self.now_ms();
        brand_kits::save(&self.db, &kit).await?;
        self.load_brand_kit(ws).await
    }

    /// Every profile picture and banner the kit can make: avatars from the logo, banners from
    /// the cover (or the logo when there is no cover), each cut around the picture's focal
    /// point at the network's exact size.
    pub async fn profile_images(&self, actor: &Actor, ws: Uuid) -> AppResult<Vec<ProfileImage>> {
        self.workspace(actor, ws).await?;
        let detail = self.load_brand_kit(ws).await?;
        let specs = profile::specs();
        let mut out = Vec::new();
        let avatar_source = detail.logo.as_ref().or(detail.cover.as_ref());
        let banner_source = detail.cover.as_ref().or(detail.logo.as_ref());
        for (slot, source) in [(Slot::Avatar, avatar_source), (Slot::Banner, banner_source)] {
            let Some(source) = source else { continue };
            let wanted: Vec<ProfileSpec> =
                specs.iter().filter(|s| s.slot == slot).cloned().collect();
            let bytes = self
                .media
                .blobs
                .get(&source.blob_key)
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            let focal =
                FocalPoint::new(source.focal_x as f32, source.focal_y as f32).unwrap_or_default();
            let limits = self.media.limits.imaging();
            let made = tokio::task::spawn_blocking(move || {
                imaging::profile_set(&bytes, focal, None, &wanted, &limits)
            })
            .await
            .map_err(|e| AppError::Internal(e.into()))?
            .map_err(|e| AppError::field("logo_media_id", e.to_string()))?;
            out.extend(made.into_iter().map(|(spec, bytes)| ProfileImage {
                file_name: profile::file_name(&spec),
                spec,
                bytes,
            }));
        }
        Ok(out)
    }

    /// The whole set as a zip, with a note of each size and safe zone.
    pub async fn profile_images_zip(&self, actor: &Actor, ws: Uuid) -> AppResult<Vec<u8>> {
        let images = self.profile_images(actor, ws).await?;
        if images.is_empty() {
            return Err(AppError::field(
                "logo_media_id",
                "choose a logo or a cover picture first",
            ));
        }
        let status = self.load_brand_kit(ws).await?.kit.review_status;
        tokio::task::spawn_blocking(move || zip_images(&images, &status))
            .await
            .map_err(|e| AppError::Internal(e.into()))?
            .map_err(|e| AppError::Internal(e.into()))
    }

    async fn load_brand_kit(&self, ws: Uuid) -> AppResult<BrandKitDetail> {
        let kit = brand_kits::get(&self.db, ws)
            .await?
            .unwrap_or_else(|| BrandKit::empty(ws));
        let logo = match kit.logo_media_id {
            Some(id) => media::get(&self.db, ws, id).await?,
            None => None,
        };
        let cover = match kit.cover_media_id {
            Some(id) => media::get(&self.db, ws, id).await?,
            None => None,
        };
        Ok(BrandKitDetail { kit, logo, cover })
    }

    async fn check_kit_picture(
        &self,
        v: &mut Validation,
        ws: Uuid,
        field: &str,
        id: Option<Uuid>,
    ) -> AppResult<()> {
        if let Some(id) = id {
            match media::get(&self.db, ws, id).await? {
                None => v.add(field, "is not in this workspace's media library"),
                Some(m) if m.media_format().kind() != MediaKind::Image => {
                    v.add(field, "must be a still picture (JPEG, PNG or WebP)")
                }
                Some(_) => {}
            }
        }
        Ok(())
    }
}

fn zip_images(images: &[ProfileImage], status: &str) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // Pictures are already compressed: storing them is as small and much faster.
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut readme = format!(
        "Profile images made by Herald (review status: {}).\n\n",
        status.replace('_', " ")
    );
    for image in images {
        zip.start_file(image.file_name.as_str(), stored)?;
        zip.write_all(&image.bytes)?;
        readme.push_str(&format!(
            "{}: {} {} {}x{} px. {}\n",
            image.file_name,
            image.spec.network.as_str(),
            if image.spec.slot == Slot::Avatar {
                "profile picture"
            } else {
                "banner"
            },
            image.spec.width,
            image.spec.height,
            image.spec.note
        ));
        for zone in &image.spec.safe_zones {
            readme.push_str(&format!(
                "  {}: x {} y {} w {} h {}\n",
                zone.label, zone.rect.x, zone.rect.y, zone.rect.width, zone.rect.height
            ));
        }
    }
    zip.start_file("README.txt", zip::write::SimpleFileOptions::default())?;
    zip.write_all(readme.as_bytes())?;
    Ok(zip.finish()?.into_inner())
}
