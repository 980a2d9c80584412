//! `fangpin-server`: serves the built site on 127.0.0.1 (port from `--port` or `PORT`, default 8080).
//! `--port 0` picks a free port; the first line printed always names the real URL, which the tests read.

use std::net::SocketAddr;
use std::path::PathBuf;

fn usage() -> ! {
    eprintln!("usage: fangpin-server [--site DIR] [--addr IP] [--port N]");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let mut site = PathBuf::from("target/site");
    let mut addr: std::net::IpAddr = [127, 0, 0, 1].into();
    let mut port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(8080);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--site" => site = value().into(),
            "--addr" => addr = value().parse().unwrap_or_else(|_| usage()),
            "--port" => port = value().parse().unwrap_or_else(|_| usage()),
            _ => usage(),
        }
    }
    if !site.join("index.html").is_file() {
        eprintln!("fangpin-server: {} has no index.html; build the site first (scripts/serve does)", site.display());
        std::process::exit(1);
    }
    let listener = match tokio::net::TcpListener::bind(SocketAddr::new(addr, port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("fangpin-server: cannot listen on {addr}:{port}: {e}");
            std::process::exit(1);
        }
    };
    let local = listener.local_addr().expect("bound socket has an address");
    println!("fangpin-server: serving {} at http://{local}/", site.display());
    let app = fangpin_server::site_router(&site);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
        eprintln!("fangpin-server: {e}");
        std::process::exit(1);
    }
}
