//! X against recorded answers (`../shared/fixtures/x/`, skipped with a note where that folder
//! is absent outside CI) and Herald's own fixtures for what the recordings lack
//! (`tests/fixtures/connectors/x/`, each named in its README with the page it follows).
//! Every test checks what Herald sends (method, path, query, token, body) and what it makes
//! of the answer.

use std::sync::Arc;

use herald::connectors::connector::{Connector, Session};
use herald::connectors::error::ConnectorError;
use herald::connectors::http::Http;
use herald::connectors::model::{
    Credentials, InteractionKind, MediaFile, OAuthApp, Part, PublishRequest, RemoteRef,
};
use herald::connectors::pkce;
use herald::connectors::x::{Endpoints, X};
use herald::domain::FixedClock;
use herald::domain::media::MediaKind;
use herald::domain::post::VariantOptions;
use serde_json::{Value, json};
use url::Url;
use wiremock::matchers::{body_json, body_partial_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The fixed "now" (2025-11-24T16:00:00Z).
const NOW: i64 = 1_764_000_000_000;
const TOKEN: &str = "access-1";
const ME: &str = "2244994945";

fn shared(name: &str) -> Option<Value> {
    super::fixtures::json("x", name)
}

fn own(name: &str) -> Value {
    super::fixtures::own(&format!("x/{name}"))
}

/// A recorded answer with its recorded status and headers (`name.meta.json`), minus the
/// transfer headers that described the recording's compressed body.
fn recorded(name: &str) -> Option<ResponseTemplate> {
    let body = shared(&format!("{name}.json"))?;
    let meta = shared(&format!("{name}.meta.json")).unwrap_or(Value::Null);
    let status = meta["response"]["status"].as_u64().unwrap_or(200) as u16;
    let mut template = ResponseTemplate::new(status).set_body_json(&body);
    for (key, value) in meta["response"]["headers"]
        .as_object()
        .into_iter()
        .flatten()
    {
        if !matches!(
            key.as_str(),
            "content-encoding" | "content-length" | "content-type"
        ) {
            template = template.insert_header(key.as_str(), value.as_str().unwrap());
        }
    }
    Some(template)
}

fn json_answer(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

fn app() -> OAuthApp {
    OAuthApp {
        client_id: "client-1".into(),
        client_secret: "secret-1".into(),
    }
}

fn x(server: &MockServer) -> X {
    let http = Http::new(true).unwrap();
    let endpoints = Endpoints::on(&Url::parse(&server.uri()).unwrap());
    X::new(http, Arc::new(FixedClock::at(NOW)), endpoints).with_app(app())
}

/// A channel that knows its user (as after `verify`).
fn session(server: &MockServer) -> Session {
    let mut credentials = Credentials::bearer(TOKEN);
    credentials.extra.insert("user_id".into(), ME.into());
    credentials
        .extra
        .insert("username".into(), "TwitterDev".into());
    Session::new(Url::parse(&server.uri()).unwrap(), credentials)
}

fn text(parts: &[&str]) -> PublishRequest {
    PublishRequest {
        parts: parts
            .iter()
            .map(|t| Part {
                text: (*t).into(),
                media: Vec::new(),
            })
            .collect(),
        idempotency_key: "key-1".into(),
        first_attempt_ms: NOW,
        ..PublishRequest::default()
    }
}

fn file(kind: MediaKind, mime: &str, bytes: Vec<u8>, alt: &str) -> MediaFile {
    MediaFile {
        bytes,
        mime: mime.into(),
        file_name: "file".into(),
        kind,
        alt: alt.into(),
        width: 1200,
        height: 800,
        public_url: None,
    }
}

async fn requests_to(server: &MockServer, verb: &str, route: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.method.as_str() == verb && r.url.path() == route)
        .collect()
}

fn body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).unwrap()
}

fn form(request: &Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect()
}

fn bearer(request: &Request) -> String {
    request.headers["authorization"]
        .to_str()
        .unwrap()
        .to_owned()
}

// Connecting.

