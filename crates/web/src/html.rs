//! Page frame and escaping. Every value that comes from a report, a file name or a person
//! goes through [`esc`] (text and attribute values alike).

use crate::auth::Session;
use nianbao_corpus::review::Role;

pub use nianbao_render::html::esc;

/// A hidden CSRF field for a form.
pub fn csrf_field(s: &Session) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(&s.csrf)
    )
}

pub fn layout(title: &str, session: Option<&Session>, body: &str) -> String {
    let nav = match session {
        Some(s) => {
            let admin = if s.user.role >= Role::Admin {
                "<a href=\"/admin/users\">用户</a>"
            } else {
                ""
            };
            let upload = if s.user.role >= Role::Reviewer {
                "<a href=\"/upload\">上传</a><a href=\"/new\">新建年报</a><a href=\"/ledger\">台账</a>"
            } else {
                ""
            };
            format!(
                "<nav><a href=\"/\" class=\"brand\">nianbao 年报</a><a href=\"/\">报告</a><a href=\"/dashboard\">仪表盘</a><a href=\"/campaigns\">填报任务</a>{upload}{admin}\
                 <span class=\"who\"><a href=\"/account\" title=\"API 令牌\">{}</a> · {}</span><form method=\"post\" action=\"/logout\" class=\"inline\">{}<button id=\"logout\">退出</button></form></nav>",
                esc(&s.user.name),
                s.user.role.name_zh(),
                csrf_field(s)
            )
        }
        None => "<nav><a href=\"/\" class=\"brand\">nianbao 年报</a></nav>".to_string(),
    };
    let csrf_meta = session.map_or(String::new(), |s| {
        format!("<meta name=\"csrf\" content=\"{}\">", esc(&s.csrf))
    });
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         {csrf_meta}<title>{} · nianbao</title><link rel=\"stylesheet\" href=\"/assets/app.css\"></head>\
         <body>{nav}<main>{body}</main><script src=\"/assets/app.js\"></script></body></html>\n",
        esc(title)
    )
}
