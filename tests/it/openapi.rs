//! The OpenAPI document is part of the surface other tools rely on: a change to it shows up
//! as a snapshot diff in review.

use axum::http::{Method, StatusCode};

use crate::support::{Backend, TestApp};

#[tokio::test]
async fn openapi_document_matches_the_snapshot() {
    let app = TestApp::new(Backend::Sqlite).await;
    let reply = app
        .request(Method::GET, "/api/openapi.json", None, None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    insta::assert_json_snapshot!("openapi", reply.json());
}
