//! What reviewers do to the corpus: sign in (users, sessions), list and search reports,
//! correct a cell or accept a finding as it is — each change kept with who, when, old,
//! new and why, and the report's checks rerun at once.

use crate::db::{transaction, Conn, Row, Value};
use crate::store::{finding_rows, now, Filter, FINDING_COLUMNS};
use crate::{Store, StoreError};
use nianbao_model::{Finding, Num, Severity};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Files the reports of the agencies it is bound to (see `filers`) and sees only those:
    /// below every other role, so no check of a reviewer's or viewer's right lets it through.
    Agency,
    Viewer,
    Reviewer,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agency => "agency",
            Role::Viewer => "viewer",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "agency" => Some(Role::Agency),
            "viewer" => Some(Role::Viewer),
            "reviewer" => Some(Role::Reviewer),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            Role::Agency => "报送单位",
            Role::Viewer => "只读",
            Role::Reviewer => "审核员",
            Role::Admin => "管理员",
        }
    }
}

#[derive(Clone, Debug)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// The agencies an [`Role::Agency`] user files for (id, name); empty for other roles.
    pub agencies: Vec<(i64, String)>,
}

/// A row of the report list.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Summary {
    pub id: i64,
    pub agency_id: Option<i64>,
    pub agency: String,
    pub region: String,
    pub level: String,
    pub year: Option<i64>,
    pub template: String,
    pub version: i64,
    pub errors: i64,
    pub warnings: i64,
}

/// The report list's order: newest year first, then agency, then newest report; a missing
/// year or agency sorts last on both backends (SQLite and PostgreSQL order NULLs apart).
const LIST_ORDER: &str =
    "ORDER BY COALESCE(r.year, -1) DESC, COALESCE(r.agency_id, -1) DESC, r.id DESC";

/// A row's place in the report list: the key a page of the list starts or ends at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListKey {
    pub year: Option<i64>,
    pub agency: Option<i64>,
    pub id: i64,
}

impl ListKey {
    pub fn of(s: &Summary) -> ListKey {
        ListKey {
            year: s.year,
            agency: s.agency_id,
            id: s.id,
        }
    }

    /// Reads the key as [`Display`](std::fmt::Display) writes it: `2021.15.2034`, a part
    /// left empty when the row has no year or agency (`.15.2034`).
    pub fn parse(s: &str) -> Option<ListKey> {
        let mut parts = s.trim().split('.');
        let mut part = || -> Option<Option<i64>> {
            match parts.next()? {
                "" => Some(None),
                p => p.parse().ok().filter(|n: &i64| *n >= 0).map(Some),
            }
        };
        let (year, agency, id) = (part()?, part()?, part()??);
        parts
            .next()
            .is_none()
            .then_some(ListKey { year, agency, id })
    }
}

impl std::fmt::Display for ListKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let part = |n: Option<i64>| n.map_or(String::new(), |n| n.to_string());
        write!(f, "{}.{}.{}", part(self.year), part(self.agency), self.id)
    }
}

/// Which page [`Store::list_from`] reads: the one after a row or the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seek {
    After(ListKey),
    Before(ListKey),
}

/// One entry of a report's history.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Change {
    pub id: i64,
    /// `correct` (a cell's value) or `accept` (a finding accepted as it is).
    pub kind: String,
    /// The cell (`correct`) or the finding (`accept`: `rule|cells`).
    pub key: String,
    pub old: Option<String>,
    /// The value set (`correct`) or the finding's message when it was accepted (`accept`).
    pub new: Option<String>,
    pub reason: String,
    pub user: String,
    /// When, in China Standard Time (`2026-11-30T16:58:36+08:00`).
    pub at: String,
}

fn user(r: &Row) -> User {
    User {
        id: r.int(0).unwrap_or(0),
        name: r.str(1).to_string(),
        role: Role::parse(r.str(2)).unwrap_or(Role::Viewer),
        agencies: Vec::new(),
    }
}

/// The key an acceptance is recorded under: the rule and the cells it names.
/// One version of a report.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Version {
    pub id: i64,
    pub version: i64,
    pub current: bool,
    /// Waits for a reviewer to make it current (see [`Store::hold_reviewed`]).
    pub held: bool,
    /// Who added it (a web user); `None` for a command-line ingest.
    pub added_by: Option<String>,
    /// When it was stored, China Standard Time.
    pub at: String,
    pub path: String,
}

