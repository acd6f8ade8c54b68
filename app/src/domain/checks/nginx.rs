//! HSTS across nginx's virtual hosts, read from `nginx -T` (the whole configuration as
//! nginx loaded it): every TLS virtual host of a domain must send the same header.
use super::{Finding, ObjectKind, Severity};

/// One `server { }` block: its names, whether it serves TLS, its HSTS header, and the
/// locations whose own `add_header` lines make nginx drop the server's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VirtualHost {
    pub names: Vec<String>,
    pub tls: bool,
    pub hsts: Option<String>,
    pub hsts_dropped_in: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Open,
    Close,
    End,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '{' => out.push(Token::Open),
            '}' => out.push(Token::Close),
            ';' => out.push(Token::End),
            '"' | '\'' => {
                let word: String = chars.by_ref().take_while(|d| *d != c).collect();
                out.push(Token::Word(word));
            }
            c if c.is_whitespace() => {}
            c => {
                let mut word = c.to_string();
                while let Some(&d) = chars.peek() {
                    if d.is_whitespace() || "{};\"'".contains(d) {
                        break;
                    }
                    word.push(d);
                    chars.next();
                }
                out.push(Token::Word(word));
            }
        }
    }
    out
}

/// The `server` blocks of an `nginx -T` output.
pub fn virtual_hosts(text: &str) -> Vec<VirtualHost> {
    let mut hosts = Vec::new();
    // The block stack: each entry is the directive that opened it.
    let mut stack: Vec<String> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut current: Option<VirtualHost> = None;
    // Per open location: its name and whether it has add_header lines, and HSTS among them.
    let mut location: Option<(String, bool, bool)> = None;
    for t in tokens(text) {
        match t {
            Token::Word(w) => words.push(w),
            Token::Open => {
                let head = words.first().cloned().unwrap_or_default();
                if head == "server" && stack.last().map(String::as_str) == Some("http") {
                    current = Some(VirtualHost::default());
                }
                if head == "location" && current.is_some() && location.is_none() {
                    location = Some((words[1..].join(" "), false, false));
                }
                stack.push(head);
                words.clear();
            }
            Token::Close => {
                match stack.pop().as_deref() {
                    Some("location") if stack.last().map(String::as_str) == Some("server") => {
                        if let (Some((name, headers, hsts)), Some(vh)) = (location.take(), current.as_mut()) {
                            if headers && !hsts {
                                vh.hsts_dropped_in.push(name);
                            }
                        }
                    }
                    Some("server") if stack.last().map(String::as_str) == Some("http") => {
                        hosts.extend(current.take());
                    }
                    _ => {}
                }
                words.clear();
            }
            Token::End => {
                let directive = std::mem::take(&mut words);
                let Some(vh) = current.as_mut() else { continue };
                let in_server = stack.last().map(String::as_str) == Some("server");
                match directive.first().map(String::as_str) {
                    Some("server_name") if in_server => vh.names.extend(directive[1..].iter().cloned()),
                    Some("listen") if in_server => {
                        vh.tls |= directive[1..].iter().any(|w| w == "ssl" || w.ends_with("443"))
                    }
                    Some("ssl_certificate") if in_server => vh.tls = true,
                    Some("add_header") => {
                        let is_hsts = directive
                            .get(1)
                            .is_some_and(|h| h.eq_ignore_ascii_case("Strict-Transport-Security"));
                        if in_server && is_hsts {
                            vh.hsts = directive.get(2).map(|v| normalise(v));
                        } else if let Some(loc) = location.as_mut() {
                            loc.1 = true;
                            loc.2 |= is_hsts;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    hosts
}

/// `max-age=63072000; includeSubDomains` and `max-age=63072000;includesubdomains` mean
/// the same to a browser.
fn normalise(v: &str) -> String {
    let mut parts: Vec<String> = v
        .split(';')
        .map(|p| p.trim().to_ascii_lowercase().replace(' ', ""))
        .filter(|p| !p.is_empty())
        .collect();
    parts.sort();
    parts.join("; ")
}

/// The domain a name belongs to: the shortest other served name it is a subdomain of.
fn domain_of<'a>(name: &'a str, all: &[&'a str]) -> &'a str {
    all.iter()
        .copied()
        .filter(|d| name.ends_with(&format!(".{d}")))
        .min_by_key(|d| d.len())
        .unwrap_or(name)
}

/// HSTS that differs between the TLS virtual hosts of one domain, and locations whose
/// own add_header lines silently drop the server's HSTS.
pub fn hsts(text: &str, out: &mut Vec<Finding>) {
    let hosts: Vec<VirtualHost> = virtual_hosts(text).into_iter().filter(|h| h.tls).collect();
    let names: Vec<&str> = hosts
        .iter()
        .flat_map(|h| h.names.iter().map(String::as_str))
        .filter(|n| *n != "_" && !n.starts_with('*') && !n.starts_with('~'))
        .collect();
    let mut domains: Vec<&str> = names.iter().map(|n| domain_of(n, &names)).collect();
    domains.sort();
    domains.dedup();
    for domain in domains {
        let members: Vec<(&str, Option<&str>)> = hosts
            .iter()
            .flat_map(|h| h.names.iter().map(move |n| (n.as_str(), h.hsts.as_deref())))
            .filter(|(n, _)| names.contains(n) && domain_of(n, &names) == domain)
            .collect();
        let mut values: Vec<Option<&str>> = members.iter().map(|(_, v)| *v).collect();
        values.sort();
        values.dedup();
        if values.len() < 2 {
            continue;
        }
        let listed: Vec<String> = members
            .iter()
            .map(|(n, v)| format!("{n}: {}", v.unwrap_or("none")))
            .collect();
        let mut f = Finding::new(
            "hsts-inconsistent",
            Severity::Error,
            format!("The virtual hosts of {domain} send different HSTS headers ({}).", listed.join("; ")),
        )
        .why("Browsers remember HSTS per host, and includeSubDomains on one host binds the others: resources on a host with another policy break or load insecurely, and a fix takes max-age to reach everyone (the article hit this).")
        .fix(format!(
            "Send one header on every TLS server block of {domain}, e.g. `add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;`, then `nginx -t && systemctl reload nginx`."
        ));
        for (n, _) in &members {
            f = f.on(ObjectKind::VirtualHost, n);
        }
        out.push(f);
    }
    for h in hosts.iter().filter(|h| h.hsts.is_some()) {
        let name = h.names.first().map(String::as_str).unwrap_or("_");
        for loc in &h.hsts_dropped_in {
            out.push(
                Finding::new(
                    "hsts-dropped-in-location",
                    Severity::Warning,
                    format!("location {loc} on {name} has its own add_header lines and no HSTS."),
                )
                .on(ObjectKind::VirtualHost, name)
                .why("nginx inherits add_header only when a block has none of its own: responses from this location go out without HSTS, which is how one site ends up with two policies.")
                .fix(format!("Repeat the Strict-Transport-Security add_header inside location {loc} (or move the other headers to an included snippet used everywhere).")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONSISTENT: &str = r#"# configuration file /etc/nginx/nginx.conf:
http {
    server { listen 80; server_name social.example media.social.example; return 301 https://$host$request_uri; }
    server {
        listen 443 ssl http2;
        server_name social.example;
        add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;
        location / { proxy_pass http://[fd00:6f77::1]:3000; }
    }
    # configuration file /etc/nginx/sites-enabled/media:
    server {
        listen [::]:443 ssl;
        server_name media.social.example;
        add_header Strict-Transport-Security 'max-age=63072000;includesubdomains';
        location / { proxy_pass http://[fd00:6f77::2]:9000; }
    }
}
"#;

    fn run(text: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        hsts(text, &mut out);
        out
    }

    #[test]
    fn the_same_policy_on_every_virtual_host_passes() {
        assert_eq!(run(CONSISTENT), vec![]);
        let hosts = virtual_hosts(CONSISTENT);
        assert_eq!(hosts.len(), 3);
        assert!(!hosts[0].tls && hosts[1].tls && hosts[2].tls);
    }

    #[test]
    fn a_virtual_host_without_hsts_is_caught_with_both_names() {
        let text = CONSISTENT.replace(
            "add_header Strict-Transport-Security 'max-age=63072000;includesubdomains';",
            "",
        );
        let found = run(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, "hsts-inconsistent");
        assert_eq!(
            found[0].message,
            "The virtual hosts of social.example send different HSTS headers (social.example: \
             includesubdomains; max-age=63072000; media.social.example: none)."
        );
    }

    #[test]
    fn a_location_with_its_own_headers_drops_hsts() {
        let text = CONSISTENT.replace(
            "location / { proxy_pass http://[fd00:6f77::1]:3000; }",
            "location /api { add_header X-Frame-Options DENY; proxy_pass http://x; }",
        );
        let found = run(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, "hsts-dropped-in-location");
        assert_eq!(
            found[0].message,
            "location /api on social.example has its own add_header lines and no HSTS."
        );
    }
}
