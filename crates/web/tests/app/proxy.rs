//! Behind a reverse proxy every request comes from the proxy's address. Named as trusted,
//! its `X-Forwarded-For` says who the client is: a stranger's wrong guesses lock out the
//! stranger, not the user signing in from elsewhere. Not named, the header is ignored (a
//! client cannot pick its own address).

use crate::common::{start, Http, PASSWORD};

#[test]
fn a_strangers_guesses_through_a_trusted_proxy_do_not_lock_the_user_out() {
    let server = start(5);
    // The in-process client's address (the proxy's) is trusted.
    server
        .state
        .trusted_proxies
        .set(vec!["127.0.0.1".parse().unwrap()])
        .unwrap();
    let mut stranger = Http::new(&server);
    for _ in 0..5 {
        assert_eq!(
            stranger.login_from("reviewer", "wrong-guess-1", "203.0.113.9"),
            401
        );
    }
    assert_eq!(
        stranger.login_from("reviewer", PASSWORD, "203.0.113.9"),
        429,
        "the guessing address is held off"
    );
    // A forged first hop does not help: the proxy appended the real address last.
    assert_eq!(
        stranger.login_from("reviewer", PASSWORD, "198.51.100.7, 203.0.113.9"),
        429
    );
    let mut user = Http::new(&server);
    assert_eq!(user.login_from("reviewer", PASSWORD, "198.51.100.7"), 303);
}

#[test]
fn without_a_trusted_proxy_the_header_is_ignored() {
    let server = start(5);
    let mut stranger = Http::new(&server);
    for i in 0..5 {
        // A new address each time, all ignored: the peer is the client.
        let from = format!("203.0.113.{i}");
        assert_eq!(stranger.login_from("reviewer", "wrong-guess-1", &from), 401);
    }
    assert_eq!(
        stranger.login_from("reviewer", PASSWORD, "198.51.100.7"),
        429
    );
}
