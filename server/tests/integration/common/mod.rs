//! A real Owlery server on a free port with its own fresh database, and a client for it.
use app::model::user::Role;
use app::server::state::Settings;
use app::server::{auth, db, AppState};
use reqwest::{redirect, Client, StatusCode};
use sqlx::SqlitePool;
use std::net::SocketAddr;
use std::sync::Arc;

pub const PASSWORD: &str = "a long test password";

pub struct TestApp {
    pub addr: SocketAddr,
    pub pool: SqlitePool,
    pub state: AppState,
    pub client: Client,
    _dir: tempfile::TempDir,
}

/// A client that keeps cookies and does not follow redirects, so tests see them.
pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .build()
        .expect("http client")
}

pub async fn spawn() -> TestApp {
    spawn_with(Settings::default()).await
}

pub async fn spawn_with(settings: Settings) -> TestApp {
    // Server logs go to the test's captured output, shown when a test fails.
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter("warn,server=info,app=info")
        .try_init();
    // As `owlery` does at start: this process is the server.
    server::memory::return_large_blocks();
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = db::open(&dir.path().join("owlery.db")).await.expect("database");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local addr");
    // The same key handling as `owlery serve`: a fresh master.key in the data directory.
    let master_key = app::server::secrets::master_key_for(dir.path(), None, &pool)
        .await
        .expect("master key");
    let state = AppState {
        leptos_options: server::config::leptos_options(dir.path(), addr),
        db: pool.clone(),
        settings: Arc::new(settings),
        setup: Default::default(),
        master_key: Arc::new(master_key),
        jobs: Arc::new(app::server::jobs::Jobs::new(
            app::server::ssh::RusshRemote::default(),
            app::server::jobs::DEFAULT_OUTPUT_CAP,
        )),
        streams: Default::default(),
    };
    let router = server::startup::router(state.clone());
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .expect("serve");
    });
    TestApp {
        addr,
        pool,
        state,
        client: client(),
        _dir: dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The data directory: the database and its master key.
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub async fn add_user(&self, name: &str, role: Role) {
        let hash = auth::hash_password(PASSWORD.into()).await.expect("hash");
        db::users::create(&self.pool, name, &hash, role)
            .await
            .expect("user");
    }

    /// Creates a user with `role` and signs the test's client in as them.
    pub async fn sign_in_as(&self, name: &str, role: Role) {
        self.add_user(name, role).await;
        let res = self
            .client
            .post(self.url("/auth/login"))
            .form(&[("username", name), ("password", PASSWORD), ("next", "/")])
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/");
    }

    /// Calls a server function the way a hydrated page does (JSON accepted).
    pub async fn call(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.call_as(&self.client, path, form).await
    }

    /// The same, as the user signed in on `client`.
    pub async fn call_as(&self, client: &Client, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        client
            .post(self.url(path))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("server fn call")
    }

    /// Posts a form the way a browser without JavaScript does.
    pub async fn post_plain(&self, path: &str, referer: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", self.url(referer))
            .form(form)
            .send()
            .await
            .expect("form post")
    }

    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let res = self.client.get(self.url(path)).send().await.expect("page");
        let status = res.status();
        (status, res.text().await.expect("body"))
    }
}

pub fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A valid host form for a server function taking `host: HostInput`.
pub fn host_form(name: &str) -> Vec<(String, String)> {
    [
        ("name", name),
        ("provider", "Scaleway"),
        ("plan", "Start1-XS"),
        ("arch", "x86_64"),
        ("vcpus", "1"),
        ("ram_mib", "1024"),
        ("disk_gb", "25"),
        ("ipv4", ""),
        ("ipv6", "2001:db8::21"),
        ("mesh_addr", "fd00:6f77::2"),
        ("ssh_host", "127.0.0.1"),
        ("ssh_port", "2202"),
        ("ssh_user", "root"),
        ("tags", "workers media"),
        ("notes", ""),
        ("version", ""),
    ]
    .into_iter()
    .map(|(k, v)| (format!("host[{k}]"), v.to_owned()))
    .collect()
}

pub fn as_pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

pub fn with(form: &[(String, String)], key: &str, value: &str) -> Vec<(String, String)> {
    form.iter()
        .map(|(k, v)| (k.clone(), if k == key { value.to_owned() } else { v.clone() }))
        .collect()
}

/// Makes host `host` (already in the inventory) reachable as the testbed host `testbed`:
/// its SSH endpoint, the testbed's client key as the identity `testbed` (imported once)
/// and its host key pinned, as an admin would through the pages.
pub async fn reach_testbed(app: &TestApp, host: &str, testbed: &str) {
    use app::model::secret::{SecretDraft, SecretValue};
    use app::server::ssh::keys;
    let var = |name: &str| {
        std::env::var(name)
            .unwrap_or_else(|_| panic!("{name} is not set: start the testbed with `make testbed`"))
    };
    let port: u16 = var("TESTBED_HOSTS")
        .split(',')
        .find_map(|entry| entry.strip_prefix(&format!("{testbed}=")).map(str::to_owned))
        .and_then(|addr| addr.rsplit_once(':')?.1.parse().ok())
        .unwrap_or_else(|| panic!("{testbed} in TESTBED_HOSTS"));
    let read = |name: &str| std::fs::read_to_string(var(name)).expect(name);
    let actor = db::audit::Actor::cli("test");
    let identity = SecretDraft {
        name: "testbed".into(),
        kind: "ssh-private-key".into(),
        description: String::new(),
        value: SecretValue::new(read("TESTBED_KEY")),
    };
    let known: bool = sqlx::query_scalar("SELECT count(*) > 0 FROM secrets WHERE name = 'testbed'")
        .fetch_one(&app.pool)
        .await
        .expect("secrets");
    if !known {
        app::server::secrets::create(&app.pool, &app.state.master_key, &actor, &identity)
            .await
            .expect("identity");
    }
    let pinned = keys::known_hosts(&read("TESTBED_KNOWN_HOSTS"))
        .into_iter()
        .find(|k| {
            k.patterns
                .iter()
                .any(|p| keys::pattern_matches(p, "127.0.0.1", port))
        })
        .expect("known_hosts entry")
        .public_line;
    sqlx::query(
        "UPDATE hosts SET ssh_host = '127.0.0.1', ssh_port = ?, ssh_user = 'root', ssh_identity = 'testbed'
         WHERE name = ?",
    )
    .bind(port)
    .bind(host)
    .execute(&app.pool)
    .await
    .expect("endpoint");
    sqlx::query(
        "INSERT INTO host_keys (host_id, public_key, fingerprint, pinned_by, pinned_at)
         SELECT id, ?, ?, 'test', 0 FROM hosts WHERE name = ?",
    )
    .bind(&pinned)
    .bind(keys::fingerprint(&pinned).expect("fingerprint"))
    .bind(host)
    .execute(&app.pool)
    .await
    .expect("pin");
}

/// The peak resident memory of this test's process (nextest runs each test alone).
pub fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}
