//! The change log as CSV: `GET /audit.csv` with the audit page's filters, streamed a
//! chunk of entries at a time, so memory stays bounded however long the log is.
use app::domain::time::rfc3339;
use app::model::audit::{AuditEntry, AuditFilter, AuditQuery};
use app::model::user::Role;
use app::server::auth::Session;
use app::server::db::{self, audit::Cursor};
use app::server::AppState;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::stream::{self, StreamExt};

/// Entries read per query; each chunk is sent before the next one is read, and no
/// connection is held while the client downloads.
const CHUNK: i64 = 500;

const COLUMNS: [&str; 8] = [
    "id",
    "time_utc",
    "user",
    "from",
    "action",
    "object_kind",
    "object_name",
    "changes",
];

pub async fn export(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Response {
    // The session guard has refused anonymous callers already; this holds on its own.
    let Some(Extension(session)) = session else {
        return (StatusCode::UNAUTHORIZED, "sign in first").into_response();
    };
    if !session.user.can(Role::Viewer) {
        return (StatusCode::FORBIDDEN, "your role does not allow this").into_response();
    }
    let Ok(Query(query)) = query else {
        return (StatusCode::BAD_REQUEST, "the filters are malformed").into_response();
    };
    let filter = match query.parse() {
        Ok(filter) => AuditFilter {
            without_secrets: !session.user.can(Role::Admin),
            ..filter
        },
        Err(errors) => return (StatusCode::UNPROCESSABLE_ENTITY, errors.to_string()).into_response(),
    };
    tracing::info!(user = %session.user.username, addr = %session.client_addr, "audit log exported");
    let pool = state.db.clone();
    let chunks = stream::unfold(Some(Cursor::Newest), move |cursor| {
        let (pool, filter) = (pool.clone(), filter.clone());
        async move {
            let entries = match db::audit::entries(&pool, &filter, cursor?, CHUNK).await {
                Ok(entries) => entries,
                // The status is sent already: cutting the body short marks the failure.
                Err(e) => return Some((Err(e), None)),
            };
            let next = match entries.last() {
                Some(last) if entries.len() as i64 == CHUNK => Some(Cursor::Before(last.id)),
                _ => None,
            };
            let mut chunk = String::with_capacity(entries.len() * 160);
            for e in &entries {
                record(&mut chunk, &row(e));
            }
            Some((Ok(chunk), next))
        }
    });
    let mut head = String::new();
    record(&mut head, &COLUMNS);
    let body = Body::from_stream(stream::once(async { Ok(head) }).chain(chunks));
    let day = rfc3339(db::now()).chars().take(10).collect::<String>();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"owlery-audit-{day}.csv\""),
            ),
        ],
        body,
    )
        .into_response()
}

fn row(e: &AuditEntry) -> [String; 8] {
    [
        e.id.to_string(),
        rfc3339(e.at),
        e.actor.clone(),
        e.client_addr.clone(),
        e.action.clone(),
        e.object_kind.clone(),
        e.object_name.clone(),
        e.change_texts().join("\n"),
    ]
}

/// Appends one CSV record (RFC 4180: comma-separated, CRLF-terminated).
pub fn record<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, value) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, value.as_ref());
    }
    out.push_str("\r\n");
}

/// Appends one field: a cell a spreadsheet would run as a formula gets a leading `'`,
/// and a field holding a quote, comma or line break is quoted, its quotes doubled.
fn field(out: &mut String, value: &str) {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = formula || value.contains(['"', ',', '\n', '\r']);
    if quote {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    out.push_str(&value.replace('"', "\"\""));
    if quote {
        out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(fields: &[&str]) -> String {
        let mut out = String::new();
        record(&mut out, fields);
        out
    }

    #[test]
    fn plain_fields_are_written_as_they_are() {
        assert_eq!(line(&["1", "alice", "host"]), "1,alice,host\r\n");
        assert_eq!(line(&[""]), "\r\n");
    }

    #[test]
    fn quotes_commas_and_line_breaks_are_quoted() {
        assert_eq!(line(&[r#"say "hi""#]), "\"say \"\"hi\"\"\"\r\n");
        assert_eq!(line(&["a,b", "c"]), "\"a,b\",c\r\n");
        assert_eq!(
            line(&["two\nlines", "cr\rhere"]),
            "\"two\nlines\",\"cr\rhere\"\r\n"
        );
    }

    #[test]
    fn cells_that_look_like_formulas_are_neutralised() {
        for cell in ["=1+2", "+1", "-1", "@SUM(A1)", "\tx"] {
            let out = line(&[cell]);
            assert!(out.starts_with("\"'"), "{cell:?} -> {out:?}");
        }
        assert_eq!(
            line(&[r#"=HYPERLINK("http://x","y")"#]),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n"
        );
        assert_eq!(line(&["a=b"]), "a=b\r\n", "only a leading sign counts");
    }
}
