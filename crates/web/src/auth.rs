//! Sign-in: argon2id password hashes, random session tokens kept only as their SHA-256 in
//! the store, HttpOnly SameSite=Strict cookies (Secure whenever the browser came over HTTPS),
//! a CSRF token per session, and failed attempts slowed down and then refused for a while.

use crate::fail::Fail;
use crate::state::Shared;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use nianbao_corpus::review::{Role, User};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::time::{Duration, Instant};

pub const COOKIE: &str = "nianbao_session";
/// The pre-sign-in CSRF cookie of the sign-in form.
pub const LOGIN_COOKIE: &str = "nianbao_login";
pub const SESSION_SECS: i64 = 12 * 3600;
/// Failed attempts per source and name within [`WINDOW`] before sign-in is refused.
pub const MAX_FAILURES: usize = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Each failed attempt is answered this much later (slows guessing without locking anyone out).
pub const FAILURE_DELAY: Duration = Duration::from_millis(400);

/// Why a password cannot be set.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("密码至少 10 个字符 (a password needs at least 10 characters)")]
    TooShort,
    #[error("无法计算密码摘要 (cannot hash the password): {0}")]
    Hash(String),
}

pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Rules for a new password.
pub fn check_password(password: &str) -> Result<(), PasswordError> {
    if password.chars().count() < 10 {
        return Err(PasswordError::TooShort);
    }
    Ok(())
}

/// 32 random bytes as hex.
pub fn token() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

pub fn token_hash(t: &str) -> String {
    Sha256::digest(t.as_bytes())
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// Equal strings compared in time independent of where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A session or form cookie; `secure` when the browser came over HTTPS (see [`https`]).
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict{secure}; Max-Age={max_age}")
}

/// Whether the browser reached the application over HTTPS: `serve` itself speaks TLS, or a
/// reverse proxy in front says so (`X-Forwarded-Proto: https`). Only then are cookies
/// Secure: a browser keeps no Secure cookie set over plain HTTP, so sign-in on a LAN address
/// served over HTTP would fail. (A client that claims `https` falsely gets a cookie its own
/// browser will not send back over HTTP; it harms no one else.)
pub fn https(state: &crate::state::State, headers: &axum::http::HeaderMap) -> bool {
    state.tls
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// The signed-in user of a request.
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub token_hash: String,
    /// Signed in by an API token (`Authorization: Bearer …`): no cookie a browser could send
    /// on another site's behalf, so no CSRF token is asked for.
    pub bearer: bool,
}

impl Session {
    pub fn require(&self, role: Role) -> Result<(), Fail> {
        if self.user.role >= role {
            Ok(())
        } else {
            Err(Fail::forbidden())
        }
    }

    /// Composing and uploading reports: reviewers, and agencies for themselves.
    pub fn require_filer(&self) -> Result<(), Fail> {
        match self.user.role {
            Role::Agency => Ok(()),
            _ => self.require(Role::Reviewer),
        }
    }

    /// The agency an agency user files for as `name` says (one of its own; its first when
    /// `name` is empty); None for other roles, who file for whatever agency they name.
    pub fn filing_for(&self, name: &str) -> Result<Option<(i64, String)>, Fail> {
        if self.user.role != Role::Agency {
            return Ok(None);
        }
        let name = name.trim();
        self.user
            .agencies
            .iter()
            .find(|(_, n)| name.is_empty() || n == name)
            .cloned()
            .map(Some)
            .ok_or_else(|| {
                Fail::new(
                    StatusCode::FORBIDDEN,
                    format!(
                        "只能为本单位报送（{}）(an agency files only its own reports)",
                        self.agencies_zh()
                    ),
                )
            })
    }

    /// The agencies an agency user files for, as one phrase.
    pub fn agencies_zh(&self) -> String {
        let names: Vec<&str> = self.user.agencies.iter().map(|(_, n)| n.as_str()).collect();
        names.join("、")
    }

    pub fn check_csrf(&self, given: &str) -> Result<(), Fail> {
        if self.bearer || same(given, &self.csrf) {
            Ok(())
        } else {
            Err(Fail::csrf())
        }
    }
}

impl FromRequestParts<Shared> for Session {
    type Rejection = Fail;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Session, Fail> {
        let who = parts.extensions.get::<crate::log::Who>().cloned();
        let session = Self::find(parts, state).await?;
        if session.user.role == Role::Agency {
            crate::filing::scope(parts, state, &session).await?;
        }
        if let Some(w) = who {
            w.set(&session.user.name);
        }
        Ok(session)
    }
}

