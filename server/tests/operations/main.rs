//! The `reglament` binary as an operator runs it: the configuration file, readiness, graceful
//! shutdown under load, request ids in JSON logs, Prometheus metrics, backup and restore.

mod backup;
mod config;
mod dovecot;
mod imap;
mod logs;
mod metrics;
mod proxy;
mod shutdown;
mod support;
mod upgrade;
