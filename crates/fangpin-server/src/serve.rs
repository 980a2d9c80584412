//! The accept loop: hyper's HTTP/1 connections with limits, serving the axum [`Router`].
//!
//! `axum::serve` keeps a connection open as long as the client likes: half a request line, a silent
//! socket or a client that stops reading its answer each held a connection forever, and 1,100 of them
//! from one client made the site time out for everyone. Here every connection has to keep moving:
//!
//! * the request head (line and headers) must arrive within [`Limits::header_timeout`] of the moment the
//!   server starts waiting for it — right after accepting, and after each answer on a kept-alive
//!   connection, so the same limit closes idle keep-alive connections (hyper's `header_read_timeout`,
//!   a deadline for the whole head, not per byte);
//! * an answer the client does not read closes the connection when no byte of it could be written for
//!   [`Limits::write_timeout`] ([`WriteDeadline`]);
//! * request bodies have their own total deadline where they are read (`reports::ApiOptions::body_timeout`);
//! * at most [`Limits::max_connections`] are served at once. The loop takes a slot before it accepts,
//!   so when all are held, new connections wait in the kernel's accept backlog instead of being
//!   accepted and starved.
//!
//! On shutdown the loop stops accepting, lets each connection finish the request it is in (idle ones
//! close at once), and gives up on stragglers after [`Limits::shutdown_grace`].

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;
use tokio::time::Sleep;
use tower::ServiceExt;

/// Connection limits (`docs/report-api.md`, "Limits").
#[derive(Debug, Clone)]
pub struct Limits {
    /// For the request head, from accept or from the end of the previous answer (so also the idle keep-alive limit).
    pub header_timeout: Duration,
    /// Longest time without writing a byte of an answer (the client stopped reading).
    pub write_timeout: Duration,
    /// Connections served at once; more wait in the accept backlog.
    pub max_connections: usize,
    /// After a shutdown signal, how long open requests may take to finish.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
            max_connections: 512,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then drains (see the module documentation).
/// Each request carries the peer's address as [`ConnectInfo<SocketAddr>`].
pub async fn serve(listener: TcpListener, app: Router, limits: Limits, shutdown: impl Future<Output = ()>) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    loop {
        // A slot first, then accept: while all slots are held, nothing more is accepted.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        while connections.try_join_next().is_some() {}
        connections.spawn(connection(stream, peer, app.clone(), limits.clone(), stop_rx.clone(), slot));
    }
    drop(listener);
    let _ = stop_tx.send(true);
    while connections.try_join_next().is_some() {}
    let open = connections.len();
    if open > 0 {
        crate::log_line!(
            "fangpin-server: shutting down: finishing {open} open connection(s), at most {} s",
            limits.shutdown_grace.as_secs()
        );
    }
    let drained = tokio::time::timeout(limits.shutdown_grace, async { while connections.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        crate::log_line!("fangpin-server: shutting down: {} connection(s) did not finish in time; closed", connections.len());
        connections.abort_all();
    }
}

/// A failed accept: a connection that went away before it was accepted is nothing; running out of
/// file descriptors (or buffers) must not become a busy loop, so wait a little.
async fn accept_failed(e: io::Error) {
    use io::ErrorKind::*;
    if matches!(e.kind(), ConnectionAborted | ConnectionReset | ConnectionRefused | Interrupted) {
        return;
    }
    crate::log_line!("fangpin-server: accept: {e}; retrying in 100 ms");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
    _slot: OwnedSemaphorePermit,
) {
    let _ = stream.set_nodelay(true);
    let io = TokioIo::new(WriteDeadline::new(stream, limits.write_timeout));
    let service = app.map_request(move |mut req: Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        req.map(Body::new)
    });
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).keep_alive(true);
    let mut conn = pin!(builder.serve_connection(io, TowerToHyperService::new(service)));
    // Errors here are the client's (a timeout, a reset, a malformed head hyper already answered): not logged.
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = stop.wait_for(|stopping| *stopping) => {}
    }
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}

/// A socket whose writes fail with `TimedOut` once a write has waited `limit` without any progress, so a
/// client that stops reading its answer frees its connection. Reads pass through (their limits are the
/// header and body timeouts).
pub struct WriteDeadline {
    io: TcpStream,
    limit: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
}

impl WriteDeadline {
    pub fn new(io: TcpStream, limit: Duration) -> WriteDeadline {
        WriteDeadline { io, limit, stalled: None }
    }

    fn watch<T>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let limit = self.limit;
        let stalled = self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match stalled.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "the client stopped reading"))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for WriteDeadline {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl AsyncWrite for WriteDeadline {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.io).poll_write(cx, buf);
        self.watch(cx, poll)
    }

    fn poll_write_vectored(mut self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.watch(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.io).poll_flush(cx);
        self.watch(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.io).poll_shutdown(cx);
        self.watch(cx, poll)
    }
}
