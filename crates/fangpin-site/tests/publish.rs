//! `publish` into a site laid out as the build leaves it: what it writes, what it keeps, and that a
//! refused or failed publish leaves the site exactly as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fangpin_core::Date;
use fangpin_core::policy::{DEFAULT_COUNTY, PolicySet};
use fangpin_site::{Manifest, Options, PublishError, publish};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/policy/yongan-2026.toml");

fn temp(name: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("fangpin-site-test-{}-{name}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
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

/// A site as the build leaves it before its first publish, and a copy of policy-data/.
fn site_and_policy(name: &str) -> (PathBuf, PathBuf) {
    let dir = temp(name);
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("assets")).unwrap();
    std::fs::create_dir_all(site.join("publish")).unwrap();
    std::fs::write(site.join("assets/app-0123456789.wasm"), b"\0asm").unwrap();
    std::fs::write(
        site.join("publish/index.html"),
        "<main id=\"fangpin-app\" data-default-profile=\"{{DEFAULT_PROFILE}}\" data-policy=\"{{POLICY}}\" data-receiver=\"{{RECEIVER}}\">{{START_PAGE}}</main>\n{{START_TEMPLATES}}\n{{START_INDEX}}",
    )
    .unwrap();
    std::fs::write(site.join("publish/embed.js"), "const POLICY = new URL('./{{POLICY}}', import.meta.url);").unwrap();
    std::fs::write(site.join("publish/sw.js"), "const VERSION = '{{VERSION}}';\nconst PRECACHE = {{PRECACHE}};").unwrap();
    Manifest::new(vec!["index.html".into(), "assets/app-0123456789.wasm".into()], DEFAULT_COUNTY).write(&site).unwrap();
    let policy = dir.join("policy-data");
    copy_dir(&Path::new(ROOT).join("policy-data"), &policy);
    (site, policy)
}

fn on(s: &str) -> Options {
    Options { default_county: None, on: Date::parse(s).unwrap(), receiver: Default::default(), site_url: Default::default() }
}

/// Every file of the site and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        if e.file_type().unwrap().is_symlink() {
            out.insert(e.path(), b"(a link)".to_vec());
        } else if e.path().is_dir() {
            out.extend(snapshot(&e.path()));
        } else {
            out.insert(e.path(), std::fs::read(e.path()).unwrap());
        }
    }
    out
}

fn read(site: &Path, name: &str) -> String {
    std::fs::read_to_string(site.join(name)).unwrap()
}

#[test]
fn publishing_writes_the_policy_file_the_pages_and_a_new_service_worker() {
    let (site, policy) = site_and_policy("first");
    let p = publish(&policy, &site, &on("2026-12-01")).expect("publishes");
    assert!(p.policy.starts_with("assets/policy-") && p.policy.ends_with(".bin"), "{}", p.policy);
    // The policy file reads back as the app reads it, with every shipped profile.
    let set = PolicySet::parse_published(&std::fs::read(site.join(&p.policy)).unwrap()).expect("the app can read it");
    assert_eq!(set.profiles.len(), 3);
    assert_eq!(set.default_county, DEFAULT_COUNTY);
    for suffix in ["br", "gz"] {
        assert!(site.join(format!("{}.{suffix}", p.policy)).is_file(), "{suffix}");
        assert!(site.join(format!("index.html.{suffix}")).is_file(), "{suffix}");
    }
    let index = read(&site, "index.html");
    assert!(index.contains(&format!("data-policy=\"{}\"", p.policy)));
    assert!(index.contains("data-default-profile=\"yongan-2023\""));
    assert!(index.contains("data-prerendered") && index.contains("10,560.00"));
    assert!(index.contains("id=\"fp-profiles\""));
    assert!(!index.contains("{{"));
    assert!(read(&site, "embed.js").contains(&p.policy));
    let sw = read(&site, "sw.js");
    assert!(sw.contains(&format!("const VERSION = '{}'", p.version)));
    assert!(sw.contains(&format!("\"{}\"", p.policy)) && sw.contains("\"assets/app-0123456789.wasm\""), "{sw}");
    let m = Manifest::read(&site).unwrap();
    assert_eq!((m.policy.as_deref(), m.version.as_deref()), (Some(p.policy.as_str()), Some(p.version.as_str())));
    // The templates stay for the next publish; nothing half-written is left.
    assert!(read(&site, "publish/index.html").contains("{{START_PAGE}}"));
    assert!(snapshot(&site).keys().all(|k| !k.to_string_lossy().ends_with(".publish-tmp")));

    // The same data again: the same version (phones download nothing).
    let again = publish(&policy, &site, &on("2026-12-01")).unwrap();
    assert!(again.unchanged && again.version == p.version && again.policy == p.policy);
}