impl Session {
    /// The session of a request: its API token's (the API only) or its cookie's.
    async fn find(parts: &mut Parts, state: &Shared) -> Result<Session, Fail> {
        let api = parts.uri.path().starts_with("/api/");
        let mark = |f: Fail| if api { f.api() } else { f };
        // Scripts: an API token, for the API only.
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_string());
        if let (true, Some(t)) = (api, bearer) {
            let hash = token_hash(&t);
            let h = hash.clone();
            let user = state.with(move |s| s.token_user(&h)).await.map_err(mark)?;
            return match user {
                Some(user) => Ok(Session {
                    user,
                    csrf: String::new(),
                    token_hash: hash,
                    bearer: true,
                }),
                None => Err(mark(Fail::unauthorized())),
            };
        }
        let Some(t) = cookie(&parts.headers, COOKIE).filter(|t| t.len() == 64) else {
            return Err(mark(Fail::unauthorized()));
        };
        let hash = token_hash(&t);
        let h = hash.clone();
        let found = state.with(move |s| s.session(&h)).await.map_err(mark)?;
        match found {
            Some((user, csrf)) => Ok(Session {
                user,
                csrf,
                token_hash: hash,
                bearer: false,
            }),
            None => Err(mark(Fail::unauthorized())),
        }
    }
}

/// Failed sign-ins are counted per (source address, name): guesses from one address at
/// one name are refused after [`MAX_FAILURES`] in [`WINDOW`], so no one elsewhere can lock
/// a user out. Guesses at a name from everywhere together only slow its answers down.
fn key(source: IpAddr, name: &str) -> String {
    format!("{source}|{}", name.to_lowercase())
}

fn any_source(name: &str) -> String {
    format!("*|{}", name.to_lowercase())
}

/// The client's address: the peer's, or — when the peer is a trusted reverse proxy — the
/// nearest address the proxies name that is not itself a trusted proxy (`Forwarded: for=`,
/// else `X-Forwarded-For`, read from the right: what a client writes there itself is the
/// leftmost part and never trusted past a proxy of ours).
pub fn client(peer: IpAddr, headers: &axum::http::HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_string())
            .collect()
    };
    // `Forwarded: for=192.0.2.60;proto=http, for="[2001:db8::1]:4711"`.
    let forwarded: Vec<String> = values("forwarded")
        .iter()
        .filter_map(|part| {
            part.split(';').find_map(|kv| {
                let (k, v) = kv.trim().split_once('=')?;
                k.eq_ignore_ascii_case("for")
                    .then(|| v.trim_matches('"').to_string())
            })
        })
        .collect();
    let chain = if forwarded.is_empty() {
        values("x-forwarded-for")
    } else {
        forwarded
    };
    let parse = |s: &str| -> Option<IpAddr> {
        let s = s.trim();
        if let Ok(ip) = s.parse() {
            return Some(ip);
        }
        // `[v6]:port`, `v4:port`.
        let s = s
            .strip_prefix('[')
            .map_or(s, |r| r.split(']').next().unwrap_or(r));
        s.parse()
            .ok()
            .or_else(|| s.rsplit_once(':').and_then(|(h, _)| h.parse().ok()))
    };
    for hop in chain.iter().rev() {
        match parse(hop) {
            Some(ip) if trusted.contains(&ip) => continue,
            Some(ip) => return ip,
            // A hop nobody can read (`unknown`, garbage): the proxy's word ends here.
            None => break,
        }
    }
    peer
}

/// Entries kept at most; beyond, the stale ones are dropped (names typed by an attacker
/// must not fill memory).
const MAX_TRACKED: usize = 10_000;

/// Whether `name` may try to sign in from `source` now; when not, the seconds to wait.
pub fn may_try(state: &Shared, source: IpAddr, name: &str) -> Result<(), u64> {
    let mut map = state.attempts.lock().map_err(|_| 60u64)?;
    let Some(list) = map.get_mut(&key(source, name)) else {
        return Ok(());
    };
    list.retain(|t| t.elapsed() < WINDOW);
    if list.len() >= MAX_FAILURES {
        let wait = WINDOW.saturating_sub(list[0].elapsed()).as_secs().max(1);
        return Err(wait);
    }
    Ok(())
}

