//! The ceiling for the HTTP benchmark: a bare axum handler answering a small JSON body, with
//! no authentication, database or middleware. `cargo run --release --example bare_axum -- ADDR`

#![forbid(unsafe_code)]

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8099".into());
    let app = axum::Router::new().route(
        "/api/v1/workspaces",
        axum::routing::get(|| async { axum::Json(serde_json::json!({"items": [], "next": null})) }),
    );
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await
}