#[tokio::test]
async fn the_authorize_url_asks_for_pkce_state_and_the_scopes() {
    let server = MockServer::start().await;
    let verifier = pkce::random_token();
    let url = x(&server).authorize_url(
        &app(),
        "https://herald.example/oauth/x",
        "state-123",
        &pkce::challenge(&verifier),
    );
    assert_eq!(url.path(), "/i/oauth2/authorize");
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let get = |k: &str| query.iter().find(|(q, _)| q == k).map(|(_, v)| v.as_str());
    assert_eq!(get("response_type"), Some("code"));
    assert_eq!(get("client_id"), Some("client-1"));
    assert_eq!(get("redirect_uri"), Some("https://herald.example/oauth/x"));
    assert_eq!(get("state"), Some("state-123"));
    assert_eq!(
        get("code_challenge"),
        Some(pkce::challenge(&verifier).as_str())
    );
    assert_eq!(get("code_challenge_method"), Some("S256"));
    assert_eq!(
        get("scope"),
        Some(
            "tweet.read tweet.write users.read offline.access media.write like.read follows.read dm.read"
        )
    );
    // The default points at X itself.
    assert_eq!(
        Endpoints::default().authorize.as_str(),
        "https://x.com/i/oauth2/authorize"
    );
}

#[tokio::test]
async fn the_code_is_exchanged_with_basic_auth_and_the_verifier() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/2/oauth2/token"))
        // base64("client-1:secret-1"): X wants confidential clients in Basic auth.
        .and(header("authorization", "Basic Y2xpZW50LTE6c2VjcmV0LTE="))
        .respond_with(json_answer(200, &own("token_code.json")))
        .expect(1)
        .mount(&server)
        .await;
    let credentials = x(&server)
        .exchange_code(
            &app(),
            "https://herald.example/oauth/x",
            "code-9",
            "verifier-9",
        )
        .await
        .unwrap();
    let sent = &requests_to(&server, "POST", "/2/oauth2/token").await[0];
    let form = form(sent);
    for pair in [
        ("grant_type", "authorization_code"),
        ("code", "code-9"),
        ("code_verifier", "verifier-9"),
        ("redirect_uri", "https://herald.example/oauth/x"),
        ("client_id", "client-1"),
    ] {
        assert!(
            form.contains(&(pair.0.into(), pair.1.into())),
            "{pair:?} in {form:?}"
        );
    }
    assert!(credentials.access_token.starts_with("VGNibzFWSWREZm01"));
    assert!(
        credentials
            .refresh_token
            .as_deref()
            .unwrap()
            .starts_with("bWRWa3gz")
    );
    assert_eq!(credentials.expires_at_ms, Some(NOW + 7_200_000));
}

#[tokio::test]
async fn a_refresh_keeps_the_refresh_token_when_x_sends_none() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/2/oauth2/token"))
        .respond_with(json_answer(
            200,
            &own("token_refresh_without_refresh_token.json"),
        ))
        .mount(&server)
        .await;
    let mut session = session(&server);
    session.credentials.refresh_token = Some("refresh-1".into());
    x(&server).refresh(&mut session).await.unwrap();
    let form = form(&requests_to(&server, "POST", "/2/oauth2/token").await[0]);
    assert!(form.contains(&("grant_type".into(), "refresh_token".into())));
    assert!(form.contains(&("refresh_token".into(), "refresh-1".into())));
    assert_eq!(session.credentials.access_token, "access-after-refresh");
    assert_eq!(
        session.credentials.refresh_token.as_deref(),
        Some("refresh-1")
    );
    assert_eq!(session.credentials.expires_at_ms, Some(NOW + 7_200_000));
    // What Herald had learnt about the channel stays.
    assert_eq!(session.credentials.extra["user_id"], ME);
    assert!(session.changed);
}

#[tokio::test]
async fn a_refresh_takes_the_rotated_refresh_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/2/oauth2/token"))
        .respond_with(json_answer(200, &own("token_refresh_rotated.json")))
        .mount(&server)
        .await;
    let mut session = session(&server);
    session.credentials.refresh_token = Some("refresh-1".into());
    x(&server).refresh(&mut session).await.unwrap();
    assert_eq!(
        session.credentials.refresh_token.as_deref(),
        Some("refresh-rotated")
    );
}

#[tokio::test]
async fn a_refused_refresh_token_means_reconnecting() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/2/oauth2/token"))
        .respond_with(json_answer(400, &own("token_invalid_grant.json")))
        .mount(&server)
        .await;
    let mut session = session(&server);
    session.credentials.refresh_token = Some("refresh-1".into());
    let error = x(&server).refresh(&mut session).await.unwrap_err();
    assert_eq!(
        error,
        ConnectorError::auth("Value passed for the token was invalid.")
    );
    assert!(!session.changed);
}

