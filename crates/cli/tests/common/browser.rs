//! A real headless Chromium through a private chromedriver, for the web tests: start it,
//! sign in, type, click, wait for what a person would see.

use super::available;
use super::web::{free_port, PASSWORD};
use fantoccini::{ClientBuilder, Locator};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub fn chromedriver() -> bool {
    let found = Command::new("chromedriver")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    available(found, "chromium and chromedriver")
}

pub struct Driver(std::process::Child);

impl Drop for Driver {
    /// Stops chromedriver and the browsers it started (its process group), even when a
    /// test failed before closing its session. Signalled directly: Debian 12's procps
    /// `kill -KILL -<pgid>` signals every process of the user (the test runner and CI too).
    fn drop(&mut self) {
        if let Ok(group) = i32::try_from(self.0.id()) {
            if group > 1 {
                // SAFETY: kill(2) with a negative pid signals only that process group, which
                // chromedriver leads (spawned with process_group(0)).
                unsafe { libc::kill(-group, libc::SIGKILL) };
            }
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub async fn wait<F, Fut>(what: &str, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !f().await {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A headless Chromium session through a private chromedriver.
pub async fn browser() -> (Driver, fantoccini::Client) {
    let port = free_port();
    use std::os::unix::process::CommandExt;
    let driver = Driver(
        Command::new("chromedriver")
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({ "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
                                    "--disable-background-networking", "--no-first-run", "--disable-extensions"] }),
    );
    let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
    builder.capabilities(caps);
    let start_at = Instant::now();
    let c = loop {
        match builder.connect(&format!("http://127.0.0.1:{port}")).await {
            Ok(c) => break c,
            Err(e) => {
                assert!(
                    start_at.elapsed() < Duration::from_secs(30),
                    "chromedriver: {e}"
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };
    (driver, c)
}

pub async fn typed(c: &fantoccini::Client, at: Locator<'_>, text: &str) {
    c.find(at).await.unwrap().send_keys(text).await.unwrap();
}

pub async fn click(c: &fantoccini::Client, at: Locator<'_>) {
    c.find(at).await.unwrap().click().await.unwrap();
}

pub async fn sign_in(c: &fantoccini::Client, url: &str, name: &str) {
    sign_in_to(c, url, name, "/").await;
}

/// Signs in through the form and waits for the page the user lands on (`/`, or `/my` for
/// an agency).
pub async fn sign_in_to(c: &fantoccini::Client, url: &str, name: &str, lands: &str) {
    c.goto(&format!("{url}/login")).await.unwrap();
    typed(c, Locator::Id("name"), name).await;
    typed(c, Locator::Id("password"), PASSWORD).await;
    click(c, Locator::Id("signin")).await;
    wait(lands, || async {
        c.current_url().await.unwrap().path() == lands
    })
    .await;
}

/// Signs out with the button every page has.
pub async fn sign_out(c: &fantoccini::Client) {
    click(c, Locator::Id("logout")).await;
    wait("the sign-in form", || async {
        c.current_url().await.unwrap().path() == "/login"
    })
    .await;
}

/// The text of the element at `at`.
pub async fn text(c: &fantoccini::Client, at: Locator<'_>) -> String {
    c.find(at).await.unwrap().text().await.unwrap()
}

/// The attribute `name` of the element at `at`, which must have it.
pub async fn attr(c: &fantoccini::Client, at: Locator<'_>, name: &str) -> String {
    let value = c.find(at).await.unwrap().attr(name).await.unwrap();
    value.unwrap_or_else(|| panic!("no {name} on {at:?}"))
}
