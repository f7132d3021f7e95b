//! The review workflow: each report's state (待审 pending / 已审 approved / 退回 returned)
//! and assignee, comments on its cells, the queue of reports still to review, and the
//! revision that keeps two reviewers from overwriting each other's work.

use crate::review::beijing_time;
use crate::store::now;
use crate::{Store, StoreError};
use serde::Serialize;

/// Where a report is in review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Pending,
    Approved,
    Returned,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Pending => "pending",
            Step::Approved => "approved",
            Step::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<Step> {
        match s {
            "pending" => Some(Step::Pending),
            "approved" => Some(Step::Approved),
            "returned" => Some(Step::Returned),
            _ => None,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Step::Pending => "待审",
            Step::Approved => "已审",
            Step::Returned => "退回",
        }
    }
}

/// A report's review state; a report never set is pending with nobody assigned.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Review {
    pub state: Step,
    pub assignee: Option<String>,
    /// Who set it and when (China Standard Time); empty for a report never set.
    pub user: String,
    pub at: String,
    /// Why, as the reviewer wrote it (a 退回 always has one).
    pub reason: Option<String>,
}

/// One review decision as it was taken: the report's review history is a list of these.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decision {
    pub state: Step,
    pub assignee: Option<String>,
    pub reason: Option<String>,
    pub user: String,
    /// China Standard Time.
    pub at: String,
}

/// Adds a decision to report `id`'s review history without changing its state (a version
/// made current, a reviewed version replaced by an ingest).
pub(crate) fn log(
    c: &mut dyn crate::db::Conn,
    id: i64,
    state: Step,
    note: &str,
    user: &str,
) -> Result<(), StoreError> {
    c.exec(
        "INSERT INTO review_log (report_id, state, assignee, reason, user_name, at) VALUES ($1, $2, NULL, $3, $4, $5)",
        &[id.into(), state.as_str().into(), note.into(), user.into(), now().into()],
    )?;
    Ok(())
}

/// The longest reason kept, in characters.
const REASON_CHARS: usize = 2000;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comment {
    pub id: i64,
    pub key: String,
    pub body: String,
    pub user: String,
    pub at: String,
    /// The comment it answers (same cell).
    pub reply_to: Option<i64>,
    /// Who marked it settled, and when (China Standard Time).
    pub resolved: Option<(String, String)>,
}

fn when(s: &str) -> String {
    s.parse::<i64>()
        .map_or_else(|_| s.to_string(), beijing_time)
}

impl Store {
    pub fn review(&mut self, id: i64) -> Result<Review, StoreError> {
        let rows = self.conn().query(
            "SELECT state, assignee, user_name, at, reason FROM review_states WHERE report_id = $1",
            &[id.into()],
        )?;
        Ok(match rows.first() {
            Some(r) => Review {
                state: Step::parse(r.str(0)).unwrap_or(Step::Pending),
                assignee: r.text(1).map(str::to_string),
                user: r.str(2).to_string(),
                at: when(r.str(3)),
                reason: r.text(4).map(str::to_string),
            },
            None => Review {
                state: Step::Pending,
                assignee: None,
                user: String::new(),
                at: String::new(),
                reason: None,
            },
        })
    }

