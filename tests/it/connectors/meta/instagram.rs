//! Instagram: both logins, the container flow for photos, reels and carousels (polling,
//! quota, 9007), first comments, media with counts and views, comments and tags, mentions,
//! business discovery.

use herald::connectors::meta::Instagram;
use herald::connectors::model::{InteractionKind, Part, PublishRequest};
use herald::connectors::{Connector, ConnectorError};
use herald::domain::post::VariantOptions;
use serde_json::json;
use wiremock::matchers::{body_string_contains, method, path, query_param};
use wiremock::{Mock, MockServer};

use super::*;

const IG: &str = "17841407673135339";

/// A channel connected through Facebook Login (page token, graph.facebook.com).
fn ig_session() -> herald::connectors::Session {
    session(
        "page-token",
        &[
            ("login", "facebook"),
            ("ig_user_id", IG),
            ("page_id", "2121008874780932"),
            ("username", "facebookfordevelopers"),
        ],
    )
}

fn media_request(text: &str, media: Vec<herald::connectors::model::MediaFile>) -> PublishRequest {
    PublishRequest {
        parts: vec![Part {
            text: text.into(),
            media,
        }],
        ..PublishRequest::default()
    }
}

/// The quota answer and the permalink every publish reads.
async fn mount_quota_and_permalink(server: &MockServer) -> Option<()> {
    let limit = shared("instagram", "content_publishing_limit.json")?;
    Mock::given(method("GET"))
        .and(path(format!("/v24.0/{IG}/content_publishing_limit")))
        .respond_with(ok(&limit))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/17920238422030506"))
        .and(query_param("fields", "permalink"))
        .respond_with(ok(&own("instagram/media_permalink.json")))
        .mount(server)
        .await;
    Some(())
}

#[tokio::test]
async fn instagram_accounts_through_facebook_login() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v24.0/me/accounts"))
        .respond_with(ok(&own("instagram/pages_with_instagram.json")))
        .expect(1)
        .mount(&server)
        .await;

    let user = herald::connectors::model::Credentials::bearer("long-user-token");
    let accounts = instagram(&server)
        .accounts_via_facebook(&user)
        .await
        .unwrap();

    assert_eq!(
        accounts.len(),
        2,
        "every page, to say why one brings no account"
    );
    assert!(
        accounts[1]
            .unavailable
            .as_deref()
            .is_some_and(|r| r.contains("No Instagram"))
    );
    assert_eq!(accounts[1].account.remote_id, "page:123");
    let account = &accounts[0];
    assert_eq!(account.unavailable, None);
    assert_eq!(account.account.remote_id, IG);
    assert_eq!(account.account.handle, "@facebookfordevelopers");
    assert_eq!(account.account.followers, Some(64363));
    assert_eq!(account.account.posts, Some(427));
    assert_eq!(account.credentials.access_token, "page-token-mylife");
    assert_eq!(account.credentials.extra["login"], "facebook");
    assert_eq!(account.credentials.extra["ig_user_id"], IG);
    assert_eq!(account.credentials.extra["page_id"], "2121008874780932");
    let ask = query(&one(&server, "GET", "/v24.0/me/accounts").await);
    assert_eq!(ask["access_token"], "long-user-token");
    assert!(ask["fields"].contains("instagram_business_account{id,username"));
}

