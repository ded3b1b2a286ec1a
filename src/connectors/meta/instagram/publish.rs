//! Publishing to Instagram (<https://developers.facebook.com/docs/instagram-platform/content-publishing/>):
//! the quota checked first (`content_publishing_limit`), a container made from public file
//! addresses (`image_url`/`video_url`; carousels from item containers), polled until
//! FINISHED, then `media_publish`; the first comment goes on the published media. Videos are
//! published as reels (Instagram retired feed `VIDEO` in favour of `REELS`); `alt_text` goes
//! with feed and carousel images (Meta takes it for no other kind).

use super::Instagram;
use crate::connectors::connector::{PublishError, Session};
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::Kind;
use crate::connectors::meta::containers::{self, Flavour, Limit};
use crate::connectors::meta::wire::{Id, Paged};
use crate::connectors::meta::{encode, public_url};
use crate::connectors::model::{MediaFile, Part, PublishRequest, Published, RemoteRef};
use crate::domain::media::MediaKind;

/// A carousel takes 2 to 10 items (<https://developers.facebook.com/docs/instagram-platform/content-publishing/#carousel-posts>).
const CAROUSEL_ITEMS: std::ops::RangeInclusive<usize> = 2..=10;

/// What `instagram_format` asks for, settled against the files.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    Feed,
    Reel,
    Story,
    Carousel,
}

fn format(option: Option<&str>, media: &[MediaFile]) -> ConnectorResult<Format> {
    let refuse = |m: &str| Err(ConnectorError::rejected(m, Some("instagram_format".into())));
    let videos = media.iter().filter(|f| f.kind == MediaKind::Video).count();
    match (option, media.len()) {
        (_, 0) => refuse("an Instagram post needs a photo or a video"),
        (Some("story"), 1) => Ok(Format::Story),
        (Some("story"), _) => refuse("an Instagram story takes one photo or video"),
        (Some("reel"), 1) if videos == 1 => Ok(Format::Reel),
        (Some("reel"), _) => refuse("an Instagram reel is one video"),
        (_, n) if n > 1 || option == Some("carousel") => {
            if CAROUSEL_ITEMS.contains(&n) {
                Ok(Format::Carousel)
            } else {
                refuse("an Instagram carousel takes 2 to 10 photos or videos")
            }
        }
        _ if videos == 1 => Ok(Format::Reel),
        _ => Ok(Format::Feed),
    }
}

impl Instagram {
    pub(super) async fn publish_media(
        &self,
        session: &Session,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        let part = match request.parts.as_slice() {
            [part] => part,
            [] => return Err(ConnectorError::rejected("there is nothing to publish", None).into()),
            _ => return Err(ConnectorError::unsupported("publishing a thread").into()),
        };
        if request.reply_to.is_some() {
            return Err(ConnectorError::unsupported("publishing as a reply").into());
        }
        let format = format(request.options.instagram_format.as_deref(), &part.media)?;
        let comment = request
            .first_comment
            .as_deref()
            .filter(|t| !t.trim().is_empty());
        if format == Format::Story && comment.is_some() {
            return Err(ConnectorError::unsupported("a first comment on a story").into());
        }
        self.check_quota(session).await?;
        let media = self.publish_part(session, part, format).await?;
        let mut done = Published {
            parts: vec![media.clone()],
            first_comment: None,
        };
        if let Some(text) = comment {
            match self.comment(session, &media.id, text).await {
                Ok(c) => done.first_comment = Some(c),
                Err(error) => return Err(PublishError { error, done }),
            }
        }
        Ok(done)
    }

    /// Refuses as `RateLimited` when the 24-hour publishing quota is used up.
    async fn check_quota(&self, session: &Session) -> ConnectorResult<()> {
        let (graph, base) = self.api(session);
        let path = format!(
            "/{}/content_publishing_limit",
            encode(&Self::user_id(session)?)
        );
        let request = graph.get(
            base,
            &path,
            Self::token(session),
            &[("fields", "quota_usage,config")],
        );
        let limits: Paged<Limit> = graph.call(request, Kind::Read).await?;
        containers::check_quota(&limits, 1, 0, graph.now_ms())
    }

