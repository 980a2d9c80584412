//! Answers streamed from SQLite: a blocking task reads row by row and sends chunks through a small
//! bounded channel into the response body, so memory stays flat however large the table is (the
//! staff list used to build 1000 rows in memory, the CSV one string: 20 large rows took 5.9 GB).
//!
//! A failure before the first chunk is an ordinary 500; after it, the status is already sent, so the
//! body ends with an error and the connection is cut: the client sees an incomplete transfer, never a
//! short file that looks whole. A client that stops reading fills the channel, which blocks the task
//! until the connection's write deadline closes it (`serve::WriteDeadline`); then the task stops.

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum::body::{Body, Bytes};
use hyper::body::Frame;
use tokio::sync::{mpsc, oneshot};

use super::error::ApiError;

/// Chunks waiting between the reader and the connection (each at most one row, or ~64 KiB of CSV).
const IN_FLIGHT: usize = 4;

enum Chunk {
    Data(Bytes),
    End,
}

/// Why the producer stopped early.
pub(crate) enum Stop {
    /// The client went away: nothing to report.
    Gone,
    Failed(String),
}

impl From<rusqlite::Error> for Stop {
    fn from(e: rusqlite::Error) -> Stop {
        Stop::Failed(e.to_string())
    }
}

impl From<serde_json::Error> for Stop {
    fn from(e: serde_json::Error) -> Stop {
        Stop::Failed(e.to_string())
    }
}

/// The producer's end of the channel.
pub(crate) struct Feed {
    tx: mpsc::Sender<Chunk>,
    ready: Option<oneshot::Sender<Result<(), String>>>,
}

impl Feed {
    /// The query works: from now on errors can only cut the body.
    pub fn start(&mut self) {
        if let Some(r) = self.ready.take() {
            let _ = r.send(Ok(()));
        }
    }

    pub fn send(&mut self, data: Vec<u8>) -> Result<(), Stop> {
        self.start();
        self.tx.blocking_send(Chunk::Data(Bytes::from(data))).map_err(|_| Stop::Gone)
    }
}

/// Runs `produce` on a blocking thread and answers with what it sends. `what` names it in the log.
pub(crate) async fn from_blocking(
    what: &'static str,
    produce: impl FnOnce(&mut Feed) -> Result<(), Stop> + Send + 'static,
) -> Result<Body, ApiError> {
    let (tx, rx) = mpsc::channel(IN_FLIGHT);
    let (ready_tx, ready_rx) = oneshot::channel();
    tokio::task::spawn_blocking(move || {
        let mut feed = Feed { tx, ready: Some(ready_tx) };
        match produce(&mut feed) {
            Ok(()) => {
                feed.start();
                let _ = feed.tx.blocking_send(Chunk::End);
            }
            Err(Stop::Failed(e)) => match feed.ready.take() {
                Some(r) => {
                    let _ = r.send(Err(e));
                }
                None => crate::log_line!("fangpin-server: {what}: stopped part-way: {e}"),
            },
            Err(Stop::Gone) => {}
        }
    });
    match ready_rx.await {
        Ok(Ok(())) => Ok(Body::new(ChannelBody { rx, ended: false })),
        Ok(Err(e)) => Err(ApiError::storage(format!("{what}: {e}"))),
        // The task panicked before its first chunk (the panic is on stderr).
        Err(_) => Err(ApiError::internal()),
    }
}

struct ChannelBody {
    rx: mpsc::Receiver<Chunk>,
    ended: bool,
}

impl hyper::body::Body for ChannelBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        if self.ended {
            return Poll::Ready(None);
        }
        let next = ready!(self.rx.poll_recv(cx));
        Poll::Ready(match next {
            Some(Chunk::Data(b)) => Some(Ok(Frame::data(b))),
            Some(Chunk::End) => {
                self.ended = true;
                None
            }
            // The producer ended without End: an error or a panic part-way. Cut the body.
            None => {
                self.ended = true;
                Some(Err(std::io::Error::other("the answer stopped before its end")))
            }
        })
    }

    fn is_end_stream(&self) -> bool {
        self.ended
    }
}