pub fn finding_key(f: &Finding) -> String {
    format!("{}|{}", f.rule, f.cells.join(" "))
}

impl Store {
    pub fn create_user(&mut self, name: &str, hash: &str, role: Role) -> Result<i64, StoreError> {
        let c = self.conn();
        if !c
            .query("SELECT id FROM users WHERE name = $1", &[name.into()])?
            .is_empty()
        {
            return Err(StoreError::Rejected(format!(
                "用户 {name} 已存在 (user exists)"
            )));
        }
        c.query(
            "INSERT INTO users (name, hash, role, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            &[name.into(), hash.into(), role.as_str().into(), now().into()],
        )?
        .first()
        .and_then(|r| r.int(0))
        .ok_or_else(|| StoreError::Sql("INSERT returned no id".into()))
    }

    /// The user and their password hash.
    pub fn user_by_name(&mut self, name: &str) -> Result<Option<(User, String)>, StoreError> {
        let rows = self.conn().query(
            "SELECT id, name, role, hash FROM users WHERE name = $1 AND disabled = 0",
            &[name.into()],
        )?;
        Ok(rows.first().map(|r| (user(r), r.str(3).to_string())))
    }

    /// Every user by name, an agency user with its agencies.
    pub fn users(&mut self) -> Result<Vec<User>, StoreError> {
        let list: Vec<User> = self
            .conn()
            .query("SELECT id, name, role FROM users ORDER BY name", &[])?
            .iter()
            .map(user)
            .collect();
        list.into_iter().map(|u| self.with_agencies(u)).collect()
    }

    /// Every user with whether the account is disabled, by name.
    pub fn accounts(&mut self) -> Result<Vec<(User, bool)>, StoreError> {
        Ok(self
            .conn()
            .query(
                "SELECT id, name, role, disabled FROM users ORDER BY name",
                &[],
            )?
            .iter()
            .map(|r| (user(r), r.int(3) == Some(1)))
            .collect())
    }

    /// A user by id, with whether the account is disabled.
    pub fn account(&mut self, id: i64) -> Result<Option<(User, bool)>, StoreError> {
        Ok(self
            .conn()
            .query(
                "SELECT id, name, role, disabled FROM users WHERE id = $1",
                &[id.into()],
            )?
            .first()
            .map(|r| (user(r), r.int(3) == Some(1))))
    }

    /// A new password (its hash); every session of the user ends.
    pub fn set_password(&mut self, id: i64, hash: &str) -> Result<(), StoreError> {
        transaction(self.conn(), |c| {
            c.exec(
                "UPDATE users SET hash = $1 WHERE id = $2",
                &[hash.into(), id.into()],
            )?;
            c.exec("DELETE FROM sessions WHERE user_id = $1", &[id.into()])?;
            Ok(())
        })
    }

    /// Disables (no sign-in, every session ended) or enables an account. The last enabled
    /// administrator cannot be disabled.
    pub fn set_disabled(&mut self, id: i64, disabled: bool) -> Result<(), StoreError> {
        if disabled {
            self.keep_an_admin(id)?;
        }
        transaction(self.conn(), |c| {
            c.exec(
                "UPDATE users SET disabled = $1 WHERE id = $2",
                &[i64::from(disabled).into(), id.into()],
            )?;
            if disabled {
                c.exec("DELETE FROM sessions WHERE user_id = $1", &[id.into()])?;
            }
            Ok(())
        })
    }

    /// Deletes an account and its sessions; the history keeps the name it recorded. The
    /// last enabled administrator cannot be deleted.
    pub fn delete_user(&mut self, id: i64) -> Result<(), StoreError> {
        self.keep_an_admin(id)?;
        transaction(self.conn(), |c| {
            c.exec("DELETE FROM sessions WHERE user_id = $1", &[id.into()])?;
            c.exec("DELETE FROM api_tokens WHERE user_id = $1", &[id.into()])?;
            c.exec("DELETE FROM user_agencies WHERE user_id = $1", &[id.into()])?;
            c.exec("DELETE FROM users WHERE id = $1", &[id.into()])?;
            Ok(())
        })
    }