    /// Sets a report's state and assignee, and keeps the decision in its review history.
    /// A 退回 needs a reason: the agency is told it.
    pub fn set_review(
        &mut self,
        id: i64,
        state: Step,
        assignee: Option<&str>,
        reason: Option<&str>,
        user: &str,
    ) -> Result<(), StoreError> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if state == Step::Returned && reason.is_none() {
            return Err(StoreError::Rejected(
                "退回须写明理由，报送单位将看到它 (a return needs a reason: the agency is told it)"
                    .into(),
            ));
        }
        if reason.is_some_and(|r| r.chars().count() > REASON_CHARS) {
            return Err(StoreError::Rejected(format!(
                "理由不能超过 {REASON_CHARS} 个字符 (a reason of at most {REASON_CHARS} characters)"
            )));
        }
        if self.report(id)?.is_none() {
            return Err(StoreError::NotFound(format!(
                "没有编号为 {id} 的报告 (no report {id})"
            )));
        }
        let at = now();
        crate::db::transaction(self.conn(), |c| {
            c.exec(
                "DELETE FROM review_states WHERE report_id = $1",
                &[id.into()],
            )?;
            c.exec(
                "INSERT INTO review_states (report_id, state, assignee, user_name, at, reason) VALUES ($1, $2, $3, $4, $5, $6)",
                &[id.into(), state.as_str().into(), assignee.into(), user.into(), at.as_str().into(), reason.into()],
            )?;
            c.exec(
                "INSERT INTO review_log (report_id, state, assignee, reason, user_name, at) VALUES ($1, $2, $3, $4, $5, $6)",
                &[id.into(), state.as_str().into(), assignee.into(), reason.into(), user.into(), at.as_str().into()],
            )?;
            Ok(())
        })
    }

    /// Makes held version `id` (see [`Store::hold_reviewed`]) the current report of its
    /// agency and year: the version it waited beside is kept as an older one; the decision
    /// goes into the new version's review history. Its review starts at 待审.
    ///
    /// [`Store::hold_reviewed`]: crate::Store::hold_reviewed
    pub fn make_current(&mut self, id: i64, user: &str) -> Result<(), StoreError> {
        crate::db::transaction(self.conn(), |c| {
            let rows = c.query(
                "SELECT agency_id, year, path, version, held FROM reports WHERE id = $1",
                &[id.into()],
            )?;
            let Some(r) = rows.first() else {
                return Err(StoreError::NotFound(format!(
                    "没有编号为 {id} 的报告 (no report {id})"
                )));
            };
            if r.int(4) != Some(1) {
                return Err(StoreError::Rejected(format!(
                    "报告 {id} 不是待确认的版本 (report {id} is not a version waiting for a decision)"
                )));
            }
            let (agency, year, version) = (r.int(0), r.int(1), r.int(3).unwrap_or(0));
            let was = crate::store::series(c, (agency, year, r.str(2)), "id, version", true)?;
            for w in &was {
                c.exec(
                    "UPDATE reports SET current = 0 WHERE id = $1",
                    &[w.int(0).into()],
                )?;
            }
            c.exec(
                "UPDATE reports SET current = 1, held = 0 WHERE id = $1",
                &[id.into()],
            )?;
            if let Some(a) = agency {
                c.exec("UPDATE agencies SET dirty = 1 WHERE id = $1", &[a.into()])?;
            }
            // Lists and figures change with no new id: the caches must know.
            crate::agencies::touch(c)?;
            let replaced = was
                .iter()
                .filter_map(|w| w.int(1))
                .map(|v| format!("第 {v} 版"))
                .collect::<Vec<_>>()
                .join("、");
            let note = if replaced.is_empty() {
                format!("第 {version} 版设为当前版本")
            } else {
                format!("第 {version} 版设为当前版本，替换{replaced}")
            };
            log(c, id, Step::Pending, &note, user)
        })?;
        self.refresh_cross()?;
        Ok(())
    }

    /// Every review decision on report `id`, oldest first.
    pub fn decisions(&mut self, id: i64) -> Result<Vec<Decision>, StoreError> {
        Ok(self
            .conn()
            .query(
                "SELECT state, assignee, reason, user_name, at FROM review_log WHERE report_id = $1 ORDER BY id",
                &[id.into()],
            )?
            .iter()
            .map(|r| Decision {
                state: Step::parse(r.str(0)).unwrap_or(Step::Pending),
                assignee: r.text(1).map(str::to_string),
                reason: r.text(2).map(str::to_string),
                user: r.str(3).to_string(),
                at: when(r.str(4)),
            })
            .collect())
    }

    pub fn comments(&mut self, id: i64) -> Result<Vec<Comment>, StoreError> {
        Ok(self
            .conn()
            .query(
                "SELECT id, key, body, user_name, at, reply_to, resolved_by, resolved_at FROM comments WHERE report_id = $1 ORDER BY id",
                &[id.into()],
            )?
            .iter()
            .map(|r| Comment {
                id: r.int(0).unwrap_or(0),
                key: r.str(1).to_string(),
                body: r.str(2).to_string(),
                user: r.str(3).to_string(),
                at: when(r.str(4)),
                reply_to: r.int(5),
                resolved: r
                    .text(6)
                    .map(|u| (u.to_string(), r.text(7).map(when).unwrap_or_default())),
            })
            .collect())
    }

    /// A reply to comment `to` of report `id` (on the same cell).
    pub fn reply(&mut self, id: i64, to: i64, body: &str, user: &str) -> Result<(), StoreError> {
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 2000 {
            return Err(StoreError::Rejected(
                "回复应为 1–2000 个字符 (a reply of 1–2000 characters)".into(),
            ));
        }
        let key = self
            .conn()
            .query(
                "SELECT key FROM comments WHERE id = $1 AND report_id = $2",
                &[to.into(), id.into()],
            )?
            .first()
            .map(|r| r.str(0).to_string())
            .ok_or_else(|| {
                StoreError::NotFound(format!(
                    "报告 {id} 没有编号为 {to} 的评论 (no such comment)"
                ))
            })?;
        self.conn().exec(
            "INSERT INTO comments (report_id, key, body, user_name, at, reply_to) VALUES ($1, $2, $3, $4, $5, $6)",
            &[id.into(), key.into(), body.into(), user.into(), now().into(), to.into()],
        )?;
        Ok(())
    }

    /// Marks comment `c` of report `id` settled (with its replies' thread), by `user`.
    pub fn resolve(&mut self, id: i64, c: i64, user: &str) -> Result<(), StoreError> {
        let done = self.conn().exec(
            "UPDATE comments SET resolved_by = $1, resolved_at = $2 WHERE id = $3 AND report_id = $4 AND resolved_by IS NULL",
            &[user.into(), now().into(), c.into(), id.into()],
        )?;
        if done == 0 {
            return Err(StoreError::NotFound(format!(
                "报告 {id} 没有未解决的编号为 {c} 的评论 (no open comment {c})"
            )));
        }
        Ok(())
    }

    /// A comment on one cell of a report.
    pub fn comment(
        &mut self,
        id: i64,
        key: &str,
        body: &str,
        user: &str,
    ) -> Result<(), StoreError> {
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 2000 {
            return Err(StoreError::Rejected(
                "评论应为 1–2000 个字符 (a comment of 1–2000 characters)".into(),
            ));
        }
        let stored = self.report(id)?.ok_or_else(|| {
            StoreError::NotFound(format!("没有编号为 {id} 的报告 (no report {id})"))
        })?;
        if !stored.report.cells.contains_key(key) {
            return Err(StoreError::Rejected(format!(
                "{key} 不是本报告的单元格 (not a cell of the report)"
            )));
        }
        self.conn().exec(
            "INSERT INTO comments (report_id, key, body, user_name, at) VALUES ($1, $2, $3, $4, $5)",
            &[id.into(), key.into(), body.into(), user.into(), now().into()],
        )?;
        Ok(())
    }

    /// How many changes reviewers have made to a report (corrections and acceptances): a
    /// change made on a page loaded at another revision would overwrite someone's work.
    pub fn revision(&mut self, id: i64) -> Result<i64, StoreError> {
        Ok(self
            .conn()
            .query(
                "SELECT COUNT(*) FROM corrections WHERE report_id = $1",
                &[id.into()],
            )?
            .first()
            .and_then(|r| r.int(0))
            .unwrap_or(0))
    }

    /// Refuses a change made on a page loaded at revision `seen` when the report has moved on,
    /// naming the change that came between. `None`: the client sent no revision (a script),
    /// nothing to compare.
    pub fn check_revision(&mut self, id: i64, seen: Option<i64>) -> Result<(), StoreError> {
        let Some(seen) = seen else { return Ok(()) };
        let now = self.revision(id)?;
        if now == seen {
            return Ok(());
        }
        let last = self.history(id)?.into_iter().next();
        let who = last.map_or(String::new(), |c| {
            format!(
                "（{} 于 {}）",
                c.user,
                c.at.replace('T', " ").trim_end_matches("+08:00")
            )
        });
        Err(StoreError::Conflict(format!(
            "此报告在您打开后已被修改{who}，为免覆盖，请刷新页面后再改 (the report changed since you opened it; reload before changing it)"
        )))
    }

    /// The next current report with errors that is not yet approved, after report `after` in
    /// id order (from the start again past the end).
    pub fn next_to_review(&mut self, after: i64) -> Result<Option<i64>, StoreError> {
        let sql = "SELECT r.id FROM reports r LEFT JOIN review_states s ON s.report_id = r.id \
                   WHERE r.current = 1 AND r.errors > 0 AND COALESCE(s.state, 'pending') <> 'approved' \
                   AND r.id > $1 ORDER BY r.id LIMIT 1";
        let c = self.conn();
        let found = c
            .query(sql, &[after.into()])?
            .first()
            .and_then(|r| r.int(0));
        Ok(match found {
            Some(id) => Some(id),
            None => c.query(sql, &[0i64.into()])?.first().and_then(|r| r.int(0)),
        })
    }
}

