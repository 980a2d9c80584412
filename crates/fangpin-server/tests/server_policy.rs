//! The receiver checks reports against the policy published into the site it serves: a report made
//! with a new year's profile is refused until the city publishes that year, and understood the moment
//! it is published, with no restart.

mod common;

use std::path::{Path, PathBuf};

use common::{Options, Server, fixtures};
use fangpin_core::application::{Application, FilledBy, Report};
use fangpin_core::policy::{self, DEFAULT_COUNTY};
use fangpin_core::{Date, assess};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// A served site the build could have made: a page template and a manifest, then `policy-data/` published.
fn published_site(dir: &Path) -> PathBuf {
    common::write_site(dir);
    std::fs::create_dir_all(dir.join("publish")).unwrap();
    std::fs::write(
        dir.join("publish/index.html"),
        "<main data-policy=\"{{POLICY}}\">{{START_PAGE}}</main>{{START_TEMPLATES}}{{START_INDEX}}",
    )
    .unwrap();
    fangpin_site::Manifest::new(vec!["index.html".into()], DEFAULT_COUNTY).write(dir).unwrap();
    let policy = dir.join("policy-data");
    copy_dir(&Path::new(ROOT).join("policy-data"), &policy);
    publish(&policy, dir);
    policy
}

fn publish(policy: &Path, site: &Path) {
    let on = Date::new(2026, 12, 1).unwrap();
    fangpin_site::publish(
        policy,
        site,
        &fangpin_site::Options { default_county: None, on, receiver: Default::default(), site_url: Default::default() },
    )
    .expect("publishes");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().map(Result::unwrap) {
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/policy/yongan-2026.toml");

/// A report made on a phone that has the 2026 profile.
fn report_2026(key: &str) -> String {
    let p = policy::parse_profile_toml(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    let date = Date::new(2026, 6, 1).unwrap();
    let h = fixtures::household("张大山");
    let a = assess(&h, &p, date);
    let app = Application::build(&h, &a, &p, FilledBy::Worker { name: "王芳".into() }, date).unwrap();
    Report::from_application(&app, key, "2026-06-01T09:30:00+08:00").to_json()
}

fn post(server: &Server, body: &str) -> common::Response {
    server.request("POST", "/api/v1/reports", &[("Content-Type", "application/json")], body.as_bytes())
}

#[test]
fn a_new_years_reports_are_understood_as_soon_as_it_is_published() {
    let dir = common::temp_dir("policy");
    let policy = published_site(&dir);
    let server = Server::start_with("policy", Options { args: &[], env: &[], dir: Some(dir.clone()) });

    // The publish step's workshop is not served.
    // (ServeDir skips empty segments and `.`: so must the check.)
    for path in [
        "/publish/manifest.json",
        "/publish/index.html",
        "/%70ublish/sw.js",
        "//publish/manifest.json",
        "/./publish/manifest.json",
        "/%2E/publish/index.html",
        "/.//./publish/sw.js",
    ] {
        assert_eq!(server.get(path, &[]).status, 404, "{path}");
    }
    assert_eq!(server.get("/index.html", &[]).status, 200);

    let refused = post(&server, &report_2026("0123456789abcdef-2026a"));
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert_eq!(refused.json()["error"], "unknown_profile");
    // Last year's reports are understood all along.
    assert_eq!(post(&server, &fixtures::report("0123456789abcdef-2023a").to_json()).status, 201);

    std::fs::copy(FIXTURE, policy.join("yongan-2026.toml")).unwrap();
    publish(&policy, &dir);
    let received = post(&server, &report_2026("0123456789abcdef-2026b"));
    assert_eq!(received.status, 201, "{}", received.text());
    assert_eq!(received.json()["status"], "received");
    assert!(server.stderr().contains("checking reports against assets/policy-"), "{}", server.stderr());

    // A city that drops last year's file: a report made with it before (queued offline) is still
    // checked, against the earlier file the site keeps.
    std::fs::remove_file(policy.join("yongan-2023.toml")).unwrap();
    publish(&policy, &dir);
    assert_eq!(post(&server, &fixtures::report("0123456789abcdef-2023b").to_json()).status, 201);

    // A half-copied site (the manifest arrived, its new policy file not yet): what was published before still counts.
    let mut half = fangpin_site::Manifest::read(&dir).unwrap();
    half.earlier_policies.extend(half.policy.take());
    half.policy = Some("assets/policy-0000000000.bin".into());
    half.write(&dir).unwrap();
    assert_eq!(post(&server, &report_2026("0123456789abcdef-2026c")).status, 201);
    assert!(server.stderr().contains("cannot be read"), "{}", server.stderr());
}