#[test]
fn a_new_year_gets_a_new_file_and_version_and_every_file_before_is_kept_for_open_pages() {
    let (site, policy) = site_and_policy("new-year");
    let first = publish(&policy, &site, &on("2026-12-01")).unwrap();
    std::fs::copy(FIXTURE, policy.join("yongan-2026.toml")).unwrap();
    let second = publish(&policy, &site, &on("2026-12-01")).unwrap();
    assert_ne!(second.policy, first.policy);
    assert_ne!(second.version, first.version);
    assert!(!second.unchanged);
    assert_eq!(second.default_profile, "yongan-2026");
    let index = read(&site, "index.html");
    assert!(index.contains("11,280.00") && index.contains("data-default-profile=\"yongan-2026\""));
    // 2023 has ended: no start screen of its own, but the index still names it (a saved choice).
    assert!(!index.contains("id=\"fp-start-yongan-2023-zh\"") && index.contains("id=\"fp-start-yongan-2026-zh\""));
    assert!(index.contains("\"id\":\"yongan-2023\""));
    assert!(site.join(&first.policy).is_file(), "the file before is kept");
    // A correction after it: a phone offline since the first publish still finds the file its pages name.
    std::fs::write(policy.join("yongan-2026.toml"), std::fs::read_to_string(FIXTURE).unwrap().replace("11280", "11400")).unwrap();
    let third = publish(&policy, &site, &on("2026-12-01")).unwrap();
    for p in [&first.policy, &second.policy, &third.policy] {
        assert!(site.join(p).is_file() && site.join(format!("{p}.br")).is_file(), "{p} kept");
    }
    let m = Manifest::read(&site).unwrap();
    assert_eq!(m.earlier_policies, vec![first.policy.clone(), second.policy.clone()]);
    assert_eq!(m.all_policies().collect::<Vec<_>>(), vec![first.policy.as_str(), second.policy.as_str(), third.policy.as_str()]);
    // Publishing the first data again makes its file current; the list names each file once.
    std::fs::remove_file(policy.join("yongan-2026.toml")).unwrap();
    let back = publish(&policy, &site, &on("2026-12-01")).unwrap();
    assert_eq!(back.policy, first.policy);
    let m = Manifest::read(&site).unwrap();
    assert_eq!(m.earlier_policies, vec![second.policy.clone(), third.policy.clone()]);
}

#[test]
fn refused_data_and_broken_sites_leave_the_site_as_it_was() {
    let (site, policy) = site_and_policy("refused");
    publish(&policy, &site, &on("2026-12-01")).unwrap();
    let before = snapshot(&site);

    // Bad data: a 2026 file overlapping 2023's period, and one that does not parse.
    let fixture = std::fs::read_to_string(FIXTURE).unwrap();
    std::fs::write(policy.join("yongan-2026.toml"), fixture.replace("effective_from = \"2026-01-01\"", "effective_from = \"2023-06-01\""))
        .unwrap();
    let Err(PublishError::Policy(lines)) = publish(&policy, &site, &on("2026-12-01")) else { panic!("overlap accepted") };
    assert!(lines.iter().any(|l| l.contains("overlapping")), "{lines:?}");
    std::fs::write(policy.join("yongan-2026.toml"), "format = \"fangpin.profile/1\"\nid = ").unwrap();
    assert!(matches!(publish(&policy, &site, &on("2026-12-01")), Err(PublishError::Policy(_))));
    std::fs::remove_file(policy.join("yongan-2026.toml")).unwrap();
    // A default county with no profile.
    let other = Options { default_county: Some("999999".into()), ..on("2026-12-01") };
    assert!(matches!(publish(&policy, &site, &other), Err(PublishError::Policy(_))));
    assert_eq!(snapshot(&site), before);

    // A site built by another version (its app reads another policy file format): refused, said so.
    let mut manifest = Manifest::read(&site).unwrap();
    let ours = manifest.policy_format.clone();
    assert_eq!(ours.as_deref(), Some(fangpin_core::policy::POLICY_FORMAT));
    manifest.policy_format = Some("fangpin.policy/1".into());
    manifest.write(&site).unwrap();
    let before_other = snapshot(&site);
    let Err(PublishError::Site(e)) = publish(&policy, &site, &on("2026-12-01")) else { panic!("another version's site accepted") };
    assert!(e.contains("同一版本") && e.contains("fangpin.policy/1"), "{e}");
    assert_eq!(snapshot(&site), before_other);
    manifest.policy_format = ours;
    manifest.write(&site).unwrap();
    assert_eq!(snapshot(&site), before);

    // A template with a placeholder this version does not know.
    std::fs::write(site.join("publish/extra.html"), "<p>{{SURPRISE}}</p>").unwrap();
    let Err(PublishError::Site(e)) = publish(&policy, &site, &on("2026-12-01")) else { panic!("unknown placeholder accepted") };
    assert!(e.contains("{{SURPRISE}}"), "{e}");
    std::fs::remove_file(site.join("publish/extra.html")).unwrap();
    assert_eq!(snapshot(&site), before);

    // Policy text with braces in it goes in as it is (values are not searched for placeholders).
    let braces = std::fs::read_to_string(policy.join("yongan-2023.toml"))
        .unwrap()
        .replace("以永安市乡村振兴局公布的监测范围为准。", "以{{START_INDEX}}公布的为准。");
    std::fs::write(policy.join("yongan-2023.toml"), &braces).unwrap();
    publish(&policy, &site, &on("2026-12-01")).expect("braces in policy text are text");
    assert!(read(&site, "index.html").contains("以{{START_INDEX}}公布的为准。"));
    std::fs::copy(Path::new(ROOT).join("policy-data/yongan-2023.toml"), policy.join("yongan-2023.toml")).unwrap();
    publish(&policy, &site, &on("2026-12-01")).unwrap();
    let before = snapshot(&site);

    // A file that cannot be written (here: a directory in the way of the staged copy, as a full disk
    // or a read-only file would fail): nothing moves into place, nothing staged is left.
    std::fs::copy(FIXTURE, policy.join("yongan-2026.toml")).unwrap();
    std::fs::create_dir_all(site.join("sw.js.publish-tmp")).unwrap();
    let Err(PublishError::Write(e)) = publish(&policy, &site, &on("2026-12-01")) else { panic!("write failure hidden") };
    assert!(e.contains("sw.js") && e.contains("网站没有改动"), "{e}");
    std::fs::remove_dir(site.join("sw.js.publish-tmp")).unwrap();
    assert_eq!(snapshot(&site), before);
    // A full disk half-way through a file (its staged copy is /dev/full): the part-written copy is
    // removed too.
    std::os::unix::fs::symlink("/dev/full", site.join("index.html.publish-tmp")).unwrap();
    let Err(PublishError::Write(e)) = publish(&policy, &site, &on("2026-12-01")) else { panic!("a full disk hidden") };
    assert!(e.contains("index.html"), "{e}");
    assert!(std::fs::symlink_metadata(site.join("index.html.publish-tmp")).is_err(), "the staged copy is gone");
    assert_eq!(snapshot(&site), before);

    // Not a built site at all.
    let empty = temp("not-a-site");
    let Err(PublishError::Site(e)) = publish(&policy, &empty, &on("2026-12-01")) else { panic!("published into nothing") };
    assert!(e.contains("网站目录") && e.contains("site directory"), "{e}");
}

