//! The calendar page's forms over HTTP, on every database: events added, refused and
//! deleted; .ics and CSV uploads as multipart forms (as htmx sends them), with their
//! limits; the CSRF token required; another workspace's events out of reach; viewers
//! refused.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::support::{Reply, TestApp, backends};

struct Page {
    app: TestApp,
    token: String,
    ws: String,
    cookie: String,
    csrf: String,
}

async fn setup(backend: crate::support::Backend) -> Page {
    let app = TestApp::new(backend).await;
    let (_, token) = app.user("owner@example.com").await;
    let ws = app.workspace(&token, "Acme").await;
    let s = app
        .services()
        .login(
            "owner@example.com",
            "correct horse battery",
            "127.0.0.1",
            "t",
        )
        .await
        .unwrap();
    Page {
        app,
        token,
        ws,
        cookie: format!("herald_session={}", s.cookie_token),
        csrf: s.session.csrf_token,
    }
}

impl Page {
    /// A urlencoded form as htmx sends it (CSRF token in the form).
    async fn form(&self, path: &str, body: &str) -> Reply {
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::COOKIE, &self.cookie)
            .header("hx-request", "true")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("{body}&csrf_token={}", self.csrf)))
            .unwrap();
        self.app.send(request).await
    }

    /// A multipart upload as htmx sends it (CSRF token in the header); `csrf` false leaves
    /// the token out.
    async fn upload(&self, path: &str, file: &[u8], kind: &str, csrf: bool) -> Reply {
        let boundary = "herald-test-boundary";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"back\"\r\n\r\nview=month&date=2026-03-01\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::COOKIE, &self.cookie)
            .header("hx-request", "true")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            );
        if csrf {
            request = request.header("x-csrf-token", &self.csrf);
        }
        self.app.send(request.body(Body::from(body)).unwrap()).await
    }

    async fn events(&self) -> Vec<serde_json::Value> {
        let path = format!(
            "/api/v1/workspaces/{}/calendar-events?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z",
            self.ws
        );
        self.app.get(&path, &self.token).await.json()["items"]
            .as_array()
            .unwrap()
            .clone()
    }
}

const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\n\
UID:fair@example.com\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260312\r\n\
SUMMARY:Coffee fair\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

