//! A government portal on loopback for the collector's tests and bench: a small HTTP/1.1
//! server (one request per connection) over a table of resources, with ETags and 304s,
//! slow responses, failures before success, redirects, and a log of every request.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the portal serves at one path (with its query).
#[derive(Clone, Debug, Default)]
pub struct Resource {
    pub body: Vec<u8>,
    pub content_type: String,
    /// Waited before answering.
    pub delay: Duration,
    /// Answered 500 this many times before the body.
    pub fail_first: u32,
    /// Answered 301 to this path.
    pub redirect: Option<String>,
    /// Another status than 200 (404, 500 for good).
    pub status: Option<u16>,
    /// Sent as Last-Modified instead of an ETag; `If-Modified-Since` with it gets a 304.
    pub last_modified: Option<String>,
}

impl Resource {
    pub fn html(body: impl Into<Vec<u8>>, content_type: &str) -> Resource {
        Resource {
            body: body.into(),
            content_type: content_type.into(),
            ..Resource::default()
        }
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Hit {
    pub path: String,
    pub status: u16,
    /// When the connection was accepted.
    pub at: Instant,
    pub user_agent: String,
}

pub struct Portal {
    pub base: String,
    /// Every host's base URL (one unless started with [`Portal::start_hosts`]).
    pub bases: Vec<String>,
    log: Arc<Mutex<Vec<Hit>>>,
    stop: Arc<AtomicBool>,
}

impl Portal {
    /// Serves the routes `make` gives for the portal's base URL (`http://127.0.0.1:PORT`).
    pub fn start(make: impl FnOnce(&str) -> HashMap<String, Resource>) -> Portal {
        Portal::start_hosts(1, |bases| make(&bases[0]))
    }

    /// The same routes on `hosts` loopback addresses (127.0.0.2, 127.0.0.3, …; one listener
    /// each), as many sites on their own servers: `make` gets every base URL. `base` is the
    /// first.
    pub fn start_hosts(
        hosts: usize,
        make: impl FnOnce(&[String]) -> HashMap<String, Resource>,
    ) -> Portal {
        let listeners: Vec<TcpListener> = (0..hosts.max(1))
            .map(|i| {
                let addr = if hosts <= 1 {
                    "127.0.0.1:0".to_string()
                } else {
                    let n = i + 2;
                    format!("127.0.{}.{}:0", n / 250, n % 250 + 1)
                };
                TcpListener::bind(&addr).expect("a loopback address")
            })
            .collect();
        let bases: Vec<String> = listeners
            .iter()
            .map(|l| format!("http://{}", l.local_addr().expect("an address")))
            .collect();
        let routes = make(&bases);
        let base = bases[0].clone();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let failures: Arc<HashMap<String, AtomicU32>> = Arc::new(
            routes
                .iter()
                .map(|(k, r)| (k.clone(), AtomicU32::new(r.fail_first)))
                .collect(),
        );
        let routes = Arc::new(routes);
        for listener in listeners {
            let (l, s) = (log.clone(), stop.clone());
            let (routes, failures) = (routes.clone(), failures.clone());
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if s.load(Ordering::Relaxed) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let at = Instant::now();
                    let (routes, log, failures) = (routes.clone(), l.clone(), failures.clone());
                    std::thread::spawn(move || serve(conn, at, &routes, &failures, &log));
                }
            });
        }
        Portal {
            base,
            bases,
            log,
            stop,
        }
    }

    /// Every request so far.
    pub fn hits(&self) -> Vec<Hit> {
        self.log.lock().unwrap().clone()
    }

    pub fn clear(&self) {
        self.log.lock().unwrap().clear();
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for b in &self.bases {
            let _ = TcpStream::connect(b.trim_start_matches("http://"));
        }
    }
}

fn etag(body: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    format!("\"{:016x}\"", h.finish())
}

fn serve(
    conn: TcpStream,
    at: Instant,
    routes: &HashMap<String, Resource>,
    failures: &HashMap<String, AtomicU32>,
    log: &Mutex<Vec<Hit>>,
) {
    let mut reader = BufReader::new(match conn.try_clone() {
        Ok(c) => c,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let mut conn = conn;
    let (status, extra, body, ctype) = match routes.get(&path) {
        None => (
            404,
            String::new(),
            b"not found".to_vec(),
            "text/plain".to_string(),
        ),
        Some(r) => {
            std::thread::sleep(r.delay);
            let failing = failures.get(&path).is_some_and(|f| {
                f.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok()
            });
            if failing {
                (500, String::new(), b"busy".to_vec(), "text/plain".into())
            } else if let Some(to) = &r.redirect {
                (
                    301,
                    format!("Location: {to}\r\n"),
                    Vec::new(),
                    "text/plain".into(),
                )
            } else if let Some(s) = r.status {
                (s, String::new(), r.body.clone(), r.content_type.clone())
            } else if let Some(lm) = &r.last_modified {
                let head = format!("Last-Modified: {lm}\r\n");
                if headers.get("if-modified-since") == Some(lm) {
                    (304, head, Vec::new(), r.content_type.clone())
                } else {
                    (200, head, r.body.clone(), r.content_type.clone())
                }
            } else {
                let tag = etag(&r.body);
                if headers.get("if-none-match") == Some(&tag) {
                    (
                        304,
                        format!("ETag: {tag}\r\n"),
                        Vec::new(),
                        r.content_type.clone(),
                    )
                } else {
                    (
                        200,
                        format!("ETag: {tag}\r\n"),
                        r.body.clone(),
                        r.content_type.clone(),
                    )
                }
            }
        }
    };
    let reason = match status {
        200 => "OK",
        301 => "Moved Permanently",
        304 => "Not Modified",
        404 => "Not Found",
        _ => "Error",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    // Logged before answering, so a client that has its answer finds the request in the log.
    log.lock().unwrap().push(Hit {
        path,
        status,
        at,
        user_agent: headers.get("user-agent").cloned().unwrap_or_default(),
    });
    let _ = conn.write_all(head.as_bytes());
    let _ = conn.write_all(&body);
    let _ = conn.flush();
}
