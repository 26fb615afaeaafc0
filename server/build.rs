//! Decides whether the PostgreSQL variants of the integration tests run: with
//! `TEST_DATABASE_URL`, or under CI (where a missing URL must fail, not skip), they do;
//! otherwise they are reported as ignored.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo::rerun-if-env-changed=TEST_DATABASE_URL");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-changed=build.rs");
    let set = |name| std::env::var_os(name).is_some_and(|value| !value.is_empty());
    if set("TEST_DATABASE_URL") || set("CI") {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
