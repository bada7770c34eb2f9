//! A small HTTP/1.1 client over one keep-alive TCP connection, enough for
//! the tests and the load generator that talk to the real server binary:
//! JSON requests with cookies and the CSRF header; `Content-Length` and
//! chunked answers. No dependency beyond tokio.

use std::io;
use std::net::SocketAddr;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// An answer: status, headers (lower-case names) and body.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    /// The first header of that (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`Null` when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// One connection to the server.
pub struct Conn {
    addr: SocketAddr,
    stream: Option<BufReader<TcpStream>>,
}

impl Conn {
    /// A connection to `addr`, opened on first use.
    pub fn new(addr: SocketAddr) -> Conn {
        Conn { addr, stream: None }
    }

    /// Sends a request and reads the whole answer; reconnects once when a
    /// kept-alive connection turns out closed.
    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> io::Result<Answer> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.addr);
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        let body = body.unwrap_or("");
        if !body.is_empty() || method != "GET" {
            head.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        let reused = self.stream.is_some();
        match self.exchange(&head, body).await {
            Err(e)
                if reused
                    && matches!(
                        e.kind(),
                        io::ErrorKind::UnexpectedEof | io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset
                    ) =>
            {
                self.stream = None;
                self.exchange(&head, body).await
            }
            other => other,
        }
    }

    async fn exchange(&mut self, head: &str, body: &str) -> io::Result<Answer> {
        if self.stream.is_none() {
            let s = TcpStream::connect(self.addr).await?;
            s.set_nodelay(true)?;
            self.stream = Some(BufReader::new(s));
        }
        let result = self.exchange_on_stream(head, body).await;
        if result.is_err() {
            self.stream = None;
        }
        result
    }

    async fn exchange_on_stream(&mut self, head: &str, body: &str) -> io::Result<Answer> {
        let stream = self.stream.as_mut().expect("connected");
        stream.get_mut().write_all(head.as_bytes()).await?;
        stream.get_mut().write_all(body.as_bytes()).await?;
        let mut line = String::new();
        if stream.read_line(&mut line).await? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, format!("status line: {line:?}")))?;
        let mut headers = vec![];
        loop {
            line.clear();
            if stream.read_line(&mut line).await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let get = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        let mut body = vec![];
        if get("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
            loop {
                line.clear();
                stream.read_line(&mut line).await?;
                let size = usize::from_str_radix(line.trim(), 16)
                    .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "chunk size"))?;
                let mut chunk = vec![0; size + 2];
                stream.read_exact(&mut chunk).await?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else if let Some(len) = get("content-length").and_then(|v| v.parse::<usize>().ok()) {
            body.resize(len, 0);
            stream.read_exact(&mut body).await?;
        }
        if get("connection").is_some_and(|v| v.eq_ignore_ascii_case("close")) {
            self.stream = None;
        }
        Ok(Answer { status, headers, body })
    }
}

/// A signed-in user of a real server: cookie and CSRF token.
#[derive(Debug, Clone)]
pub struct Login {
    pub cookie: String,
    pub csrf: String,
}

impl Login {
    /// Signs in with email and password.
    pub async fn sign_in(conn: &mut Conn, email: &str, password: &str) -> io::Result<Login> {
        let body = serde_json::json!({ "email": email, "password": password }).to_string();
        let a = conn.send("POST", "/api/v1/session", &[], Some(&body)).await?;
        if a.status != 200 {
            return Err(io::Error::other(format!(
                "sign-in of {email}: {} {}",
                a.status,
                String::from_utf8_lossy(&a.body)
            )));
        }
        let cookie = a.header("set-cookie").unwrap_or("").split(';').next().unwrap_or("").to_string();
        let csrf = a.header("x-csrf-token").unwrap_or("").to_string();
        Ok(Login { cookie, csrf })
    }

    /// The headers of a request made by this user.
    pub fn headers(&self) -> [(&str, &str); 2] {
        [("Cookie", self.cookie.as_str()), ("X-CSRF-Token", self.csrf.as_str())]
    }

    /// The id of the account named `name` among this user's memberships.
    pub async fn account_id(&self, conn: &mut Conn, name: &str) -> io::Result<i64> {
        let session = conn.send("GET", "/api/v1/session", &self.headers(), None).await?.json();
        session["memberships"]
            .as_array()
            .and_then(|all| all.iter().find(|m| m["account_name"] == name))
            .and_then(|m| m["account_id"].as_i64())
            .ok_or_else(|| io::Error::other(format!("no membership in {name}")))
    }
}