#[test]
fn the_receiver_a_publish_names_goes_into_the_pages_is_kept_by_the_next_and_never_points_elsewhere() {
    use fangpin_site::publish::{OWN_RECEIVER, Receiver};
    let (site, policy) = site_and_policy("receiver");
    // Named: the page carries it, and the manifest.
    let with = Options { receiver: Receiver::At(OWN_RECEIVER.into()), ..on("2026-12-01") };
    publish(&policy, &site, &with).unwrap();
    assert!(read(&site, "index.html").contains(&format!("data-receiver=\"{OWN_RECEIVER}\"")));
    assert_eq!(Manifest::read(&site).unwrap().receiver.as_deref(), Some(OWN_RECEIVER));
    // The 明白纸 index lists the county the site opens with first.
    let sheets = read(&site, "sheets/index.html");
    let first = sheets.split("data-profile=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or_default();
    assert!(first.starts_with("yongan-"), "first: {first}");
    // A later publish of a new year keeps it.
    publish(&policy, &site, &on("2027-01-05")).unwrap();
    assert!(read(&site, "index.html").contains(&format!("data-receiver=\"{OWN_RECEIVER}\"")));
    // Off: a static host without a receiver.
    publish(&policy, &site, &Options { receiver: Receiver::Off, ..on("2027-01-05") }).unwrap();
    assert!(read(&site, "index.html").contains("data-receiver=\"\""));
    assert_eq!(Manifest::read(&site).unwrap().receiver, None);
    // Only a path on the site's own origin, as typed or refused.
    assert_eq!(Receiver::receiver(" /reports/v2 "), Ok(Receiver::At("/reports/v2".into())));
    assert_eq!(Receiver::receiver("off"), Ok(Receiver::Off));
    for bad in ["https://evil.example/r", "//evil.example/r", "reports", "/a\"b", "/a b", "/报送", ""] {
        assert!(Receiver::receiver(bad).is_err(), "{bad:?} accepted");
    }
    // The site's address for the 明白纸's code: a full http(s) address people can type.
    use fangpin_site::publish::Setting;
    assert_eq!(Setting::site_url("https://www.ya.gov.cn/fangpin/"), Ok(Setting::At("https://www.ya.gov.cn/fangpin/".into())));
    for bad in ["www.ya.gov.cn", "https://", "https:///x", "javascript:alert(1)", "https://a.cn/\"><script>", "https://永安.cn/ x"] {
        assert!(Setting::site_url(bad).is_err(), "{bad:?} accepted");
    }
}