#[tokio::test]
async fn events_are_added_refused_imported_and_deleted_from_the_page() {
    for backend in backends() {
        let p = setup(backend).await;
        let add = format!("/w/{}/calendar/events", p.ws);
        let back = "back=view%3Dmonth%26date%3D2026-03-01";

        let done = p
            .form(
                &add,
                &format!("title=F%C3%AAte+du+caf%C3%A9+%E2%98%95&start=2026-03-20&end=2026-03-22&kind=holiday&{back}"),
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text());
        assert!(done.text().contains("Added the holiday “Fête du café ☕”"));
        // Drawn on its three days, and listed.
        assert_eq!(
            done.text()
                .matches("class=\"cal-event cal-holiday\"")
                .count(),
            3
        );
        let events = p.events().await;
        assert_eq!(events.len(), 1);
        assert_eq!(events[0]["kind"], "holiday");
        assert_eq!(events[0]["all_day"], true);

        // Bad input: each field named, what was typed kept, nothing stored.
        let long = "x".repeat(201);
        for (body, says) in [
            ("title=&start=2026-03-20&kind=event", "title"),
            (&*format!("title={long}&start=2026-03-20"), "title"),
            ("title=Fair&start=20th+March&kind=event", "is not a date"),
            (
                "title=Fair&start=2026-03-20&end=2026-03-01",
                "end is before the start",
            ),
            (
                "title=Fair&start=2026-03-20&kind=party",
                "kind must be event or holiday",
            ),
        ] {
            let refused = p.form(&add, &format!("{body}&{back}")).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(refused.text().contains("Not added: "), "{body}");
            assert!(refused.text().contains(says), "{body}: {}", refused.text());
        }
        let refused = p
            .form(&add, "title=Kept+%3Cb%3Ehere%3C%2Fb%3E&start=nonsense")
            .await;
        assert!(
            refused.text().contains("value=\"Kept &#60;b&#62;here"),
            "kept, escaped"
        );
        assert_eq!(p.events().await.len(), 1);

        // Without the CSRF token: refused, nothing stored.
        let request = Request::builder()
            .method(Method::POST)
            .uri(&add)
            .header(header::COOKIE, &p.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("title=Forged&start=2026-03-20"))
            .unwrap();
        assert_eq!(p.app.send(request).await.status, StatusCode::FORBIDDEN);
        let forged = p
            .upload(
                &format!("/w/{}/calendar/events/import", p.ws),
                ICS.as_bytes(),
                "event",
                false,
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(p.events().await.len(), 1);

        // .ics: imported; not one, refused with the problem; too large, refused.
        let import = format!("/w/{}/calendar/events/import", p.ws);
        let done = p.upload(&import, ICS.as_bytes(), "event", true).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text());
        assert!(done.text().contains("Imported 1 event from the file."));
        let broken = p
            .upload(&import, b"BEGIN:VCALENDAR\r\nthis line\r\n", "event", true)
            .await;
        assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            broken.text().contains("Nothing imported: line 2:"),
            "{}",
            broken.text()
        );
        let png = p
            .upload(&import, b"\x89PNG\r\n\x1a\n\0\0", "event", true)
            .await;
        assert!(png.text().contains("not UTF-8 text"), "{}", png.text());
        let huge = vec![b'A'; 5 * 1024 * 1024 + 1];
        let huge = p.upload(&import, &huge, "event", true).await;
        assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(huge.text().contains("larger than 5 MB"), "{}", huge.text());
        let empty = p.upload(&import, b"", "event", true).await;
        assert!(empty.text().contains("choose a file"), "{}", empty.text());
        assert_eq!(p.events().await.len(), 2);

        // Delete: another workspace's event through this one is not found and stays.
        let (_, other_token) = p.app.user("other@example.com").await;
        let other_ws = p.app.workspace(&other_token, "Rival").await;
        let theirs = p
            .app
            .post(
                &format!("/api/v1/workspaces/{other_ws}/calendar-events"),
                &other_token,
                json!({"title": "Rival launch", "start": "2026-03-20", "all_day": true}),
            )
            .await
            .json();
        let theirs = theirs["id"].as_str().unwrap();
        let gone = p
            .form(
                &format!("/w/{}/calendar/events/{theirs}/delete", p.ws),
                back,
            )
            .await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
        let id = p.events().await[0]["id"].as_str().unwrap().to_owned();
        let done = p
            .form(&format!("/w/{}/calendar/events/{id}/delete", p.ws), back)
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text());
        assert!(done.text().contains("Event deleted."));
        assert_eq!(p.events().await.len(), 1);

        // A viewer sees the page without the forms and may not add.
        let (_, viewer) = p.app.user("viewer@example.com").await;
        p.app.join(&p.token, &p.ws, &viewer, "viewer").await;
        let v = p
            .app
            .services()
            .login(
                "viewer@example.com",
                "correct horse battery",
                "127.0.0.1",
                "t",
            )
            .await
            .unwrap();
        let as_viewer = Page {
            cookie: format!("herald_session={}", v.cookie_token),
            csrf: v.session.csrf_token,
            ..p
        };
        let refused = as_viewer.form(&add, "title=Viewer&start=2026-03-20").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let request = Request::get(format!("/w/{}/calendar?date=2026-03-01", as_viewer.ws))
            .header(header::COOKIE, &as_viewer.cookie)
            .body(Body::empty())
            .unwrap();
        let page = as_viewer.app.send(request).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("Fête du café"), "viewers see events");
        assert!(!page.text().contains("Add an event or holiday"));
        assert!(!page.text().contains("Import posts from a CSV file"));
    }
}

