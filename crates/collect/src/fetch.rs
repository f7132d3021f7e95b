//! Fetching as a good citizen of government servers: robots.txt kept, one request per host
//! per interval (a reservation per host, so threads never burst), timeouts, retries with
//! backoff on 5xx and broken connections, a size limit, conditional requests.

use crate::robots::Robots;
use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use url::Url;

/// How politely to fetch.
#[derive(Clone, Debug)]
pub struct Politeness {
    /// Names the tool and a contact, e.g. `nianbao/0.1 (+mailto:gkb@example.gov.cn)`.
    pub user_agent: String,
    /// Least time between two requests to one host.
    pub interval: Duration,
    pub timeout: Duration,
    /// Tries after the first on a 5xx or a broken connection.
    pub retries: u32,
    /// First wait before a retry; doubled each time.
    pub backoff: Duration,
    /// Largest response body kept; a larger one is refused.
    pub max_bytes: u64,
    /// Redirects followed per request.
    pub redirects: u32,
    /// The only hosts that may be fetched (a collection started from the web: the hosts of
    /// its site list); empty for any.
    pub hosts: Vec<String>,
}

impl Default for Politeness {
    fn default() -> Self {
        Politeness {
            user_agent: format!(
                "nianbao/{} (+https://github.com/nianbao; government information disclosure report collector)",
                env!("CARGO_PKG_VERSION")
            ),
            interval: Duration::from_secs(1),
            timeout: Duration::from_secs(30),
            retries: 3,
            backoff: Duration::from_secs(2),
            max_bytes: 64 << 20,
            redirects: 5,
            hosts: Vec::new(),
        }
    }
}

/// What a server sent.
#[derive(Clone, Debug)]
pub struct Got {
    /// Where the body came from after redirects.
    pub url: Url,
    pub content_type: String,
    pub body: Vec<u8>,
    pub validators: Validators,
}

/// What makes a request conditional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

#[derive(Clone, Debug)]
pub enum Fetched {
    Fresh(Got),
    /// 304: what was kept from the last time holds (the URL after redirects).
    NotModified(Url),
}

/// Why a URL was not fetched; the messages are for people (Chinese, English alongside).
#[derive(Clone, Debug, PartialEq)]
pub enum FetchError {
    Robots(String),
    Status(u16, String),
    Transport(String),
    TooLarge(String),
    BadUrl(String),
    /// A host outside the site list.
    Host(String),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Robots(u) => {
                write!(f, "robots.txt 不允许抓取 (disallowed by robots.txt): {u}")
            }
            FetchError::Status(c, u) => write!(f, "服务器返回 HTTP {c} (HTTP error): {u}"),
            FetchError::Transport(e) => write!(f, "连接失败 (connection failed): {e}"),
            FetchError::TooLarge(u) => write!(f, "文件过大 (response too large): {u}"),
            FetchError::BadUrl(u) => write!(f, "网址无效 (bad URL): {u}"),
            FetchError::Host(u) => write!(
                f,
                "不在站点清单所列网站内，未抓取 (host not in the site list; not fetched): {u}"
            ),
        }
    }
}

/// One request's answer: a response, or where it points.
enum Sent {
    Done(Fetched),
    Redirect(Url),
}

pub struct Fetcher {
    agent: ureq::Agent,
    pub politeness: Politeness,
    /// Per host, when its next request may start.
    turns: Mutex<HashMap<String, Instant>>,
    robots: Mutex<HashMap<String, Arc<Robots>>>,
    /// Requests sent (retries and robots.txt included).
    pub requests: std::sync::atomic::AtomicUsize,
}

fn host_key(u: &Url) -> String {
    format!(
        "{}://{}:{}",
        u.scheme(),
        u.host_str().unwrap_or(""),
        u.port_or_known_default().unwrap_or(0)
    )
}

impl Fetcher {
    pub fn new(politeness: Politeness) -> Fetcher {
        let agent = ureq::AgentBuilder::new()
            .timeout(politeness.timeout)
            // Redirects are followed here, each in its host's turn and under its robots.txt.
            .redirects(0)
            .user_agent(&politeness.user_agent)
            .build();
        Fetcher {
            agent,
            politeness,
            turns: Mutex::new(HashMap::new()),
            robots: Mutex::new(HashMap::new()),
            requests: Default::default(),
        }
    }

    /// Waits for this host's next turn and books the one after it.
    fn wait_turn(&self, u: &Url) {
        let at = {
            let mut turns = self.turns.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let slot = turns.entry(host_key(u)).or_insert(now);
            let at = (*slot).max(now);
            *slot = at + self.politeness.interval;
            at
        };
        let now = Instant::now();
        if at > now {
            std::thread::sleep(at - now);
        }
    }

