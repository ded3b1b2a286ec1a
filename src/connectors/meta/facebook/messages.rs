//! The page's Messenger conversations as messages
//! (<https://developers.facebook.com/docs/graph-api/reference/page/conversations/>).

use serde::Deserialize;

use super::Facebook;
use super::read::Author;
use crate::connectors::connector::Session;
use crate::connectors::error::ConnectorResult;
use crate::connectors::http::Kind;
use crate::connectors::meta::encode;
use crate::connectors::meta::wire::{Paged, instant};
use crate::connectors::model::{Interaction, InteractionKind, RemoteRef};

#[derive(Debug, Deserialize)]
struct Conversation {
    id: String,
    messages: Option<Paged<Message>>,
}

#[derive(Debug, Deserialize)]
struct Message {
    id: String,
    message: Option<String>,
    created_time: Option<String>,
    from: Option<Author>,
}

impl Facebook {
    /// The page's Messenger conversations, each as its latest message. Needs the
    /// `pages_messaging` permission, which Facebook grants after App Review; without it Meta
    /// refuses (code 200/10) and the refusal says so.
    pub(super) async fn conversations(
        &self,
        session: &Session,
        limit: usize,
    ) -> ConnectorResult<Vec<Interaction>> {
        let limit = limit.clamp(1, 100).to_string();
        let path = format!("/{}/conversations", encode(&Self::page_id(session)));
        let request = self.graph.get(
            &self.endpoints.graph,
            &path,
            Self::token(session),
            &[
                (
                    "fields",
                    "id,updated_time,messages.limit(1){id,message,created_time,from}",
                ),
                ("limit", &limit),
            ],
        );
        let list: Paged<Conversation> = self.graph.call(request, Kind::Read).await?;
        Ok(list
            .data
            .into_iter()
            .filter_map(|c| {
                let message = c.messages?.data.into_iter().next()?;
                Some(Interaction {
                    id: c.id,
                    kind: InteractionKind::Message,
                    author: message
                        .from
                        .as_ref()
                        .map(Author::account)
                        .unwrap_or_default(),
                    text: message.message,
                    subject: None,
                    at_ms: message.created_time.as_deref().and_then(instant),
                    post: Some(RemoteRef {
                        id: message.id,
                        url: None,
                        cid: None,
                    }),
                })
            })
            .collect())
    }
}