/// Records a failed attempt; returns how late to answer it: [`FAILURE_DELAY`], longer
/// (up to 12 times) while a name is being guessed at from many places.
pub fn failed(state: &Shared, source: IpAddr, name: &str) -> Duration {
    let Ok(mut map) = state.attempts.lock() else {
        return FAILURE_DELAY;
    };
    if map.len() >= MAX_TRACKED {
        map.retain(|_, l| l.last().is_some_and(|t| t.elapsed() < WINDOW));
    }
    let now = Instant::now();
    map.entry(key(source, name)).or_default().push(now);
    let all = map.entry(any_source(name)).or_default();
    all.retain(|t| t.elapsed() < WINDOW);
    all.push(now);
    let factor = (all.len() / MAX_FAILURES).clamp(1, 12) as u32;
    FAILURE_DELAY * factor
}

/// The addresses refused for `name` now (too many failed sign-ins), and the seconds until
/// the last refusal lifts by itself: for the administrator's page.
pub fn locks(state: &Shared, name: &str) -> (usize, u64) {
    let suffix = format!("|{}", name.to_lowercase());
    let Ok(map) = state.attempts.lock() else {
        return (0, 0);
    };
    let mut n = 0;
    let mut wait = 0;
    for (k, list) in map.iter() {
        if k.starts_with("*|") || !k.ends_with(&suffix) {
            continue;
        }
        let recent: Vec<&Instant> = list.iter().filter(|t| t.elapsed() < WINDOW).collect();
        if recent.len() >= MAX_FAILURES {
            n += 1;
            wait = wait.max(WINDOW.saturating_sub(recent[0].elapsed()).as_secs().max(1));
        }
    }
    (n, wait)
}

/// Lifts every refusal of `name` (an administrator's unlock), from whichever address.
pub fn unlock(state: &Shared, name: &str) {
    let suffix = format!("|{}", name.to_lowercase());
    if let Ok(mut map) = state.attempts.lock() {
        map.retain(|k, _| !k.ends_with(&suffix));
    }
}

pub fn succeeded(state: &Shared, source: IpAddr, name: &str) {
    if let Ok(mut map) = state.attempts.lock() {
        map.remove(&key(source, name));
    }
}

pub fn too_many(wait: u64) -> Fail {
    let mut f = Fail::new(
        StatusCode::TOO_MANY_REQUESTS,
        format!(
            "登录失败次数过多，请 {} 分钟后再试 (too many failed sign-ins; try again later)",
            wait.div_ceil(60)
        ),
    );
    f.retry_after = Some(wait);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_is_the_nearest_address_past_the_trusted_proxies() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let with = |pairs: &[(&str, &str)]| {
            let mut h = axum::http::HeaderMap::new();
            for (k, v) in pairs {
                h.append(
                    axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                    v.parse().unwrap(),
                );
            }
            h
        };
        let proxies = [ip("127.0.0.1"), ip("10.0.0.2")];
        let xff = with(&[("X-Forwarded-For", "1.2.3.4, 198.51.100.7, 10.0.0.2")]);
        // From a trusted proxy: past the proxies, right to left; the forged 1.2.3.4 unused.
        assert_eq!(client(ip("127.0.0.1"), &xff, &proxies), ip("198.51.100.7"));
        // From anyone else the header is theirs to write: ignored.
        assert_eq!(client(ip("203.0.113.9"), &xff, &proxies), ip("203.0.113.9"));
        // Forwarded (RFC 7239) wins over X-Forwarded-For; quoted, bracketed, with ports.
        let fwd = with(&[
            (
                "Forwarded",
                "for=\"[2001:db8::1]:4711\";proto=https, for=10.0.0.2",
            ),
            ("X-Forwarded-For", "198.51.100.7"),
        ]);
        assert_eq!(client(ip("127.0.0.1"), &fwd, &proxies), ip("2001:db8::1"));
        let port = with(&[("X-Forwarded-For", "192.0.2.60:5123")]);
        assert_eq!(client(ip("127.0.0.1"), &port, &proxies), ip("192.0.2.60"));
        // Unreadable or absent: the proxy itself.
        let junk = with(&[("X-Forwarded-For", "unknown")]);
        assert_eq!(client(ip("127.0.0.1"), &junk, &proxies), ip("127.0.0.1"));
        assert_eq!(
            client(ip("127.0.0.1"), &with(&[]), &proxies),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterx", &h));
        assert!(!verify_password("x", "not a hash"));
        assert_ne!(h, hash_password("correct horse battery").unwrap(), "salted");
    }

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let (a, b) = (token(), token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(same(&a, &a.clone()));
        assert!(!same(&a, &b));
        assert!(!same(&a, &a[..63]));
    }
}
