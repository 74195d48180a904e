//! One integration-test binary: every test starts its own server and database.

mod access;
mod deadlines;
mod helpers;
mod lifecycle;
mod notifications;
mod openapi;
mod pages;
mod petitions;
mod validation;
