//! Request bodies are refused over their limit before the server reads them: a small
//! limit for every server function, a larger one for the few that take a file.
use crate::common;

use app::api::hosts::CreateHost;
use app::api::inventory::PreviewImport;
use app::model::user::Role;
use common::{peak_rss_kib, spawn, PASSWORD};
use leptos::server_fn::ServerFn;
use server::body_limit::{FILES, SMALL};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Signs `name` in and returns the session cookie's `name=value`.
async fn session_cookie(app: &common::TestApp, name: &str) -> String {
    app.add_user(name, Role::Admin).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let res = client
        .post(app.url("/auth/login"))
        .form(&[("username", name), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    let cookie = res.headers()["set-cookie"].to_str().expect("cookie").to_owned();
    cookie.split(';').next().expect("name=value").to_owned()
}

/// Sends `head`, then up to 1 GiB of body in 1 MiB pieces (as chunks when `chunked`)
/// for as long as the server reads, and returns the status line it answered with.
async fn send_a_gigabyte(app: &common::TestApp, head: String, chunked: bool) -> String {
    let stream = tokio::net::TcpStream::connect(app.addr).await.expect("connect");
    let (mut read, mut write) = stream.into_split();
    let writer = tokio::spawn(async move {
        write.write_all(head.as_bytes()).await?;
        let piece = vec![b'a'; 1024 * 1024];
        for _ in 0..1024 {
            if chunked {
                write
                    .write_all(format!("{:x}\r\n", piece.len()).as_bytes())
                    .await?;
                write.write_all(&piece).await?;
                write.write_all(b"\r\n").await?;
            } else {
                write.write_all(&piece).await?;
            }
        }
        Ok::<_, std::io::Error>(())
    });
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !answer.windows(2).any(|w| w == b"\r\n") {
        let n = read.read(&mut buf).await.expect("an answer");
        assert!(n > 0, "the server closed without answering");
        answer.extend_from_slice(&buf[..n]);
    }
    writer.abort();
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_gigabyte_posted_to_a_server_function_is_refused_unread() {
    let app = spawn().await;
    let cookie = session_cookie(&app, "vera").await;
    let before = peak_rss_kib();
    for chunked in [false, true] {
        let length = if chunked {
            "Transfer-Encoding: chunked".to_owned()
        } else {
            format!("Content-Length: {}", 1u64 << 30)
        };
        let head = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\nAccept: application/json\r\n\
             Content-Type: application/x-www-form-urlencoded\r\n{length}\r\n\r\n",
            CreateHost::PATH,
            app.addr
        );
        let status = send_a_gigabyte(&app, head, chunked).await;
        assert!(status.contains(" 413 "), "chunked={chunked}: {status}");
    }
    let grown_mib = (peak_rss_kib() - before) / 1024;
    assert!(grown_mib <= 16, "refusing the bodies took {grown_mib} MiB");
}

#[tokio::test]
async fn a_body_just_over_its_limit_is_refused_with_a_message_and_one_under_it_goes_through() {
    let app = spawn().await;
    app.sign_in_as("olga", Role::Admin).await;
    let over = "x".repeat(SMALL);
    let res = app.call(CreateHost::PATH, &[("host[name]", &over)]).await;
    assert_eq!(res.status(), 413);
    let message = res.text().await.unwrap();
    assert_eq!(
        message,
        format!("the request is too large: at most {} KiB here", SMALL / 1024)
    );
    // An inventory file larger than the small limit is still read (and refused on its
    // merits, not its size).
    let file = format!("# {}\n[[hosts]]\nname = \"bad name!\"\n", "x".repeat(SMALL));
    assert!(file.len() < FILES);
    let res = app
        .call(PreviewImport::PATH, &[("import[document]", &file)])
        .await;
    assert_ne!(res.status(), 413, "{}", res.text().await.unwrap_or_default());
}
