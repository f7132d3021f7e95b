//! Page frame and escaping. Every page is written with maud's `html!`, which escapes every
//! value it is given (text and attribute values alike); HTML made elsewhere enters only as
//! `PreEscaped`: render's table rows (its row walker escapes each cell) and JSON for scripts
//! (`report::script_json`).
//!
//! Why maud rather than askama: the pages are composed of small fragments made by Rust
//! functions (a table, a finding, a form), which `html!` writes where they are used and the
//! compiler checks, with no template files and structs to keep beside each function.

use crate::auth::Session;
use maud::{html, Markup, Render, DOCTYPE};
use nianbao_corpus::review::Role;

/// The hidden CSRF field of a form.
pub fn csrf_input(s: &Session) -> Markup {
    html! { input type="hidden" name="csrf" value=(s.csrf); }
}

/// A stored time (ISO 8601, China Standard Time) as people read it: `2026-01-31 09:30:00`.
pub fn when(at: &str) -> String {
    at.replace('T', " ").trim_end_matches("+08:00").to_string()
}

/// A page: the frame (navigation by role, the CSRF token for scripts) around `body`.
pub fn frame(title: &str, session: Option<&Session>, body: impl Render) -> String {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(s) = session {
                    meta name="csrf" content=(s.csrf);
                }
                title { (title) " · nianbao" }
                link rel="stylesheet" href="/assets/app.css";
            }
            body {
                (nav(session))
                main { (body) }
                script src="/assets/app.js" {}
            }
        }
    }
    .into_string()
}

fn nav(session: Option<&Session>) -> Markup {
    html! {
        nav {
            a href="/" class="brand" { "nianbao 年报" }
            @if let Some(s) = session {
                @if s.user.role == Role::Agency {
                    a href="/my" { "本单位" }
                } @else {
                    a href="/" { "报告" }
                    a href="/dashboard" { "仪表盘" }
                    a href="/campaigns" { "填报任务" }
                }
                @if s.user.role >= Role::Reviewer || s.user.role == Role::Agency {
                    a href="/upload" { "上传" }
                    a href="/new" { "新建年报" }
                }
                @if s.user.role >= Role::Reviewer {
                    a href="/ledger" { "台账" }
                }
                @if s.user.role >= Role::Admin {
                    a href="/admin/users" { "用户" }
                }
                span class="who" {
                    a href="/account" title="API 令牌" { (s.user.name) }
                    " · " (s.user.role.name_zh())
                }
                form method="post" action="/logout" class="inline" {
                    (csrf_input(s))
                    button id="logout" { "退出" }
                }
            }
        }
    }
}

/// A report's checks in one badge: its errors, else its warnings, else 通过.
pub fn findings_badge(errors: i64, warnings: i64) -> Markup {
    html! {
        @if errors > 0 {
            span class="badge err" { "错误 " (errors) }
        } @else if warnings > 0 {
            span class="badge warn" { "警告 " (warnings) }
        } @else {
            span class="badge ok" { "通过" }
        }
    }
}

/// A `<select>` named `name` (id `f-name`) with `current` chosen.
pub fn select(name: &str, current: &str, options: &[(&str, &str)]) -> Markup {
    html! {
        select name=(name) id={ "f-" (name) } {
            @for (value, label) in options {
                option value=(value) selected[*value == current] { (label) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use maud::PreEscaped;

    #[test]
    fn values_are_escaped_and_markup_is_not() {
        let hostile = "\"><script>alert(1)</script>";
        let s = select("level", hostile, &[(hostile, hostile), ("a", "<b>")]);
        assert_eq!(
            s.into_string(),
            "<select name=\"level\" id=\"f-level\">\
             <option value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\" selected>\
             &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</option>\
             <option value=\"a\">&lt;b&gt;</option></select>"
        );
        let p = frame(hostile, None, PreEscaped("<p>made elsewhere</p>"));
        assert!(
            p.contains("<title>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; · nianbao</title>")
        );
        assert!(p.contains("<main><p>made elsewhere</p></main>"));
        assert!(!p.contains("<script>alert"));
    }
}