#[tokio::test]
async fn a_401_is_left_to_the_refresh_pass() {
    // X rotates refresh tokens: spending one here, outside the refresh pass's claim on the
    // channel, could void the token that pass just got.
    let server = MockServer::start().await;
    let Some(unauthorized) = shared("error_401_unauthorized.json") else {
        return;
    };
    Mock::given(method("POST"))
        .and(path("/2/tweets"))
        .respond_with(json_answer(401, &unauthorized))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/2/oauth2/token"))
        .respond_with(json_answer(200, &own("token_refresh_rotated.json")))
        .expect(0)
        .mount(&server)
        .await;
    let mut session = session(&server);
    session.credentials.refresh_token = Some("refresh-1".into());
    session.credentials.expires_at_ms = Some(NOW - 1);
    let error = x(&server)
        .publish(&mut session, &text(&["Test Tweet"]))
        .await
        .unwrap_err();
    assert_eq!(error.error, ConnectorError::auth("Unauthorized"));
    assert!(!session.changed);
}

// The account.

#[tokio::test]
async fn verify_reads_the_counts_and_keeps_the_user_id() {
    let server = MockServer::start().await;
    let Some(user) = shared("user_with_public_metrics.json") else {
        return;
    };
    Mock::given(method("GET"))
        .and(path("/2/users/me"))
        .and(query_param(
            "user.fields",
            "public_metrics,profile_image_url",
        ))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(json_answer(200, &user))
        .expect(1)
        .mount(&server)
        .await;
    let mut session = Session::new(
        Url::parse(&server.uri()).unwrap(),
        Credentials::bearer(TOKEN),
    );
    let account = x(&server).verify(&mut session).await.unwrap();
    assert_eq!(account.remote_id, ME);
    assert_eq!(account.handle, "@TwitterDev");
    assert_eq!(account.display_name, "Twitter Dev");
    assert_eq!(
        account.profile_url.as_deref(),
        Some("https://x.com/TwitterDev")
    );
    assert_eq!(account.followers, Some(514_020));
    assert_eq!(account.following, Some(2038));
    assert_eq!(account.posts, Some(3639));
    assert_eq!(session.credentials.extra["user_id"], ME);
    assert_eq!(session.credentials.extra["username"], "TwitterDev");
    assert!(session.changed);
}

// Publishing.

#[tokio::test]
async fn a_text_becomes_one_post() {
    let server = MockServer::start().await;
    let Some(created) = recorded("create_tweet_201") else {
        return;
    };
    Mock::given(method("POST"))
        .and(path("/2/tweets"))
        .and(header("authorization", "Bearer access-1"))
        // Exactly the recorded request's body.
        .and(body_json(json!({"text": "Test Tweet"})))
        .respond_with(created)
        .expect(1)
        .mount(&server)
        .await;
    let published = x(&server)
        .publish(&mut session(&server), &text(&["Test Tweet"]))
        .await
        .unwrap();
    assert_eq!(published.parts.len(), 1);
    assert_eq!(published.parts[0].id, "1456012973835788293");
    assert_eq!(
        published.parts[0].url.as_deref(),
        Some("https://x.com/TwitterDev/status/1456012973835788293")
    );
    assert_eq!(published.first_comment, None);
}