    fn keep_an_admin(&mut self, id: i64) -> Result<(), StoreError> {
        let others = self
            .conn()
            .query(
                "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id <> $1",
                &[id.into()],
            )?
            .first()
            .and_then(|r| r.int(0))
            .unwrap_or(0);
        let is_admin = self
            .account(id)?
            .is_some_and(|(u, off)| u.role == Role::Admin && !off);
        if is_admin && others == 0 {
            return Err(StoreError::Rejected(
                "不能停用或删除最后一个管理员 (the last administrator cannot be disabled or deleted)".into(),
            ));
        }
        Ok(())
    }

    pub fn user_count(&mut self) -> Result<i64, StoreError> {
        Ok(self
            .conn()
            .query("SELECT COUNT(*) FROM users", &[])?
            .first()
            .and_then(|r| r.int(0))
            .unwrap_or(0))
    }

    /// Stores a session under the hash of its token (a stolen database gives no live cookie).
    pub fn create_session(
        &mut self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        expires: i64,
    ) -> Result<(), StoreError> {
        let c = self.conn();
        c.exec(
            "DELETE FROM sessions WHERE expires < $1",
            &[unix_now().into()],
        )?;
        c.exec(
            "INSERT INTO sessions (token, user_id, csrf, expires) VALUES ($1, $2, $3, $4)",
            &[
                token_hash.into(),
                user_id.into(),
                csrf.into(),
                expires.into(),
            ],
        )?;
        Ok(())
    }

    /// The signed-in user and the session's CSRF token, if the session is live.
    pub fn session(&mut self, token_hash: &str) -> Result<Option<(User, String)>, StoreError> {
        let rows = self.conn().query(
            "SELECT u.id, u.name, u.role, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token = $1 AND s.expires > $2 AND u.disabled = 0",
            &[token_hash.into(), unix_now().into()],
        )?;
        match rows.first() {
            Some(r) => {
                let u = self.with_agencies(user(r))?;
                Ok(Some((u, r.str(3).to_string())))
            }
            None => Ok(None),
        }
    }

    pub fn end_session(&mut self, token_hash: &str) -> Result<(), StoreError> {
        self.conn().exec(
            "DELETE FROM sessions WHERE token = $1",
            &[token_hash.into()],
        )?;
        Ok(())
    }

    /// A page of the reports a filter selects, newest year first (reports without a year
    /// last), and how many there are.
    pub fn list(
        &mut self,
        filter: &Filter,
        offset: i64,
        limit: i64,
    ) -> Result<(i64, Vec<Summary>), StoreError> {
        let total = self.list_count(filter)?;
        Ok((total, self.list_page(filter, offset, limit)?))
    }

    /// How many reports the filter selects (a walk of an index: tens of milliseconds over a
    /// million reports, so the web keeps it while the corpus does not change).
    pub fn list_count(&mut self, filter: &Filter) -> Result<i64, StoreError> {
        let (clause, params) = filter.sql();
        self.count(&clause, &params)
    }