    async fn publish_part(
        &self,
        session: &Session,
        part: &Part,
        format: Format,
    ) -> ConnectorResult<RemoteRef> {
        let container = match format {
            Format::Carousel => self.carousel(session, part).await?,
            _ => {
                let file = &part.media[0];
                let mut form = self.file_fields(file, format)?;
                if format != Format::Story {
                    form.push(("caption", part.text.clone()));
                }
                self.container(session, &form).await?
            }
        };
        let (graph, base) = self.api(session);
        let token = Self::token(session);
        containers::wait_until_finished(
            graph,
            base,
            token,
            &container,
            Flavour::Instagram,
            self.polling,
        )
        .await?;
        let path = format!("/{}/media_publish", encode(&Self::user_id(session)?));
        let id = containers::publish(graph, base, &path, token, &container, self.polling).await?;
        let url = containers::permalink(graph, base, token, &id).await;
        Ok(RemoteRef { id, url, cid: None })
    }

    /// A file's container fields for a post of this format.
    fn file_fields(
        &self,
        file: &MediaFile,
        format: Format,
    ) -> ConnectorResult<Vec<(&'static str, String)>> {
        let url = public_url(file)?;
        let video = file.kind == MediaKind::Video;
        let mut form = Vec::new();
        match format {
            Format::Story => form.push(("media_type", "STORIES".to_owned())),
            Format::Reel => form.push(("media_type", "REELS".to_owned())),
            Format::Carousel => {
                form.push(("is_carousel_item", "true".to_owned()));
                if video {
                    form.push(("media_type", "VIDEO".to_owned()));
                }
            }
            Format::Feed => {}
        }
        if video {
            form.push(("video_url", url));
        } else {
            form.push(("image_url", url));
            if matches!(format, Format::Feed | Format::Carousel) && !file.alt.trim().is_empty() {
                form.push(("alt_text", file.alt.clone()));
            }
        }
        Ok(form)
    }

    /// Item containers (videos waited for, as Meta asks before they join a carousel), then
    /// the carousel's own.
    async fn carousel(&self, session: &Session, part: &Part) -> ConnectorResult<String> {
        let (graph, base) = self.api(session);
        let mut children = Vec::with_capacity(part.media.len());
        for file in &part.media {
            let child = self
                .container(session, &self.file_fields(file, Format::Carousel)?)
                .await?;
            if file.kind == MediaKind::Video {
                containers::wait_until_finished(
                    graph,
                    base,
                    Self::token(session),
                    &child,
                    Flavour::Instagram,
                    self.polling,
                )
                .await?;
            }
            children.push(child);
        }
        let form = [
            ("media_type", "CAROUSEL".to_owned()),
            ("children", children.join(",")),
            ("caption", part.text.clone()),
        ];
        self.container(session, &form).await
    }

    /// A container: nothing is published yet, so a repeat is harmless.
    async fn container(
        &self,
        session: &Session,
        form: &[(&str, String)],
    ) -> ConnectorResult<String> {
        let (graph, base) = self.api(session);
        let path = format!("/{}/media", encode(&Self::user_id(session)?));
        let request = graph.post(base, &path, Self::token(session), form);
        Ok(graph.call::<Id>(request, Kind::Read).await?.id)
    }

    async fn comment(
        &self,
        session: &Session,
        media: &str,
        text: &str,
    ) -> ConnectorResult<RemoteRef> {
        let (graph, base) = self.api(session);
        let path = format!("/{}/comments", encode(media));
        let request = graph.post(
            base,
            &path,
            Self::token(session),
            &[("message", text.to_owned())],
        );
        let posted: Id = graph.call(request, Kind::Write).await?;
        Ok(RemoteRef {
            id: posted.id,
            url: None,
            cid: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(kind: MediaKind) -> MediaFile {
        MediaFile {
            bytes: Vec::new(),
            mime: "image/jpeg".into(),
            file_name: "f".into(),
            kind,
            alt: String::new(),
            width: 1,
            height: 1,
            public_url: None,
        }
    }

    #[test]
    fn formats_follow_the_files() {
        let image = || file(MediaKind::Image);
        let video = || file(MediaKind::Video);
        assert_eq!(format(None, &[image()]).unwrap(), Format::Feed);
        assert_eq!(format(None, &[video()]).unwrap(), Format::Reel);
        assert_eq!(format(None, &[image(), video()]).unwrap(), Format::Carousel);
        assert_eq!(format(Some("story"), &[video()]).unwrap(), Format::Story);
        assert!(format(Some("reel"), &[image()]).is_err());
        assert!(format(Some("carousel"), &[image()]).is_err());
        assert!(format(None, &[]).is_err());
        assert!(format(None, &vec![image(); 11]).is_err());
    }
}