#[tokio::test]
async fn a_csv_upload_shows_its_problems_or_links_to_its_posts() {
    for backend in backends() {
        let p = setup(backend).await;
        let channel = crate::support::test_app::channel(&p.app, &p.token, &p.ws, "mastodon").await;
        let path = format!("/w/{}/calendar/import/posts", p.ws);
        // The channel record has no credentials: every row naming it is refused.
        let csv = format!(
            "text,channels,time\nHello,{channel},2026-03-10 09:00\n<script>x</script>,@nobody,2026-03-11 09:00\n"
        );
        let refused = p.upload(&path, csv.as_bytes(), "", true).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let text = refused.text();
        assert!(
            text.contains("Nothing imported: 2 problems to fix"),
            "{text}"
        );
        assert!(
            text.contains("is not connected; reconnect it first"),
            "{text}"
        );
        assert!(
            text.contains("&#34;@nobody&#34; is not a channel of this workspace"),
            "{text}"
        );
        assert!(
            text.contains("<td>2</td><td>3</td><td>channels</td>"),
            "{text}"
        );
        assert!(!text.contains("<script>x"), "escaped");
        let latin1 = p
            .upload(&path, b"text,channels,time\ncaf\xe9,@a,x\n", "", true)
            .await;
        assert!(latin1.text().contains("not UTF-8"), "{}", latin1.text());
        let huge = vec![b'a'; herald::services::imports::MAX_CSV_BYTES + 1];
        let huge = p.upload(&path, &huge, "", true).await;
        assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(huge.text().contains("larger than 32 MB"), "{}", huge.text());
        let posts = p
            .app
            .get(&format!("/api/v1/workspaces/{}/posts", p.ws), &p.token)
            .await
            .json();
        assert_eq!(
            posts["items"].as_array().unwrap().len(),
            0,
            "nothing created"
        );
    }
}

#[tokio::test]
async fn a_crowded_day_of_the_month_shows_eight_posts_and_links_to_the_rest() {
    for backend in backends() {
        let fake =
            crate::support::fake_mastodon::FakeMastodon::start(std::time::Duration::ZERO).await;
        let app = TestApp::with_config(backend, |c| c.allow_private_hosts = true).await;
        let (_, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;
        let channel = app
            .post(
                &format!("/api/v1/workspaces/{ws}/channels"),
                &token,
                json!({"network": "mastodon", "instance_url": fake.url(), "access_token": "token-alice"}),
            )
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut csv = String::from("text,channels,time\n");
        for i in 0..11 {
            csv.push_str(&format!("Post {i},{channel},2026-03-10 {:02}:00\n", 8 + i));
        }
        csv.push_str(&format!("Alone,{channel},2026-03-12 09:00\n"));
        let request = Request::post(format!("/api/v1/workspaces/{ws}/imports/posts.csv"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(csv))
            .unwrap();
        assert_eq!(app.send(request).await.status, StatusCode::CREATED);
        let s = app
            .services()
            .login(
                "owner@example.com",
                "correct horse battery",
                "127.0.0.1",
                "t",
            )
            .await
            .unwrap();
        let get = |view: &'static str| {
            Request::get(format!("/w/{ws}/calendar?view={view}&date=2026-03-10"))
                .header(header::COOKIE, format!("herald_session={}", s.cookie_token))
                .body(Body::empty())
                .unwrap()
        };
        let month = app.send(get("month")).await.text();
        assert_eq!(
            month.matches("<li class=\"cal-item ").count(),
            9,
            "8 + the other day's"
        );
        assert!(month.contains(">+3 more<"), "the rest counted");
        assert!(
            month.contains("Post 7") && !month.contains("Post 8"),
            "the day's first eight"
        );
        assert!(month.contains("12 posts"), "the mix counts them all");
        let week = app.send(get("week")).await.text();
        assert_eq!(
            week.matches("<li class=\"cal-item ").count(),
            12,
            "the week shows all"
        );
    }
}