/// An API token of a user (the token itself is shown once, when made; the store keeps its
/// SHA-256).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Token {
    pub name: String,
    pub created: String,
}

impl Store {
    pub fn create_token(&mut self, user_id: i64, name: &str, hash: &str) -> Result<(), StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 64 {
            return Err(StoreError::Rejected(
                "令牌名称应为 1–64 个字符 (a token name of 1–64 characters)".into(),
            ));
        }
        if self.tokens(user_id)?.iter().any(|t| t.name == name) {
            return Err(StoreError::Rejected(format!(
                "已有名为 {name} 的令牌 (a token of that name exists)"
            )));
        }
        self.conn().exec(
            "INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES ($1, $2, $3, $4)",
            &[hash.into(), user_id.into(), name.into(), now().into()],
        )?;
        Ok(())
    }

    pub fn tokens(&mut self, user_id: i64) -> Result<Vec<Token>, StoreError> {
        Ok(self
            .conn()
            .query(
                "SELECT name, created_at FROM api_tokens WHERE user_id = $1 ORDER BY name",
                &[user_id.into()],
            )?
            .iter()
            .map(|r| Token {
                name: r.str(0).to_string(),
                created: when(r.str(1)),
            })
            .collect())
    }

    /// Revokes a user's token by name; false when there was none.
    pub fn revoke_token(&mut self, user_id: i64, name: &str) -> Result<bool, StoreError> {
        let had = self.tokens(user_id)?.iter().any(|t| t.name == name);
        self.conn().exec(
            "DELETE FROM api_tokens WHERE user_id = $1 AND name = $2",
            &[user_id.into(), name.into()],
        )?;
        Ok(had)
    }

    /// The enabled user a token (by its hash) belongs to.
    pub fn token_user(&mut self, hash: &str) -> Result<Option<crate::review::User>, StoreError> {
        let rows = self.conn().query(
            "SELECT u.id, u.name, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND u.disabled = 0",
            &[hash.into()],
        )?;
        let Some(r) = rows.first() else {
            return Ok(None);
        };
        let user = crate::review::User {
            id: r.int(0).unwrap_or(0),
            name: r.str(1).to_string(),
            role: crate::review::Role::parse(r.str(2)).unwrap_or(crate::review::Role::Viewer),
            agencies: Vec::new(),
        };
        self.with_agencies(user).map(Some)
    }
}
