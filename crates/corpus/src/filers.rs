//! Who files for which agency (schema 12): a user of role `agency` is bound to one agency,
//! or to several where a county office files for its townships, and sees and files only
//! their reports; its tasks are the campaigns that call on them. And the letters
//! (审查意见书) taken for each report, for its timeline.

use crate::campaigns::{Campaign, Entry};
use crate::db::transaction;
use crate::review::{Role, User};
use crate::{Store, StoreError};

pub(crate) const TABLE: &str = "
CREATE TABLE user_agencies (
    user_id BIGINT NOT NULL REFERENCES users (id),
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    PRIMARY KEY (user_id, agency_id)
);
CREATE TABLE letters (
    id {id},
    report_id BIGINT NOT NULL REFERENCES reports (id),
    format TEXT NOT NULL,
    user_name TEXT NOT NULL,
    role TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX letters_report ON letters (report_id);
";

/// A 审查意见书 made for a report: who took it (a reviewer to send, the agency to read), when.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Letter {
    pub format: String,
    pub user: String,
    #[serde(serialize_with = "role_name")]
    pub role: Role,
    /// China Standard Time.
    pub at: String,
}

/// A campaign that calls on one of a user's agencies, with where that agency stands.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Task {
    pub campaign: Campaign,
    pub entry: Entry,
}

fn role_name<S: serde::Serializer>(r: &Role, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(r.as_str())
}

impl Store {
    /// Binds user `id` to the agencies printed as `names` (each found as any report names
    /// it, or made to wait for its first report), replacing earlier bindings. An empty list
    /// is refused: an agency user bound to nothing could file nothing.
    pub fn bind_agencies(
        &mut self,
        id: i64,
        names: &[String],
    ) -> Result<Vec<(i64, String)>, StoreError> {
        let names: Vec<&str> = names
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .collect();
        if names.is_empty() {
            return Err(StoreError::Rejected(
                "报送单位账号须指定所属机构 (an agency user needs its agency)".into(),
            ));
        }
        transaction(self.conn(), |c| {
            c.exec("DELETE FROM user_agencies WHERE user_id = $1", &[id.into()])?;
            for name in &names {
                let agency = crate::store::resolve_agency(c, name, "", "")?;
                c.exec(
                    "INSERT INTO user_agencies (user_id, agency_id) SELECT $1, $2 WHERE NOT EXISTS \
                     (SELECT 1 FROM user_agencies WHERE user_id = $1 AND agency_id = $2)",
                    &[id.into(), agency.into()],
                )?;
            }
            Ok(())
        })?;
        self.agencies_of(id)
    }

    /// The agencies user `id` files for (id, name), by name.
    pub fn agencies_of(&mut self, id: i64) -> Result<Vec<(i64, String)>, StoreError> {
        Ok(self
            .conn()
            .query(
                "SELECT a.id, a.name FROM user_agencies u JOIN agencies a ON a.id = u.agency_id \
                 WHERE u.user_id = $1 ORDER BY a.name, a.id",
                &[id.into()],
            )?
            .iter()
            .map(|r| (r.int(0).unwrap_or(0), r.str(1).to_string()))
            .collect())
    }

    /// `user` with its agencies, when it files for agencies.
    pub(crate) fn with_agencies(&mut self, mut user: User) -> Result<User, StoreError> {
        if user.role == Role::Agency {
            user.agencies = self.agencies_of(user.id)?;
        }
        Ok(user)
    }

    /// The agency a stored report belongs to (None: no such report, or no agency).
    pub fn report_agency(&mut self, report: i64) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn()
            .query(
                "SELECT agency_id FROM reports WHERE id = $1",
                &[report.into()],
            )?
            .first()
            .and_then(|r| r.int(0)))
    }

    /// Records that `user` took report `id`'s 审查意见书 as `format` (docx, pdf).
    pub fn record_letter(&mut self, id: i64, format: &str, user: &User) -> Result<(), StoreError> {
        let at = crate::review::beijing_time(crate::review::unix_now());
        self.conn().exec(
            "INSERT INTO letters (report_id, format, user_name, role, at) VALUES ($1, $2, $3, $4, $5)",
            &[id.into(), format.into(), user.name.as_str().into(), user.role.as_str().into(), at.as_str().into()],
        )?;
        Ok(())
    }

    /// The letters taken for report `id`, oldest first.
    pub fn letters(&mut self, id: i64) -> Result<Vec<Letter>, StoreError> {
        Ok(self
            .conn()
            .query(
                "SELECT format, user_name, role, at FROM letters WHERE report_id = $1 ORDER BY id",
                &[id.into()],
            )?
            .iter()
            .map(|r| Letter {
                format: r.str(0).to_string(),
                user: r.str(1).to_string(),
                role: Role::parse(r.str(2)).unwrap_or(Role::Viewer),
                at: r.str(3).to_string(),
            })
            .collect())
    }

    /// Every campaign calling on one of `agencies`, newest year first, with where that
    /// agency stands on `today` (`YYYY-MM-DD`).
    pub fn tasks(&mut self, agencies: &[i64], today: &str) -> Result<Vec<Task>, StoreError> {
        let mut campaigns = self.campaigns()?;
        campaigns.sort_by(|a, b| b.year.cmp(&a.year).then(b.id.cmp(&a.id)));
        let mut tasks = Vec::new();
        for c in campaigns {
            let board = self.board(c.id, today)?;
            for e in board.entries {
                if agencies.contains(&e.agency_id) {
                    tasks.push(Task {
                        campaign: board.campaign.clone(),
                        entry: e,
                    });
                }
            }
        }
        Ok(tasks)
    }
}