#[tokio::test]
async fn instagram_login_code_long_lived_token_and_refresh() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/access_token"))
        .respond_with(ok(&own("instagram/login_code_token.json")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/instagram/v24.0/access_token"))
        .and(query_param("grant_type", "ig_exchange_token"))
        .respond_with(ok(&own("instagram/login_long_lived.json")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/instagram/v24.0/refresh_access_token"))
        .and(query_param("grant_type", "ig_refresh_token"))
        .and(query_param("access_token", "IGlong"))
        .respond_with(ok(&own("instagram/login_refreshed.json")))
        .expect(1)
        .mount(&server)
        .await;
    let ig = instagram(&server);
    let redirect = "https://herald.example/oauth/instagram";

    let url = ig.authorize_url(&app(), redirect, "st4te");
    assert_eq!(url.path(), "/oauth/authorize");
    let q: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(
        (
            q["client_id"].as_str(),
            q["state"].as_str(),
            q["response_type"].as_str()
        ),
        ("app-id", "st4te", "code")
    );
    assert!(q["scope"].contains("instagram_business_content_publish"));

    let short = ig.exchange_code(&app(), redirect, "ig-code").await.unwrap();
    assert_eq!(short.access_token, "IGshort");
    assert_eq!(short.extra["ig_user_id"], "17841405793187218");
    assert_eq!(short.extra["login"], "instagram");
    let code = form(&one(&server, "POST", "/oauth/access_token").await);
    assert_eq!(code["grant_type"], "authorization_code");
    assert_eq!(
        (code["code"].as_str(), code["redirect_uri"].as_str()),
        ("ig-code", redirect)
    );
    assert_eq!(code["client_secret"], "app-secret");

    let long = ig.long_lived(&app(), &short).await.unwrap();
    assert_eq!(long.access_token, "IGlong");
    assert_eq!(long.expires_at_ms, Some(NOW + 5_184_000_000));
    assert_eq!(
        long.extra["ig_user_id"], "17841405793187218",
        "the account's id is kept"
    );
    let exchange = query(&one(&server, "GET", "/instagram/v24.0/access_token").await);
    assert_eq!(
        (
            exchange["access_token"].as_str(),
            exchange["client_secret"].as_str()
        ),
        ("IGshort", "app-secret")
    );

    let mut channel = herald::connectors::Session::new(
        url::Url::parse("https://graph.instagram.com").unwrap(),
        long,
    );
    ig.refresh(&mut channel).await.unwrap();
    assert!(channel.changed);
    assert_eq!(channel.credentials.access_token, "IGrefreshed");
    assert_eq!(channel.credentials.extra["login"], "instagram");
    assert_eq!(channel.credentials.expires_at_ms, Some(NOW + 5_184_000_000));
}

#[tokio::test]
async fn instagram_facebook_login_channels_do_not_refresh() {
    let server = MockServer::start().await;
    let error = instagram(&server)
        .refresh(&mut ig_session())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), "unsupported");
}

#[tokio::test]
async fn instagram_photo_with_alt_text_then_first_comment() {
    let (Some(container), Some(finished), Some(published)) = (
        shared("instagram", "container_create_photo.json"),
        shared("instagram", "container_status_finished.json"),
        shared("instagram", "media_publish.json"),
    ) else {
        return;
    };
    let server = MockServer::start().await;
    mount_quota_and_permalink(&server).await;
    Mock::given(method("POST"))
        .and(path(format!("/v24.0/{IG}/media")))
        .respond_with(ok(&container))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/17889455560051444"))
        .respond_with(ok(&finished))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v24.0/{IG}/media_publish")))
        .respond_with(ok(&published))
        .expect(1)
        .mount(&server)
        .await;
    // A comment answers its id (the shape of the shared create responses).
    Mock::given(method("POST"))
        .and(path("/v24.0/17920238422030506/comments"))
        .respond_with(ok(&json!({"id": "17865799348089039"})))
        .expect(1)
        .mount(&server)
        .await;
    let mut request = media_request("Peach new", vec![image("peach.jpg", "A ripe peach")]);
    request.first_comment = Some("#fruit #summer".into());

    let done = instagram(&server)
        .publish(&mut ig_session(), &request)
        .await
        .unwrap();

    assert_eq!(done.parts[0].id, "17920238422030506");
    assert_eq!(
        done.parts[0].url.as_deref(),
        Some("https://www.instagram.com/p/CSgf9BChwVq/")
    );
    assert_eq!(done.first_comment.unwrap().id, "17865799348089039");
    let made = form(&one(&server, "POST", &format!("/v24.0/{IG}/media")).await);
    assert_eq!(
        made["image_url"],
        public("peach.jpg"),
        "Instagram fetches the file itself"
    );
    assert_eq!(made["caption"], "Peach new");
    assert_eq!(made["alt_text"], "A ripe peach");
    assert_eq!(made["access_token"], "page-token");
    assert!(
        !made.contains_key("media_type"),
        "a feed photo names no type"
    );
    let status = query(&one(&server, "GET", "/v24.0/17889455560051444").await);
    assert_eq!(status["fields"], "status_code,status");
    let publish = form(&one(&server, "POST", &format!("/v24.0/{IG}/media_publish")).await);
    assert_eq!(publish["creation_id"], "17889455560051444");
    let comment = form(&one(&server, "POST", "/v24.0/17920238422030506/comments").await);
    assert_eq!(comment["message"], "#fruit #summer");
    let order: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(
        order[0],
        format!("GET /v24.0/{IG}/content_publishing_limit"),
        "the quota is checked first"
    );
}

#[tokio::test]
async fn instagram_reel_is_polled_until_finished() {
    let (Some(container), Some(finished), Some(published)) = (
        shared("instagram", "container_create_video.json"),
        shared("instagram", "container_status_finished.json"),
        shared("instagram", "media_publish.json"),
    ) else {
        return;
    };
    let server = MockServer::start().await;
    mount_quota_and_permalink(&server).await;
    Mock::given(method("POST"))
        .and(path(format!("/v24.0/{IG}/media")))
        .respond_with(ok(&container))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/17889455560051447"))
        .respond_with(ok(&own("instagram/container_in_progress.json")))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/17889455560051447"))
        .respond_with(ok(&finished))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v24.0/{IG}/media_publish")))
        .respond_with(ok(&published))
        .mount(&server)
        .await;
    let mut request = media_request("Behind the scenes", vec![video("bts.mp4", "")]);
    request.options = VariantOptions {
        instagram_format: Some("reel".into()),
        ..VariantOptions::default()
    };

    let done = instagram(&server)
        .publish(&mut ig_session(), &request)
        .await
        .unwrap();

    assert_eq!(done.parts[0].id, "17920238422030506");
    let made = form(&one(&server, "POST", &format!("/v24.0/{IG}/media")).await);
    assert_eq!(made["media_type"], "REELS");
    assert_eq!(made["video_url"], public("bts.mp4"));
    assert_eq!(made["caption"], "Behind the scenes");
    assert_eq!(
        sent(&server, "GET", "/v24.0/17889455560051447").await.len(),
        3,
        "IN_PROGRESS twice, then FINISHED"
    );
    let order: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    let last_poll = order
        .iter()
        .rposition(|p| p == "/v24.0/17889455560051447")
        .unwrap();
    let publish = order
        .iter()
        .position(|p| p.ends_with("/media_publish"))
        .unwrap();
    assert!(publish > last_poll, "published only once finished");
}

#[tokio::test]
async fn instagram_carousel_makes_items_then_the_album() {
    let (Some(finished), Some(published)) = (
        shared("instagram", "container_status_finished.json"),
        shared("instagram", "media_publish.json"),
    ) else {
        return;
    };
    let server = MockServer::start().await;
    mount_quota_and_permalink(&server).await;
    let item = |needle: &'static str, id: &'static str| {
        Mock::given(method("POST"))
            .and(path(format!("/v24.0/{IG}/media")))
            .and(body_string_contains(needle))
            .respond_with(ok(&json!({ "id": id })))
            .with_priority(1)
    };
    item("a.jpg", "17900000000000001").mount(&server).await;
    item("b.mp4", "17900000000000002").mount(&server).await;
    item("media_type=CAROUSEL", "17900000000000009")
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path_regex(
            r"^/v24\.0/179000000000000(02|09)$",
        ))
        .respond_with(ok(&finished))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v24.0/{IG}/media_publish")))
        .respond_with(ok(&published))
        .mount(&server)
        .await;
    let request = media_request("ALBUM", vec![image("a.jpg", "Left"), video("b.mp4", "")]);

    let done = instagram(&server)
        .publish(&mut ig_session(), &request)
        .await
        .unwrap();

    assert_eq!(done.parts[0].id, "17920238422030506");
    let made: Vec<_> = sent(&server, "POST", &format!("/v24.0/{IG}/media"))
        .await
        .iter()
        .map(form)
        .collect();
    assert_eq!(made.len(), 3);
    assert_eq!(made[0]["is_carousel_item"], "true");
    assert_eq!(made[0]["image_url"], public("a.jpg"));
    assert_eq!(made[0]["alt_text"], "Left");
    assert!(!made[0].contains_key("caption"), "items carry no caption");
    assert_eq!(
        (
            made[1]["media_type"].as_str(),
            made[1]["is_carousel_item"].as_str()
        ),
        ("VIDEO", "true")
    );
    assert_eq!(made[2]["media_type"], "CAROUSEL");
    assert_eq!(made[2]["children"], "17900000000000001,17900000000000002");
    assert_eq!(made[2]["caption"], "ALBUM");
    assert_eq!(
        sent(&server, "GET", "/v24.0/17900000000000002").await.len(),
        1,
        "the video item is waited for"
    );
    assert_eq!(
        form(&one(&server, "POST", &format!("/v24.0/{IG}/media_publish")).await)["creation_id"],
        "17900000000000009"
    );
}

