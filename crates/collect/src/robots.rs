//! robots.txt: the rules of the group for our user agent (or `*`), longest match wins, an
//! `Allow` wins a tie. A missing or unreadable file allows everything.

/// A group of robots.txt: the agents it names, its rules (allow, pattern).
type Group = (Vec<String>, Vec<(bool, String)>);

/// The rules that apply to us on one host.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Robots {
    /// (allow, path pattern) in file order.
    rules: Vec<(bool, String)>,
}

impl Robots {
    /// Parses `text` for the agent whose product token is `agent` (`nianbao` of
    /// `nianbao/0.1 (+contact)`): its own group when there is one, else `*`.
    pub fn parse(text: &str, agent: &str) -> Robots {
        let token = agent
            .split(['/', ' '])
            .next()
            .unwrap_or(agent)
            .to_ascii_lowercase();
        // Groups: the agents named, then their rules.
        let mut groups: Vec<Group> = Vec::new();
        let mut in_agents = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
            match key.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push((Vec::new(), Vec::new()));
                    }
                    in_agents = true;
                    if let Some(g) = groups.last_mut() {
                        g.0.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut() {
                        // An empty Disallow allows everything: no rule.
                        if !value.is_empty() {
                            g.1.push((key == "allow", value.to_string()));
                        }
                    }
                }
                _ => in_agents = false,
            }
        }
        let ours = groups
            .iter()
            .filter(|g| g.0.iter().any(|a| a != "*" && token.contains(a.as_str())))
            .flat_map(|g| g.1.clone())
            .collect::<Vec<_>>();
        let rules = if ours.is_empty() {
            groups
                .iter()
                .filter(|g| g.0.iter().any(|a| a == "*"))
                .flat_map(|g| g.1.clone())
                .collect()
        } else {
            ours
        };
        Robots { rules }
    }

    /// May `path` (with its query) be fetched?
    pub fn allows(&self, path: &str) -> bool {
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches(pattern, path) {
                let len = pattern.len();
                if best.is_none_or(|(l, a)| len > l || (len == l && *allow && !a)) {
                    best = Some((len, *allow));
                }
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// A robots.txt path pattern: a prefix, `*` for any run of characters, `$` for the end.
fn matches(pattern: &str, path: &str) -> bool {
    let pattern = match pattern.strip_suffix('$') {
        Some(p) => p.to_string(),
        None => format!("{pattern}*"),
    };
    glob(pattern.as_bytes(), path.as_bytes())
}

/// `*`-only glob over the whole of `s` (the classic backtracking walk: linear in practice).
fn glob(p: &[u8], s: &[u8]) -> bool {
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < s.len() {
        if i < p.len() && p[i] == b'*' {
            star = Some((i, j));
            i += 1;
        } else if i < p.len() && p[i] == s[j] {
            i += 1;
            j += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "User-agent: *\nDisallow: /private/\nAllow: /private/open.html\n\n\
        User-agent: BadBot\nDisallow: /\n";

    #[test]
    fn the_star_group_applies_with_longest_match() {
        let r = Robots::parse(TEXT, "nianbao/0.1 (+office@example.cn)");
        assert!(r.allows("/index.html"));
        assert!(!r.allows("/private/a.pdf"));
        assert!(r.allows("/private/open.html"));
    }

    #[test]
    fn our_own_group_replaces_the_star_group() {
        let r = Robots::parse(
            "User-agent: *\nDisallow: /a\nUser-agent: nianbao\nDisallow: /b\n",
            "nianbao/0.1",
        );
        assert!(r.allows("/a/x"));
        assert!(!r.allows("/b/x"));
        let bad = Robots::parse(TEXT, "BadBot/2");
        assert!(!bad.allows("/index.html"));
    }

    #[test]
    fn wildcards_and_end_anchors() {
        let r = Robots::parse(
            "User-agent: *\nDisallow: /*.zip$\nDisallow: /search?\n",
            "nianbao",
        );
        assert!(!r.allows("/files/a.zip"));
        assert!(r.allows("/files/a.zip.html"));
        assert!(!r.allows("/search?q=1"));
        assert!(r.allows("/search.html"));
        assert!(Robots::parse("", "nianbao").allows("/anything"));
    }
}