#[tokio::test]
async fn an_image_goes_up_in_one_request_with_its_alt_text() {
    let server = MockServer::start().await;
    let (Some(uploaded), Some(created)) = (
        shared("media_upload_v2_simple.json"),
        recorded("create_tweet_201"),
    ) else {
        return;
    };
    Mock::given(method("POST"))
        .and(path("/2/media/upload"))
        .respond_with(json_answer(200, &uploaded))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/2/media/metadata"))
        .and(body_json(json!({
            "id": "1726817595448610817",
            "metadata": {"alt_text": {"text": "A cat asleep on a keyboard"}}
        })))
        .respond_with(json_answer(200, &own("media_metadata.json")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/2/tweets"))
        .and(body_json(json!({
            "text": "Look",
            "media": {"media_ids": ["1726817595448610817"]}
        })))
        .respond_with(created)
        .expect(1)
        .mount(&server)
        .await;
    let mut request = text(&["Look"]);
    request.parts[0].media.push(file(
        MediaKind::Image,
        "image/jpeg",
        b"\xFF\xD8\xFFjpeg-bytes".to_vec(),
        "A cat asleep on a keyboard",
    ));
    let published = x(&server)
        .publish(&mut session(&server), &request)
        .await
        .unwrap();
    assert_eq!(published.parts[0].id, "1456012973835788293");
    let upload = &requests_to(&server, "POST", "/2/media/upload").await[0];
    let multipart = String::from_utf8_lossy(&upload.body);
    assert!(
        multipart.contains("name=\"media_category\"\r\n\r\ntweet_image"),
        "{multipart}"
    );
    assert!(multipart.contains("jpeg-bytes"));
    assert_eq!(bearer(upload), "Bearer access-1");
}

#[tokio::test]
async fn a_thread_chains_replies_and_the_first_comment_answers_the_first_part() {
    let server = MockServer::start().await;
    let (Some(first), Some(second)) = (recorded("create_tweet_201"), shared("create_tweet_b.json"))
    else {
        return;
    };
    Mock::given(method("POST"))
        .and(path("/2/tweets"))
        .and(body_json(
            json!({"text": "One", "reply_settings": "mentionedUsers"}),
        ))
        .respond_with(first)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/2/tweets"))
        .and(body_json(json!({
            "text": "Two",
            "reply": {"in_reply_to_tweet_id": "1456012973835788293"},
            "reply_settings": "mentionedUsers"
        })))
        .respond_with(json_answer(201, &second))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/2/tweets"))
        .and(body_json(json!({
            "text": "Sources in the replies.",
            "reply": {"in_reply_to_tweet_id": "1456012973835788293"}
        })))
        .respond_with(json_answer(201, &own("create_tweet_comment.json")))
        .expect(1)
        .mount(&server)
        .await;
    let mut request = text(&["One", "Two"]);
    request.first_comment = Some("Sources in the replies.".into());
    request.options = VariantOptions {
        reply_settings: Some("mentioned_users".into()),
        ..VariantOptions::default()
    };
    let published = x(&server)
        .publish(&mut session(&server), &request)
        .await
        .unwrap();
    let ids: Vec<&str> = published.parts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["1456012973835788293", "1445880548472328192"]);
    assert_eq!(
        published.first_comment.map(|c| c.id),
        Some("1456012973835788300".to_owned())
    );
    // In order: a part only once the one before exists.
    let texts: Vec<Value> = requests_to(&server, "POST", "/2/tweets")
        .await
        .iter()
        .map(|r| body(r)["text"].clone())
        .collect();
    assert_eq!(
        texts,
        [json!("One"), json!("Two"), json!("Sources in the replies.")]
    );
}

#[tokio::test]
async fn a_reply_to_another_post_starts_the_chain_there() {
    let server = MockServer::start().await;
    let Some(created) = recorded("create_tweet_201") else {
        return;
    };
    Mock::given(method("POST"))
        .and(path("/2/tweets"))
        .and(body_partial_json(
            json!({"reply": {"in_reply_to_tweet_id": "1293593516040269825"}}),
        ))
        .respond_with(created)
        .expect(1)
        .mount(&server)
        .await;
    let mut request = text(&["Agreed"]);
    request.reply_to = Some(RemoteRef {
        id: "1293593516040269825".into(),
        ..RemoteRef::default()
    });
    x(&server)
        .publish(&mut session(&server), &request)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_duplicate_stops_the_thread_and_keeps_what_was_published() {
    let server = MockServer::start().await;
    let (Some(first), Some(duplicate)) = (
        recorded("create_tweet_201"),
        shared("error_403_duplicate_content.json"),
    ) else {
        return;
    };
    Mock::given(method("POST"))
        .and(path("/2/tweets"))
        .and(body_partial_json(json!({"text": "One"})))
        .respond_with(first)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/2/tweets"))
        .and(body_partial_json(json!({"text": "Two"})))
        .respond_with(
            json_answer(403, &duplicate).insert_header("x-rate-limit-reset", "1682422975"),
        )
        .mount(&server)
        .await;
    let mut request = text(&["One", "Two", "Three"]);
    request.first_comment = Some("never sent".into());
    let error = x(&server)
        .publish(&mut session(&server), &request)
        .await
        .unwrap_err();
    assert_eq!(
        error.error,
        ConnectorError::rejected(
            "You are not allowed to create a Tweet with duplicate content.",
            Some("duplicate".into())
        )
    );
    assert!(!error.error.is_retryable());
    assert_eq!(error.done.parts.len(), 1);
    assert_eq!(error.done.parts[0].id, "1456012973835788293");
    assert_eq!(requests_to(&server, "POST", "/2/tweets").await.len(), 2);
}

#[tokio::test]
async fn a_video_goes_up_in_chunks_and_waits_for_processing() {
    let server = MockServer::start().await;
    let (Some(init), Some(finalize), Some(created)) = (
        shared("docs_media_upload_init.json"),
        shared("docs_media_upload_finalize.json"),
        recorded("create_tweet_201"),
    ) else {
        return;
    };
    let id = "1880028106020515840";
    // Four MiB and a few bytes: two segments.
    let video: Vec<u8> = (0..4 * 1024 * 1024 + 10).map(|i| (i % 251) as u8).collect();
    Mock::given(method("POST"))
        .and(path("/2/media/upload/initialize"))
        .and(body_json(json!({
            "media_type": "video/mp4",
            "total_bytes": video.len(),
            "media_category": "tweet_video"
        })))
        .respond_with(json_answer(200, &init))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/2/media/upload/{id}/append")))
        .respond_with(json_answer(200, &own("media_append.json")))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/2/media/upload/{id}/finalize")))
        .respond_with(json_answer(200, &finalize))
        .expect(1)
        .mount(&server)
        .await;
    // pending (FINALIZE) → in_progress → succeeded.
    Mock::given(method("GET"))
        .and(path("/2/media/upload"))
        .and(query_param("command", "STATUS"))
        .and(query_param("media_id", id))
        .respond_with(json_answer(200, &own("media_status_in_progress.json")))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    let Some(done) = shared("media_upload_v2_status.json") else {
        return;
    };
    Mock::given(method("GET"))
        .and(path("/2/media/upload"))
        .and(query_param("command", "STATUS"))
        .respond_with(json_answer(200, &done))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/2/tweets"))
        .and(body_json(
            json!({"text": "Watch", "media": {"media_ids": [id]}}),
        ))
        .respond_with(created)
        .expect(1)
        .mount(&server)
        .await;
    let mut request = text(&["Watch"]);
    request.parts[0]
        .media
        .push(file(MediaKind::Video, "video/mp4", video.clone(), ""));
    let published = x(&server)
        .publish(&mut session(&server), &request)
        .await
        .unwrap();
    assert_eq!(published.parts[0].id, "1456012973835788293");

    let appends = requests_to(&server, "POST", &format!("/2/media/upload/{id}/append")).await;
    let segment = |r: &Request, index: &str| {
        String::from_utf8_lossy(&r.body)
            .contains(&format!("name=\"segment_index\"\r\n\r\n{index}\r\n"))
    };
    assert!(segment(&appends[0], "0") && segment(&appends[1], "1"));
    let sent: usize = appends.iter().map(|r| r.body.len()).sum();
    assert!(sent > video.len(), "both segments carry the whole file");
    // No alt text given: no metadata call.
    assert!(
        requests_to(&server, "POST", "/2/media/metadata")
            .await
            .is_empty()
    );
    // The post waited for processing: it is the last request.
    let all = server.received_requests().await.unwrap();
    assert_eq!(all.last().unwrap().url.path(), "/2/tweets");
}

#[tokio::test]
async fn media_x_cannot_process_is_refused_before_posting() {
    let server = MockServer::start().await;
    let Some(init) = shared("docs_media_upload_init.json") else {
        return;
    };
    let id = "1880028106020515840";
    Mock::given(method("POST"))
        .and(path("/2/media/upload/initialize"))
        .respond_with(json_answer(200, &init))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/2/media/upload/{id}/append")))
        .respond_with(json_answer(200, &own("media_append.json")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/2/media/upload/{id}/finalize")))
        .respond_with(json_answer(200, &own("media_status_failed.json")))
        .mount(&server)
        .await;
    let mut request = text(&["Watch"]);
    request.parts[0]
        .media
        .push(file(MediaKind::Gif, "image/gif", b"GIF89a".to_vec(), ""));
    let error = x(&server)
        .publish(&mut session(&server), &request)
        .await
        .unwrap_err();
    assert_eq!(
        error.error,
        ConnectorError::rejected("Unsupported video format", Some("InvalidMedia".into()))
    );
    assert!(error.done.parts.is_empty());
    assert!(requests_to(&server, "POST", "/2/tweets").await.is_empty());
    let init = &requests_to(&server, "POST", "/2/media/upload/initialize").await[0];
    assert_eq!(body(init)["media_category"], "tweet_gif");
}

#[tokio::test]
async fn delete_removes_the_post() {
    let server = MockServer::start().await;
    let Some(deleted) = recorded("delete_tweet") else {
        return;
    };
    Mock::given(method("DELETE"))
        .and(path("/2/tweets/1456012973835788293"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(deleted)
        .expect(1)
        .mount(&server)
        .await;
    let post = RemoteRef {
        id: "1456012973835788293".into(),
        ..RemoteRef::default()
    };
    x(&server)
        .delete(&mut session(&server), &post)
        .await
        .unwrap();
}

// Reading.

#[tokio::test]
async fn recent_posts_carry_their_metrics() {
    let server = MockServer::start().await;
    let Some(tweets) = shared("users_tweets_with_public_metrics.json") else {
        return;
    };
    Mock::given(method("GET"))
        .and(path(format!("/2/users/{ME}/tweets")))
        .and(query_param("max_results", "5"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(json_answer(200, &tweets))
        .expect(1)
        .mount(&server)
        .await;
    let posts = x(&server)
        .recent_posts(&mut session(&server), 5)
        .await
        .unwrap();
    assert_eq!(posts.len(), 5);
    let first = &posts[0];
    assert_eq!(first.post.id, "1364275610764201984");
    assert_eq!(
        first.post.url.as_deref(),
        Some("https://x.com/TwitterDev/status/1364275610764201984")
    );
    assert_eq!(first.metrics.likes, Some(37));
    assert_eq!(first.metrics.reposts, Some(10));
    assert_eq!(first.metrics.replies, Some(2));
    assert_eq!(first.metrics.quotes, Some(1));
    assert_eq!(first.metrics.impressions, None);
    // 2021-02-23T18:07:07Z
    assert_eq!(first.created_at_ms, Some(1_614_103_627_000));
    assert!(first.text.starts_with("If you're newly approved"));
    let fields = requests_to(&server, "GET", &format!("/2/users/{ME}/tweets")).await[0]
        .url
        .query_pairs()
        .find(|(k, _)| k == "tweet.fields")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    for field in [
        "public_metrics",
        "created_at",
        "in_reply_to_user_id",
        "referenced_tweets",
    ] {
        assert!(fields.split(',').any(|f| f == field), "{field} in {fields}");
    }
}

#[tokio::test]
async fn recent_posts_learn_the_channel_user_first() {
    let server = MockServer::start().await;
    let (Some(me), Some(tweets)) = (recorded("users_me"), recorded("users_tweets")) else {
        return;
    };
    Mock::given(method("GET"))
        .and(path("/2/users/me"))
        .respond_with(me)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/2/users/1072250532645998596/tweets"))
        .respond_with(tweets)
        .expect(1)
        .mount(&server)
        .await;
    let mut session = Session::new(
        Url::parse(&server.uri()).unwrap(),
        Credentials::bearer(TOKEN),
    );
    let posts = x(&server).recent_posts(&mut session, 10).await.unwrap();
    assert_eq!(
        posts[0].post.url.as_deref(),
        Some("https://x.com/TweepyDev/status/1577730467436138524")
    );
    assert_eq!(session.credentials.extra["user_id"], "1072250532645998596");
    assert!(session.changed, "the learnt id is kept");
}

#[tokio::test]
async fn recent_posts_read_texts_as_written_with_impressions() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/2/users/{ME}/tweets")))
        .respond_with(json_answer(200, &own("users_tweets_entities.json")))
        .mount(&server)
        .await;
    let posts = x(&server)
        .recent_posts(&mut session(&server), 10)
        .await
        .unwrap();
    assert_eq!(
        posts[0].text,
        "Fish & chips > salad, the menu: https://example.com/menu?day=monday"
    );
    assert_eq!(posts[0].metrics.impressions, Some(5432));
    assert_eq!(posts[0].metrics.likes, Some(234));
    assert_eq!(
        posts[1].text,
        "A long one, cut by X at 280 characters but whole in note_tweet."
    );
    assert_eq!(posts[1].reply_to.as_deref(), Some("1860999999999999999"));
}

#[tokio::test]
async fn an_unknown_outcome_is_found_by_its_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/2/users/{ME}/tweets")))
        .and(query_param("max_results", "50"))
        .respond_with(json_answer(200, &own("users_tweets_entities.json")))
        .expect(2)
        .mount(&server)
        .await;
    let x = x(&server);
    let mut session = session(&server);
    // As the person wrote it: the link whole, `&` and `>` plain, no media link.
    let found = x
        .find_published(
            &mut session,
            "Fish & chips > salad, the menu:\nhttps://example.com/menu?day=monday",
        )
        .await
        .unwrap();
    assert_eq!(found.map(|r| r.id), Some("1861000000000000002".to_owned()));
    let missing = x
        .find_published(&mut session, "Never posted")
        .await
        .unwrap();
    assert_eq!(missing, None);
}

#[tokio::test]
async fn mentions_are_mentions() {
    let server = MockServer::start().await;
    let Some(mentions) = recorded("users_mentions") else {
        return;
    };
    Mock::given(method("GET"))
        .and(path(format!("/2/users/{ME}/mentions")))
        .and(query_param("expansions", "author_id"))
        .respond_with(mentions)
        .expect(1)
        .mount(&server)
        .await;
    let found = x(&server)
        .interactions(&mut session(&server), 10)
        .await
        .unwrap();
    assert_eq!(found.len(), 10);
    assert!(found.iter().all(|i| i.kind == InteractionKind::Mention));
    assert_eq!(found[0].id, "1578516295611748353");
    assert_eq!(
        found[3].text.as_deref(),
        Some("@MercyKnifed @Twitter what the fuck???")
    );
    assert_eq!(
        found[0].post.as_ref().map(|p| p.id.as_str()),
        Some("1578516295611748353")
    );
}

#[tokio::test]
async fn replies_are_told_from_mentions_with_their_authors() {
    let server = MockServer::start().await;
    // A real v2 answer with `referenced_tweets` and the `author_id` expansion (a search
    // answer: same shape as the mentions timeline).
    let Some(answer) = shared("search_recent_with_metrics.json") else {
        return;
    };
    Mock::given(method("GET"))
        .and(path(format!("/2/users/{ME}/mentions")))
        .respond_with(json_answer(200, &answer))
        .mount(&server)
        .await;
    let found = x(&server)
        .interactions(&mut session(&server), 10)
        .await
        .unwrap();
    assert_eq!(found.len(), 4);
    assert!(found.iter().all(|i| i.kind == InteractionKind::Reply));
    assert_eq!(found[0].subject.as_deref(), Some("1275653067283759104"));
    assert_eq!(found[0].author.handle, "@happycamper");
    assert_eq!(found[0].author.remote_id, "63046977");
    // 2020-06-25T06:14:19Z
    assert_eq!(found[0].at_ms, Some(1_593_065_659_000));
    assert_eq!(
        found[0].post.as_ref().and_then(|p| p.url.as_deref()),
        Some("https://x.com/happycamper/status/1276035977375477760")
    );
}

#[tokio::test]
async fn messages_are_the_ones_others_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/2/dm_events"))
        .and(query_param("event_types", "MessageCreate"))
        .and(query_param("expansions", "sender_id"))
        .respond_with(json_answer(200, &own("dm_events.json")))
        .expect(1)
        .mount(&server)
        .await;
    let found = x(&server)
        .messages(&mut session(&server), 20)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, InteractionKind::Message);
    assert_eq!(found[0].author.handle, "@happycamper");
    assert_eq!(
        found[0].text.as_deref(),
        Some("Do you ship to Canada? Q&A please")
    );
    assert_eq!(found[0].subject.as_deref(), Some("63046977-2244994945"));
}

#[tokio::test]
async fn lookup_reads_a_profile_and_its_posts() {
    let server = MockServer::start().await;
    let (Some(user), Some(tweets)) = (
        shared("user_with_public_metrics.json"),
        recorded("users_tweets"),
    ) else {
        return;
    };
    Mock::given(method("GET"))
        .and(path("/2/users/by/username/TwitterDev"))
        .and(query_param(
            "user.fields",
            "public_metrics,profile_image_url",
        ))
        .respond_with(json_answer(200, &user))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/2/users/{ME}/tweets")))
        .respond_with(tweets)
        .expect(1)
        .mount(&server)
        .await;
    let profile = x(&server)
        .lookup(&mut session(&server), "@TwitterDev", 10)
        .await
        .unwrap();
    assert_eq!(profile.account.followers, Some(514_020));
    assert_eq!(profile.recent.len(), 2);
    assert_eq!(
        profile.recent[0].post.url.as_deref(),
        Some("https://x.com/TwitterDev/status/1577730467436138524")
    );
    assert!(
        profile.recent[1]
            .text
            .starts_with("if you see an edited Tweet")
    );
}

#[tokio::test]
async fn lookup_of_nobody_is_x_own_partial_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/2/users/by/username/nobody_here_42"))
        .respond_with(json_answer(200, &own("user_not_found.json")))
        .mount(&server)
        .await;
    let error = x(&server)
        .lookup(&mut session(&server), "nobody_here_42", 10)
        .await
        .unwrap_err();
    assert_eq!(
        error,
        ConnectorError::rejected(
            "Could not find user with username: [nobody_here_42].",
            Some("resource-not-found".into())
        )
    );
}

// Errors.

#[tokio::test]
async fn a_401_without_a_refresh_token_means_reconnecting() {
    let server = MockServer::start().await;
    let (Some(body), Some(meta)) = (
        shared("error_401_unauthorized.json"),
        shared("error_401_unauthorized.meta.json"),
    ) else {
        return;
    };
    let content_type = meta["response"]["headers"]["content-type"]
        .as_str()
        .unwrap();
    Mock::given(method("GET"))
        .and(path("/2/users/me"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_raw(serde_json::to_vec(&body).unwrap(), content_type),
        )
        .expect(1)
        .mount(&server)
        .await;
    let error = x(&server).verify(&mut session(&server)).await.unwrap_err();
    assert_eq!(error, ConnectorError::auth("Unauthorized"));
}

#[tokio::test]
async fn a_429_says_when_the_window_resets() {
    let server = MockServer::start().await;
    let (Some(v2), Some(legacy)) = (
        shared("error_429_too_many_requests.json"),
        shared("docs_error_429_rate_limit.json"),
    ) else {
        return;
    };
    Mock::given(method("POST"))
        .and(path("/2/tweets"))
        .respond_with(
            json_answer(429, &v2)
                .insert_header("x-rate-limit-limit", "200")
                .insert_header("x-rate-limit-remaining", "0")
                .insert_header("x-rate-limit-reset", "1635976418"),
        )
        .mount(&server)
        .await;
    let error = x(&server)
        .publish(&mut session(&server), &text(&["Hi"]))
        .await
        .unwrap_err();
    assert_eq!(
        error.error,
        ConnectorError::RateLimited {
            retry_at_ms: Some(1_635_976_418_000)
        }
    );
    assert!(error.error.is_retryable());

    // The legacy body, and the 24-hour cap outlasting the window.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/2/users/me"))
        .respond_with(
            json_answer(429, &legacy)
                .insert_header("x-rate-limit-reset", "1764000900")
                .insert_header("x-user-limit-24hour-remaining", "0")
                .insert_header("x-user-limit-24hour-reset", "1764086400"),
        )
        .mount(&server)
        .await;
    let error = x(&server).verify(&mut session(&server)).await.unwrap_err();
    assert_eq!(
        error,
        ConnectorError::RateLimited {
            retry_at_ms: Some(1_764_086_400_000)
        }
    );
}

#[tokio::test]
async fn refusals_keep_x_words_and_codes() {
    let server = MockServer::start().await;
    let Some(invalid) = shared("error_400_invalid_request.json") else {
        return;
    };
    Mock::given(method("GET"))
        .and(path("/2/users/me"))
        .respond_with(json_answer(400, &invalid))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/2/tweets"))
        .respond_with(json_answer(403, &own("error_403_client_forbidden.json")))
        .mount(&server)
        .await;
    let x = x(&server);
    let error = x.verify(&mut session(&server)).await.unwrap_err();
    assert_eq!(
        error,
        ConnectorError::rejected(
            "One or more parameters to your request was invalid. The ids query parameter can not be empty",
            Some("invalid-request".into())
        )
    );
    let error = x
        .publish(&mut session(&server), &text(&["Hi"]))
        .await
        .unwrap_err();
    match error.error {
        ConnectorError::Rejected { message, code } => {
            assert!(message.starts_with("When authenticating requests to the Twitter API v2"));
            assert_eq!(code.as_deref(), Some("client-not-enrolled"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn server_failures_and_web_pages_are_told_apart() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/2/tweets"))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({
            "title": "Service Unavailable", "detail": "Service Unavailable",
            "type": "about:blank", "status": 503
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/2/users/me"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
            "text/html",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/2/users/{ME}/tweets")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "<!DOCTYPE html><html><title>Captive portal</title></html>",
            "text/html; charset=utf-8",
        ))
        .mount(&server)
        .await;
    let x = x(&server);
    let error = x
        .publish(&mut session(&server), &text(&["Hi"]))
        .await
        .unwrap_err();
    // X answered, so nothing was posted: worth another try, not "outcome unknown".
    assert_eq!(
        error.error,
        ConnectorError::transient("X answered HTTP 503: Service Unavailable")
    );
    let error = x.verify(&mut session(&server)).await.unwrap_err();
    assert_eq!(error.kind(), "transient");
    let error = x.recent_posts(&mut session(&server), 5).await.unwrap_err();
    assert_eq!(
        error,
        ConnectorError::bad_answer(
            "the server answered a web page (HTTP 200), not the network's API"
        )
    );
}