#[tokio::test]
async fn instagram_container_error_is_refused_in_meta_words() {
    let Some(container) = shared("instagram", "container_create_video.json") else {
        return;
    };
    let server = MockServer::start().await;
    mount_quota_and_permalink(&server).await;
    Mock::given(method("POST"))
        .and(path(format!("/v24.0/{IG}/media")))
        .respond_with(ok(&container))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/17889455560051447"))
        .respond_with(ok(&own("instagram/container_error.json")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v24.0/{IG}/media_publish")))
        .respond_with(ok(&json!({})))
        .expect(0)
        .mount(&server)
        .await;

    let error = instagram(&server)
        .publish(
            &mut ig_session(),
            &media_request("x", vec![video("bad.mp4", "")]),
        )
        .await
        .unwrap_err();

    assert_eq!(
        error.error,
        ConnectorError::rejected(
            "Error: Media download has failed. The media URI doesn't meet our requirements. (2207052)",
            Some("container_error".into())
        )
    );
    assert!(error.done.parts.is_empty());
}

#[tokio::test]
async fn instagram_quota_used_up_is_rate_limited_before_anything_is_made() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v24.0/{IG}/content_publishing_limit")))
        .respond_with(ok(&own("instagram/error_quota_reached.json")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v24.0/{IG}/media")))
        .respond_with(ok(&json!({})))
        .expect(0)
        .mount(&server)
        .await;

    let error = instagram(&server)
        .publish(
            &mut ig_session(),
            &media_request("x", vec![image("a.jpg", "")]),
        )
        .await
        .unwrap_err();

    assert_eq!(
        error.error,
        ConnectorError::RateLimited {
            retry_at_ms: Some(NOW + HOUR_MS)
        }
    );
    let ask = query(
        &one(
            &server,
            "GET",
            &format!("/v24.0/{IG}/content_publishing_limit"),
        )
        .await,
    );
    assert_eq!(ask["fields"], "quota_usage,config");
}

#[tokio::test]
async fn instagram_publish_before_the_media_is_ready_is_tried_again() {
    let (Some(container), Some(finished), Some(published), Some(not_ready)) = (
        shared("instagram", "container_create_photo.json"),
        shared("instagram", "container_status_finished.json"),
        shared("instagram", "media_publish.json"),
        shared("instagram", "error_9007_media_not_ready.json"),
    ) else {
        return;
    };
    let server = MockServer::start().await;
    mount_quota_and_permalink(&server).await;
    Mock::given(method("POST"))
        .and(path(format!("/v24.0/{IG}/media")))
        .respond_with(ok(&container))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/17889455560051444"))
        .respond_with(ok(&finished))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v24.0/{IG}/media_publish")))
        .respond_with(status(400, &not_ready))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v24.0/{IG}/media_publish")))
        .respond_with(ok(&published))
        .mount(&server)
        .await;

    let done = instagram(&server)
        .publish(
            &mut ig_session(),
            &media_request("x", vec![image("a.jpg", "")]),
        )
        .await
        .unwrap();

    assert_eq!(done.parts[0].id, "17920238422030506");
    assert_eq!(
        sent(&server, "POST", &format!("/v24.0/{IG}/media_publish"))
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn instagram_needs_a_public_address_for_each_file() {
    let Some(limit) = shared("instagram", "content_publishing_limit.json") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v24.0/{IG}/content_publishing_limit")))
        .respond_with(ok(&limit))
        .mount(&server)
        .await;
    let ig = Instagram::new(
        herald::connectors::http::Http::new(true).unwrap(),
        std::sync::Arc::new(herald::domain::FixedClock::at(NOW)),
        endpoints(&server),
    );

    let error = ig
        .publish(
            &mut ig_session(),
            &media_request(
                "x",
                vec![MediaFile {
                    public_url: None,
                    ..image("a.jpg", "")
                }],
            ),
        )
        .await
        .unwrap_err();

    let ConnectorError::Rejected { code, message } = error.error else {
        panic!("expected a refusal");
    };
    assert_eq!(code.as_deref(), Some("no_public_url"));
    assert!(message.contains("a.jpg"));
    assert!(
        sent(&server, "POST", &format!("/v24.0/{IG}/media"))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn instagram_recent_media_with_counts_and_views() {
    let (Some(list), Some(legacy)) = (
        shared("instagram", "user_media_list.json"),
        shared("instagram", "media_insights_legacy_impressions.json"),
    ) else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v24.0/{IG}/media")))
        .respond_with(ok(&list))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/17895731045244887/insights"))
        .respond_with(ok(&own("instagram/media_insights_views.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/17896622936197745/insights"))
        .respond_with(ok(&legacy))
        .mount(&server)
        .await;

    let posts = instagram(&server)
        .recent_posts(&mut ig_session(), 2)
        .await
        .unwrap();

    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].post.id, "17895731045244887");
    assert_eq!(
        posts[0].post.url.as_deref(),
        Some("https://www.instagram.com/p/CSgf9BChwVq/")
    );
    assert_eq!(posts[0].created_at_ms, Some(1_628_843_128_000));
    assert_eq!(
        (posts[0].metrics.likes, posts[0].metrics.replies),
        (Some(0), Some(0))
    );
    assert_eq!(posts[0].metrics.impressions, Some(1043));
    assert_eq!(
        (posts[1].metrics.likes, posts[1].metrics.replies),
        (Some(2), Some(6))
    );
    assert_eq!(
        posts[1].metrics.impressions,
        Some(8),
        "older answers say impressions"
    );
    let ask = query(&one(&server, "GET", &format!("/v24.0/{IG}/media")).await);
    assert!(ask["fields"].contains("like_count") && ask["fields"].contains("comments_count"));
    assert_eq!(ask["limit"], "2");
    assert_eq!(
        query(&one(&server, "GET", "/v24.0/17895731045244887/insights").await)["metric"],
        "views"
    );
}

#[tokio::test]
async fn instagram_comments_replies_and_tags_without_its_own() {
    let (Some(list), Some(tags)) = (
        shared("instagram", "user_media_list.json"),
        shared("instagram", "tagged_media.json"),
    ) else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v24.0/{IG}/media")))
        .respond_with(ok(&list))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/17896622936197745/comments"))
        .respond_with(ok(&own("instagram/comments_with_replies.json")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v24.0/{IG}/tags")))
        .respond_with(ok(&tags))
        .expect(1)
        .mount(&server)
        .await;

    let found = instagram(&server)
        .interactions(&mut ig_session(), 20)
        .await
        .unwrap();

    assert_eq!(found.len(), 7, "two comments by others and five tags");
    assert_eq!(found[0].id, "17847314687296284", "the newest: a reply");
    assert_eq!(found[0].kind, InteractionKind::Reply);
    assert_eq!(found[0].author.handle, "@lixiangguodu123");
    assert_eq!(found[0].subject.as_deref(), Some("17896622936197745"));
    assert_eq!(found[0].at_ms, Some(1_628_852_520_000));
    assert!(
        found
            .iter()
            .all(|i| i.author.handle != "@facebookfordevelopers"),
        "the account's own reply is left out"
    );
    let tag = found.iter().find(|i| i.id == "17892354025952911").unwrap();
    assert_eq!(tag.kind, InteractionKind::Mention);
    assert_eq!(tag.text.as_deref(), Some("publish test"));
    assert_eq!(
        tag.post.as_ref().unwrap().url.as_deref(),
        Some("https://www.instagram.com/p/CMeo7rcJvTi/")
    );
    assert!(
        sent(&server, "GET", "/v24.0/17895731045244887/comments")
            .await
            .is_empty(),
        "no comments, no call"
    );
    let ask = query(&one(&server, "GET", "/v24.0/17896622936197745/comments").await);
    assert!(ask["fields"].contains("replies{"));
}

#[tokio::test]
async fn instagram_mentions_named_by_webhooks() {
    let (Some(comment), Some(media)) = (
        shared("instagram", "mentioned_comment.json"),
        shared("instagram", "mentioned_media.json"),
    ) else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v24.0/{IG}")))
        .and(wiremock::matchers::query_param_contains(
            "fields",
            "mentioned_comment.comment_id(17967008497439572)",
        ))
        .respond_with(ok(&comment))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v24.0/{IG}")))
        .and(wiremock::matchers::query_param_contains(
            "fields",
            "mentioned_media.media_id(17889114512354744)",
        ))
        .respond_with(ok(&media))
        .expect(1)
        .mount(&server)
        .await;
    let ig = instagram(&server);

    let c = ig
        .mentioned_comment(&ig_session(), "17967008497439572")
        .await
        .unwrap();
    assert_eq!(
        (c.kind, c.id.as_str()),
        (InteractionKind::Mention, "17967008497439572")
    );
    assert_eq!(c.text.as_deref(), Some("@ikroskun good"));
    assert_eq!(c.author.handle, "@ikroskun");
    assert_eq!(c.at_ms, Some(1_629_364_456_000));

    let m = ig
        .mentioned_media(&ig_session(), "17889114512354744")
        .await
        .unwrap();
    assert_eq!(
        (m.kind, m.id.as_str()),
        (InteractionKind::Mention, "17889114512354744")
    );
    assert_eq!(m.text.as_deref(), Some("@ikroskun hey"));
}

#[tokio::test]
async fn instagram_business_discovery_lookup() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v24.0/{IG}")))
        .respond_with(ok(&own("instagram/business_discovery.json")))
        .expect(1)
        .mount(&server)
        .await;
    let ig = instagram(&server);

    let profile = ig
        .lookup(&mut ig_session(), "@bluebottle", 2)
        .await
        .unwrap();

    assert_eq!(profile.account.handle, "@bluebottle");
    assert_eq!(profile.account.display_name, "Blue Bottle Coffee");
    assert_eq!(
        (
            profile.account.followers,
            profile.account.following,
            profile.account.posts
        ),
        (Some(267_793), Some(1230), Some(1205))
    );
    assert_eq!(
        profile.account.profile_url.as_deref(),
        Some("https://www.instagram.com/bluebottle/")
    );
    assert_eq!(profile.recent.len(), 2);
    assert_eq!(profile.recent[1].metrics.likes, Some(1280));
    assert_eq!(profile.recent[1].text, "Cold brew season.");
    let fields = query(&one(&server, "GET", &format!("/v24.0/{IG}")).await)["fields"].clone();
    assert!(
        fields.starts_with("business_discovery.username(bluebottle){"),
        "{fields}"
    );
    assert!(fields.contains("media.limit(2){"));

    let refused = ig.lookup(&mut ig_session(), "x){id}", 2).await.unwrap_err();
    assert_eq!(refused.kind(), "rejected");
    assert_eq!(received(&server).await.len(), 1, "a bad name is never sent");
}

#[tokio::test]
async fn instagram_verify_reads_followers_on_either_host() {
    let Some(user) = shared("instagram", "user_fields_followers.json") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v24.0/{IG}")))
        .respond_with(ok(&user))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/instagram/v24.0/me"))
        .respond_with(ok(&user))
        .mount(&server)
        .await;
    let ig = instagram(&server);

    let account = ig.verify(&mut ig_session()).await.unwrap();
    assert_eq!(account.handle, "@facebookfordevelopers");
    assert_eq!(account.display_name, "Facebook for Developers");
    assert_eq!((account.followers, account.posts), (Some(64363), Some(427)));

    let mut login = session("IGlong", &[("login", "instagram")]);
    assert_eq!(
        ig.verify(&mut login).await.unwrap().remote_id,
        "17841407673135339"
    );
    let ask = query(&one(&server, "GET", "/instagram/v24.0/me").await);
    assert_eq!(ask["access_token"], "IGlong");
    assert!(ask["fields"].contains("followers_count") && ask["fields"].contains("follows_count"));
}

#[tokio::test]
async fn instagram_cannot_delete() {
    let server = MockServer::start().await;
    let post = herald::connectors::model::RemoteRef {
        id: "17920238422030506".into(),
        url: None,
        cid: None,
    };
    assert_eq!(
        instagram(&server)
            .delete(&mut ig_session(), &post)
            .await
            .unwrap_err()
            .kind(),
        "unsupported"
    );
}
