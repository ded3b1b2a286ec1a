//! The cookies the UI sets: the session, and the double-submit CSRF token for pages before
//! login. Both HttpOnly and SameSite=Lax; `Secure` when Herald is reached over https.

use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};

use crate::crypto::token::random_token;
use crate::services::{NewSession, SESSION_TTL_MS};
use crate::web::AppState;
use crate::web::auth::SESSION_COOKIE;
use crate::web::csrf::ANON_COOKIE;

fn base(state: &AppState, name: &'static str, value: String) -> Cookie<'static> {
    with_attributes(state, Cookie::new(name, value))
}

fn with_attributes(state: &AppState, mut cookie: Cookie<'static>) -> Cookie<'static> {
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_path("/");
    cookie.set_secure(state.config.behind_tls());
    cookie
}

/// Logs the browser in: the session cookie, and the pre-login CSRF cookie is dropped.
pub fn start_session(state: &AppState, jar: CookieJar, new: &NewSession) -> CookieJar {
    // Parsed rather than built: setting Max-Age directly needs the `time` crate's Duration,
    // which is not a dependency of ours.
    let text = format!(
        "{SESSION_COOKIE}={}; Max-Age={}",
        new.cookie_token,
        SESSION_TTL_MS / 1000
    );
    let cookie = match Cookie::parse(text) {
        Ok(parsed) => with_attributes(state, parsed),
        Err(_) => base(state, SESSION_COOKIE, new.cookie_token.clone()),
    };
    jar.add(cookie).remove(Cookie::build(ANON_COOKIE).path("/"))
}

pub fn end_session(jar: CookieJar) -> CookieJar {
    jar.remove(Cookie::build(SESSION_COOKIE).path("/"))
}

/// The double-submit token for a logged-out form: the cookie's if the browser has one, else a
/// new one, set on the response.
pub fn anon_csrf(state: &AppState, jar: CookieJar) -> (CookieJar, String) {
    if let Some(existing) = jar
        .get(ANON_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
    {
        return (jar, existing);
    }
    let token = random_token();
    (jar.add(base(state, ANON_COOKIE, token.clone())), token)
}