    /// The host's robots.txt rules, fetched once.
    fn robots(&self, u: &Url) -> Arc<Robots> {
        let key = host_key(u);
        if let Some(r) = self
            .robots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return r.clone();
        }
        let rules = u
            .join("/robots.txt")
            .ok()
            .and_then(|r| match self.send(&r, &Validators::default()) {
                Ok(Sent::Done(Fetched::Fresh(g)))
                    if g.content_type.starts_with("text/plain") || g.content_type.is_empty() =>
                {
                    Some(String::from_utf8_lossy(&g.body).into_owned())
                }
                _ => None,
            })
            .map(|t| Robots::parse(&t, &self.politeness.user_agent))
            .unwrap_or_default();
        let rules = Arc::new(rules);
        self.robots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, rules.clone());
        rules
    }

    /// Fetches `u` (conditionally when `since` holds validators), robots.txt allowing, and
    /// follows its redirects.
    pub fn get(&self, u: &Url, since: &Validators) -> Result<Fetched, FetchError> {
        let mut at = u.clone();
        for _ in 0..=self.politeness.redirects {
            if !matches!(at.scheme(), "http" | "https") {
                return Err(FetchError::BadUrl(at.to_string()));
            }
            let hosts = &self.politeness.hosts;
            if !hosts.is_empty() && !at.host_str().is_some_and(|h| hosts.iter().any(|x| x == h)) {
                return Err(FetchError::Host(at.to_string()));
            }
            let path = match at.query() {
                Some(q) => format!("{}?{q}", at.path()),
                None => at.path().to_string(),
            };
            if !self.robots(&at).allows(&path) {
                return Err(FetchError::Robots(at.to_string()));
            }
            match self.send(&at, since)? {
                Sent::Done(f) => return Ok(f),
                Sent::Redirect(to) => at = to,
            }
        }
        Err(FetchError::Transport(format!(
            "{u}: 重定向过多 (too many redirects)"
        )))
    }

    fn send(&self, u: &Url, since: &Validators) -> Result<Sent, FetchError> {
        let mut wait = self.politeness.backoff;
        let mut attempt = 0;
        loop {
            self.wait_turn(u);
            self.requests
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let mut req = self.agent.request_url("GET", u);
            if let Some(e) = &since.etag {
                req = req.set("If-None-Match", e);
            }
            if let Some(m) = &since.last_modified {
                req = req.set("If-Modified-Since", m);
            }
            let retry = match req.call() {
                Ok(resp) if resp.status() == 304 => {
                    return Ok(Sent::Done(Fetched::NotModified(u.clone())))
                }
                Ok(resp) if (300..400).contains(&resp.status()) => {
                    let to = resp
                        .header("Location")
                        .and_then(|l| u.join(l).ok())
                        .ok_or_else(|| FetchError::Status(resp.status(), u.to_string()))?;
                    return Ok(Sent::Redirect(to));
                }
                Ok(resp) => return self.body(resp).map(Sent::Done),
                Err(ureq::Error::Status(304, _)) => {
                    return Ok(Sent::Done(Fetched::NotModified(u.clone())))
                }
                Err(ureq::Error::Status(code, _)) if code >= 500 || code == 429 => {
                    FetchError::Status(code, u.to_string())
                }
                Err(ureq::Error::Status(code, _)) => {
                    return Err(FetchError::Status(code, u.to_string()))
                }
                Err(ureq::Error::Transport(t)) => FetchError::Transport(format!("{u}: {t}")),
            };
            if attempt >= self.politeness.retries {
                return Err(retry);
            }
            attempt += 1;
            std::thread::sleep(wait);
            wait *= 2;
        }
    }

    fn body(&self, resp: ureq::Response) -> Result<Fetched, FetchError> {
        let url = Url::parse(resp.get_url()).map_err(|e| FetchError::BadUrl(e.to_string()))?;
        let content_type = resp
            .header("Content-Type")
            .unwrap_or("")
            .to_ascii_lowercase();
        let validators = Validators {
            etag: resp.header("ETag").map(str::to_string),
            last_modified: resp.header("Last-Modified").map(str::to_string),
        };
        let limit = self.politeness.max_bytes;
        if resp
            .header("Content-Length")
            .and_then(|l| l.parse::<u64>().ok())
            .is_some_and(|l| l > limit)
        {
            return Err(FetchError::TooLarge(url.to_string()));
        }
        let mut body = Vec::new();
        resp.into_reader()
            .take(limit + 1)
            .read_to_end(&mut body)
            .map_err(|e| FetchError::Transport(format!("{url}: {e}")))?;
        if body.len() as u64 > limit {
            return Err(FetchError::TooLarge(url.to_string()));
        }
        Ok(Fetched::Fresh(Got {
            url,
            content_type,
            body,
            validators,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_outside_the_list_are_never_asked() {
        let f = Fetcher::new(Politeness {
            hosts: vec!["www.example.gov.cn".into()],
            ..Politeness::default()
        });
        let other = Url::parse("http://127.0.0.1:9/robots-would-be-here").unwrap();
        assert!(matches!(
            f.get(&other, &Validators::default()),
            Err(FetchError::Host(_))
        ));
        assert_eq!(f.requests.load(std::sync::atomic::Ordering::Relaxed), 0);
        let ftp = Url::parse("ftp://www.example.gov.cn/a.pdf").unwrap();
        assert!(matches!(
            f.get(&ftp, &Validators::default()),
            Err(FetchError::BadUrl(_))
        ));
    }
}