    /// A page of [`list`](Self::list) without the count.
    pub fn list_page(
        &mut self,
        filter: &Filter,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Summary>, StoreError> {
        let (clause, mut params) = filter.sql();
        params.push(limit.into());
        params.push(offset.into());
        let n = params.len();
        let page = format!("LIMIT ${} OFFSET ${n}", n - 1);
        self.page(&clause, &params, LIST_ORDER, &page)
    }

    /// The rows `conds` selects in `order`, cut by `page` (LIMIT …): the page's ids first, in
    /// the order of the `reports_order` index (a walk of the index, no sort of whole rows),
    /// then those rows with their agencies.
    fn page(
        &mut self,
        conds: &str,
        params: &[Value],
        order: &str,
        page: &str,
    ) -> Result<Vec<Summary>, StoreError> {
        let from = format!("FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id {conds}");
        let rows = self.conn().query(
            &format!("{SUMMARY} WHERE r.id IN (SELECT r.id {from} {order} {page}) {order}"),
            params,
        )?;
        Ok(rows.iter().map(summary).collect())
    }

    /// The page of the list (in [`list`](Self::list)'s order) that follows or precedes a
    /// row, and how many reports the filter selects: paging from the row at a page's edge
    /// seeks in the `reports_order` index, so the thousandth page costs what the first does.
    pub fn list_from(
        &mut self,
        filter: &Filter,
        from: Seek,
        limit: i64,
    ) -> Result<(i64, Vec<Summary>), StoreError> {
        let total = self.list_count(filter)?;
        Ok((total, self.list_page_from(filter, from, limit)?))
    }

    /// A page of [`list_from`](Self::list_from) without the count.
    pub fn list_page_from(
        &mut self,
        filter: &Filter,
        from: Seek,
        limit: i64,
    ) -> Result<Vec<Summary>, StoreError> {
        let (clause, params) = filter.sql();
        // A page before the row is the rows after it in the reverse order, turned round.
        let (key, cmp, order, before) = match from {
            Seek::After(k) => (k, "<", LIST_ORDER.to_string(), false),
            Seek::Before(k) => (k, ">", LIST_ORDER.replace(" DESC", " ASC"), true),
        };
        let mut params = params;
        let at = params.len();
        params.extend([
            key.year.unwrap_or(-1).into(),
            key.agency.unwrap_or(-1).into(),
            key.id.into(),
        ]);
        // The year bound alone is what SQLite seeks the index with (it does not seek by a
        // row value over expressions); the row value then settles the rest.
        let seek = format!(
            "COALESCE(r.year, -1) {cmp}= ${y} AND \
             (COALESCE(r.year, -1), COALESCE(r.agency_id, -1), r.id) {cmp} (${y}, ${}, ${})",
            at + 2,
            at + 3,
            y = at + 1,
        );
        let conds = if clause.trim().is_empty() {
            format!("WHERE {seek}")
        } else {
            format!("{clause} AND {seek}")
        };
        params.push(limit.into());
        let page = format!("LIMIT ${}", params.len());
        let mut rows = self.page(&conds, &params, &order, &page)?;
        if before {
            rows.reverse();
        }
        Ok(rows)
    }

    fn count(&mut self, clause: &str, params: &[Value]) -> Result<i64, StoreError> {
        // Counting needs the agencies only when a filter names them.
        let from = if clause.contains("a.") {
            format!("FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id {clause}")
        } else {
            format!("FROM reports r {clause}")
        };
        Ok(self
            .conn()
            .query(&format!("SELECT COUNT(*) {from}"), params)?
            .first()
            .and_then(|r| r.int(0))
            .unwrap_or(0))
    }

    /// The reports the filter selects with ids below `before` (all when `None`), newest id
    /// first, at most `limit`: paging by the last id seen (keyset) walks the primary key, so
    /// a script reading a million reports pays the same for the last page as for the first
    /// and nothing for a count.
    pub fn list_after(
        &mut self,
        filter: &Filter,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Summary>, StoreError> {
        let (clause, mut params) = filter.sql();
        let mut conds = clause;
        if let Some(b) = before {
            params.push(b.into());
            let cond = format!("r.id < ${}", params.len());
            conds = if conds.trim().is_empty() {
                format!("WHERE {cond}")
            } else {
                format!("{conds} AND {cond}")
            };
        }
        params.push(limit.into());
        let rows = self.conn().query(
            &format!(
                "{SUMMARY} {conds} ORDER BY r.id DESC LIMIT ${}",
                params.len()
            ),
            &params,
        )?;
        Ok(rows.iter().map(summary).collect())
    }

    /// The canonical text the report's evidence offsets point into.
    pub fn source(&mut self, id: i64) -> Result<Option<String>, StoreError> {
        let rows = self.conn().query(
            "SELECT text FROM sources WHERE report_id = $1",
            &[id.into()],
        )?;
        Ok(rows.first().map(|r| r.str(0).to_string()))
    }

    pub fn history(&mut self, id: i64) -> Result<Vec<Change>, StoreError> {
        Ok(self
            .conn()
            .query(
                "SELECT id, kind, key, old, new, reason, user_name, at FROM corrections WHERE report_id = $1 ORDER BY id DESC",
                &[id.into()],
            )?
            .iter()
            .map(|r| Change {
                id: r.int(0).unwrap_or(0),
                kind: r.str(1).to_string(),
                key: r.str(2).to_string(),
                old: r.text(3).map(str::to_string),
                new: r.text(4).map(str::to_string),
                reason: r.str(5).to_string(),
                user: r.str(6).to_string(),
                at: r
                    .str(7)
                    .parse::<i64>()
                    .map_or_else(|_| r.str(7).to_string(), beijing_time),
            })
            .collect())
    }

    /// Every version of report `id`'s agency and year (or, without them, its file path),
    /// oldest first.
    pub fn versions(&mut self, id: i64) -> Result<Vec<Version>, StoreError> {
        let c = self.conn();
        let Some(head) = c
            .query(
                "SELECT agency_id, year, path FROM reports WHERE id = $1",
                &[id.into()],
            )?
            .into_iter()
            .next()
        else {
            return Ok(Vec::new());
        };
        // Two plain queries (each on an index) rather than one join on an OR.
        let cols = "SELECT id, version, current, ingested_at, path, held, added_by FROM reports";
        let rows = match (head.int(0), head.int(1)) {
            (Some(a), Some(y)) => c.query(
                &format!("{cols} WHERE agency_id = $1 AND year = $2 ORDER BY version, id"),
                &[a.into(), y.into()],
            )?,
            _ => c.query(
                &format!("{cols} WHERE path = $1 AND (agency_id IS NULL OR year IS NULL) ORDER BY version, id"),
                &[head.str(2).into()],
            )?,
        };
        Ok(rows
            .iter()
            .map(|r| Version {
                id: r.int(0).unwrap_or(0),
                version: r.int(1).unwrap_or(1),
                current: r.int(2) == Some(1),
                held: r.int(5) == Some(1),
                added_by: r.text(6).map(str::to_string),
                at: r
                    .str(3)
                    .parse::<i64>()
                    .map_or_else(|_| r.str(3).to_string(), beijing_time),
                path: r.str(4).to_string(),
            })
            .collect())
    }

    /// Keys of the findings accepted as they are (see [`finding_key`]).
    pub fn accepted(&mut self, id: i64) -> Result<Vec<String>, StoreError> {
        Ok(self
            .conn()
            .query(
                "SELECT key FROM corrections WHERE report_id = $1 AND kind = 'accept'",
                &[id.into()],
            )?
            .iter()
            .map(|r| r.str(0).to_string())
            .collect())
    }

    /// Sets one cell of a stored report (None = blank), reruns the report's checks and the
    /// agency's cross-year checks, and records the change. Returns the report's findings.
    pub fn correct(
        &mut self,
        id: i64,
        key: &str,
        value: Option<Num>,
        reason: &str,
        user: &str,
    ) -> Result<Vec<Finding>, StoreError> {
        let stored = self.report(id)?.ok_or_else(|| {
            StoreError::NotFound(format!("没有编号为 {id} 的报告 (no report {id})"))
        })?;
        if !stored.report.cells.contains_key(key) {
            return Err(StoreError::Rejected(format!(
                "{key} 不是 {} 模板的单元格 (not a cell of the template)",
                stored.report.template.as_str()
            )));
        }
        if reason.trim().is_empty() {
            return Err(StoreError::Rejected(
                "请填写修改理由 (a reason is required)".into(),
            ));
        }
        if let Some((zh, en)) =
            value.and_then(|v| nianbao_model::ValueKind::of(key).refuse(v.as_f64()))
        {
            let cell = nianbao_model::cell_label(stored.report.template, key);
            return Err(StoreError::Rejected(format!("{cell}：{zh} ({en})")));
        }
        let old = stored.report.value(key);
        let mut report = stored.report;
        report.set(key, value);
        let mut findings = nianbao_check::findings(&report);
        // Extraction's doubts about other rows stand; one about this cell's row is settled
        // by the person's value.
        findings.extend(
            stored
                .findings
                .into_iter()
                .filter(|f| f.rule.family() == "extract" && !f.cells.iter().any(|c| c == key)),
        );
        let agency = stored.agency_id;
        transaction(self.conn(), |c| {
            // The cell changes in the stored array as it is now (another cell corrected
            // meanwhile stays corrected).
            let lock = match c.kind() {
                crate::db::Kind::Postgres => " FOR UPDATE",
                crate::db::Kind::Sqlite => "",
            };
            let stored = c.query(
                &format!("SELECT cells FROM cell_sets WHERE report_id = $1{lock}"),
                &[id.into()],
            )?;
            let text = value.map(|v| v.to_string());
            let cells = crate::cellset::with_value(
                stored.first().map_or("[]", |r| r.str(0)),
                key,
                text.as_deref(),
            )
            .map_err(|e| StoreError::Corrupt(format!("报告 {id}: {e}")))?;
            if stored.is_empty() {
                c.exec(
                    "INSERT INTO cell_sets (report_id, cells) VALUES ($1, $2)",
                    &[id.into(), cells.into()],
                )?;
            } else {
                c.exec(
                    "UPDATE cell_sets SET cells = $1 WHERE report_id = $2",
                    &[cells.into(), id.into()],
                )?;
            }
            replace_findings(c, id, &findings)?;
            crate::figures::put(c, id, &report, &findings)?;
            c.exec(
                "INSERT INTO corrections (report_id, kind, key, old, new, reason, user_name, at) VALUES ($1, 'correct', $2, $3, $4, $5, $6, $7)",
                &[id.into(), key.into(), old.map(|v| v.to_string()).into(), value.map(|v| v.to_string()).into(), reason.into(), user.into(), now().into()],
            )?;
            if let Some(a) = agency {
                c.exec("UPDATE agencies SET dirty = 1 WHERE id = $1", &[a.into()])?;
            }
            Ok(())
        })?;
        self.refresh_cross()?;
        self.findings(id)
    }

    /// Records that a finding is accepted as it is (the report is right as printed).
    pub fn accept(
        &mut self,
        id: i64,
        finding: &str,
        reason: &str,
        user: &str,
    ) -> Result<(), StoreError> {
        if reason.trim().is_empty() {
            return Err(StoreError::Rejected(
                "请填写理由 (a reason is required)".into(),
            ));
        }
        let exists = !self
            .conn()
            .query("SELECT 1 FROM reports WHERE id = $1", &[id.into()])?
            .is_empty();
        if !exists {
            return Err(StoreError::NotFound(format!(
                "没有编号为 {id} 的报告 (no report {id})"
            )));
        }
        let found = self.findings(id)?;
        let Some(f) = found.iter().find(|f| finding_key(f) == finding) else {
            return Err(StoreError::Rejected(
                "该报告没有这条问题 (no such finding)".into(),
            ));
        };
        // The finding's message as it was accepted is kept with it (in `new`): a later
        // correction may make the finding go away, and the history still says what it was.
        self.conn().exec(
            "INSERT INTO corrections (report_id, kind, key, new, reason, user_name, at) VALUES ($1, 'accept', $2, $3, $4, $5, $6)",
            &[id.into(), finding.into(), f.message_zh.as_str().into(), reason.into(), user.into(), now().into()],
        )?;
        Ok(())
    }

    /// A reviewer picks one of the readings an ambiguous row allows (`Finding::alternatives`,
    /// by index; 0 is the one extracted): the cells that differ are corrected, each with the
    /// history of a correction, and the finding is marked as settled.
    pub fn choose(
        &mut self,
        id: i64,
        finding: &str,
        index: usize,
        user: &str,
    ) -> Result<(), StoreError> {
        let found = self.findings(id)?;
        let Some(f) = found.iter().find(|f| finding_key(f) == finding).cloned() else {
            return Err(StoreError::Rejected(
                "该报告没有这条问题 (no such finding)".into(),
            ));
        };
        let Some(pick) = f.alternatives.get(index) else {
            return Err(StoreError::Rejected(format!(
                "这条问题没有第 {} 种读法 (no such reading)",
                index + 1
            )));
        };
        if pick.len() != f.cells.len() {
            return Err(StoreError::Rejected(
                "读法与单元格数不符 (reading does not fit the cells)".into(),
            ));
        }
        let shown: Vec<&str> = pick
            .iter()
            .map(|v| if v.is_empty() { "—" } else { v.as_str() })
            .collect();
        let reason = format!("选用另一种读法：{}", shown.join("|"));
        let current = self.report(id)?.ok_or_else(|| {
            StoreError::NotFound(format!("没有编号为 {id} 的报告 (no report {id})"))
        })?;
        for (key, text) in f.cells.iter().zip(pick) {
            let value = if text.is_empty() {
                None
            } else {
                Some(crate::store::parse_num(text).ok_or_else(|| {
                    StoreError::Rejected(format!("“{text}”不是数字 (not a number)"))
                })?)
            };
            if current.report.value(key) != value {
                self.correct(id, key, value, &reason, user)?;
            }
        }
        // A correction settles the doubt (the checks run again without it); keeping the
        // extracted reading is an acceptance of the finding.
        if self.findings(id)?.iter().any(|f| finding_key(f) == finding) {
            self.accept(id, finding, &reason, user)?;
        }
        Ok(())
    }

    /// The values a report had before any correction, for exports that show them.
    pub fn originals(&mut self, id: i64) -> Result<Vec<(String, Option<String>)>, StoreError> {
        // The first correction of each key holds the value as extracted.
        Ok(self
            .conn()
            .query(
                "SELECT key, old FROM corrections WHERE report_id = $1 AND kind = 'correct' AND id IN \
                 (SELECT MIN(id) FROM corrections WHERE report_id = $1 AND kind = 'correct' GROUP BY key)",
                &[id.into()],
            )?
            .iter()
            .map(|r| (r.str(0).to_string(), r.text(1).map(str::to_string)))
            .collect())
    }
}

fn replace_findings(c: &mut dyn Conn, id: i64, findings: &[Finding]) -> Result<(), StoreError> {
    c.exec(
        "DELETE FROM findings WHERE report_id = $1 AND origin = 'report'",
        &[id.into()],
    )?;
    c.insert_rows(
        "findings",
        &FINDING_COLUMNS,
        &finding_rows(id, "report", findings),
    )?;
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count() as i64;
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count() as i64;
    c.exec(
        "UPDATE reports SET errors = $1, warnings = $2 WHERE id = $3",
        &[errors.into(), warnings.into(), id.into()],
    )?;
    Ok(())
}

/// Unix seconds as China Standard Time (UTC+8, no daylight saving), ISO 8601:
/// `2026-11-30T16:58:36+08:00`.
pub fn beijing_time(unix: i64) -> String {
    let t = unix + 8 * 3600;
    let secs = t.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}+08:00",
        nianbao_model::Date::from_days(t.div_euclid(86_400)),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Today's date in China Standard Time.
pub fn beijing_today() -> nianbao_model::Date {
    nianbao_model::Date::from_days((unix_now() + 8 * 3600).div_euclid(86_400))
}

pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The columns of a list's rows, read by [`summary`].
const SUMMARY: &str = "SELECT r.id, r.agency_id, COALESCE(a.name, r.agency_name, ''), \
    COALESCE(a.region, ''), COALESCE(a.level, ''), r.year, r.template, r.version, r.errors, r.warnings \
    FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id";

/// A row of the list queries as a summary.
fn summary(r: &crate::db::Row) -> Summary {
    Summary {
        id: r.int(0).unwrap_or(0),
        agency_id: r.int(1),
        agency: r.str(2).to_string(),
        region: r.str(3).to_string(),
        level: r.str(4).to_string(),
        year: r.int(5),
        template: r.str(6).to_string(),
        version: r.int(7).unwrap_or(1),
        errors: r.int(8).unwrap_or(0),
        warnings: r.int(9).unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn unix_seconds_in_china_standard_time() {
        // Checked with Python's datetime.fromtimestamp(t, UTC+8).
        for (t, want) in [
            (0, "1970-01-01T08:00:00+08:00"),
            (1_796_025_408, "2026-11-30T15:56:48+08:00"),
            (1_709_182_800, "2024-02-29T13:00:00+08:00"),
            (951_782_400, "2000-02-29T08:00:00+08:00"),
        ] {
            assert_eq!(super::beijing_time(t), want);
        }
    }
}
